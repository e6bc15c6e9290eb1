package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// PeerBounder is an optional capability: an adapter whose peer announces
// the chargers behind it with their bounds (wsjson: the chargers of the
// peer's hello frame). The adapters file alone may be wrong about a
// charger (a one-way charger written as bidirectional, a max_kw above the
// charger's); a command with no feed of its own (`v2gdesk setpoint`) asks
// the adapter, so the guard bounds the setpoint by the tighter of the file
// and the peer, as a desk does with its feed's hello
// (Guard.UpdateTopologyFrom). OCPP 1.6 and Modbus say nothing of a
// charger's power bounds, so their adapters are not PeerBounders: the file
// is their only source.
type PeerBounder interface {
	// PeerBounds waits until the peer has announced its chargers and
	// returns what the latest announcement says of charger; listed is
	// false when it does not list it. Once connected, it waits up to
	// begin for the announcement to begin (a wsjson peer sends its hello
	// first, and one under way, however large, is read to its end within
	// ctx). err is set, naming the peer and why, when no announcement
	// came: none began within begin, the peer sent something else first,
	// ctx ended, or the adapter was closed.
	PeerBounds(ctx context.Context, charger string, begin time.Duration) (info feeds.ChargerInfo, listed bool, err error)
}

// defaultTopologyFrom is what the guard's reasons call the topology's
// source when UpdateTopology set it: the desk's feed.
const defaultTopologyFrom = "the feed's hello"

// boundsNote says, for a setpoint of kw to charger, which bound the
// topology's hello set when it is tighter than the adapters file's on the
// side the setpoint uses ("one-way by its peer's hello; the adapters file
// says it may discharge 10 kW"), so a refusal or a clamp names where the
// bound came from. It is "" when the file's bound applies or only one of
// the two knows the charger. Callers hold g.mu.
func (g *Guard) boundsNote(charger string, kw float64) string {
	c, inConfig := g.config[charger]
	t, inTopo := g.topo[charger]
	if !inConfig || !inTopo {
		return ""
	}
	from := g.topoFrom
	switch {
	case kw < 0 && t.MaxDischargeKW < c.MaxDischargeKW && !t.Bidirectional():
		return fmt.Sprintf("one-way by %s; the adapters file says it may discharge %g kW", from, c.MaxDischargeKW)
	case kw < 0 && t.MaxDischargeKW < c.MaxDischargeKW:
		return fmt.Sprintf("discharge up to %g kW by %s; the adapters file says %g kW", t.MaxDischargeKW, from, c.MaxDischargeKW)
	case kw > 0 && t.MaxChargeKW < c.MaxChargeKW:
		return fmt.Sprintf("charge up to %g kW by %s; the adapters file says %g kW", t.MaxChargeKW, from, c.MaxChargeKW)
	}
	return ""
}
