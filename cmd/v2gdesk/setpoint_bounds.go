package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// peerHello is how the guard's reasons name a bound announced by the
// peer of the charger's adapter ("one-way by its peer's hello; …").
const peerHello = "its peer's hello"

// boundByPeer asks the charger's adapter what its peer announces of the
// charger (a wsjson peer's hello) and gives the guard what it announces:
// the setpoint is then bounded by the tighter of the adapters file and the
// peer, as on a desk, whose feed's hello reaches its guard. The adapters
// file alone is not to be trusted with a charger another source
// describes: one that said a one-way charger could discharge let a
// discharge out that only the peer refused.
//
// With the peer connected it waits up to begin for the hello to begin,
// and reads one under way to its end within read (a large site's hello
// on a slow link); with the peer not connected it takes only a hello
// already heard. It says on stderr which bounds apply. A peer that
// announced nothing of the charger (no hello, or one that does not list
// it) leaves the file's bounds, as OCPP and Modbus have them (their peers
// announce no bounds) and as a desk has them for a charger its feed does
// not list: said as a warning, since nothing has checked them. It
// reports false when ctx ended while it waited (^C: said; the caller
// sends nothing).
func boundByPeer(ctx context.Context, stderr io.Writer, g *adapters.Guard, pb adapters.PeerBounder, c adapters.ChargerConfig, route string,
	connected bool, begin, read time.Duration) bool {
	if !connected {
		begin, read = 0, 0
	}
	wctx, cancel := context.WithTimeout(ctx, read)
	info, listed, err := pb.PeerBounds(wctx, c.ID, begin)
	cancel()
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "v2gdesk setpoint: interrupted while waiting for the hello of %s's peer (adapter %q): nothing sent, nothing journalled\n", c.ID, route)
		return false
	}
	file := c.Bounds()
	switch {
	case err != nil && !connected:
		fmt.Fprintf(stderr, "v2gdesk setpoint: warning: %s is bounded by the adapters file alone, %s, unchecked: its peer (adapter %q) is not connected, so it announced no bounds\n",
			c.ID, file, route)
	case err != nil:
		fmt.Fprintf(stderr, "v2gdesk setpoint: warning: %s is bounded by the adapters file alone, %s, unchecked: its peer (adapter %q) announced no bounds (%v)\n",
			c.ID, file, route, err)
	case !listed:
		fmt.Fprintf(stderr, "v2gdesk setpoint: warning: %s is bounded by the adapters file alone, %s, unchecked: the hello of its peer (adapter %q) does not list it (the peer may refuse it as unknown)\n",
			c.ID, file, route)
	default:
		peer := adapters.Bounds{MaxChargeKW: info.MaxChargeKW, MaxDischargeKW: info.MaxDischargeKW}
		// Only this charger: the command sends to no other.
		g.UpdateTopologyFrom(peerHello, []feeds.ChargerInfo{info})
		fmt.Fprintf(stderr, "v2gdesk setpoint: %s: bounds %s, the tighter of %s (%s) and the adapters file (%s)\n",
			c.ID, file.Tighter(peer), peerHello, peer, file)
	}
	return true
}
