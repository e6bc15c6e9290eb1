package ocpp

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// power collects one measurand's power samples: a total, or per-phase values.
type power struct {
	total, phased *float64
}

// add takes one sampled value in W or kW.
func (p *power) add(v float64, sv types.SampledValue) {
	if sv.Unit == types.UnitOfMeasureKW {
		v *= 1000
	}
	switch sv.Phase {
	case "":
		p.total = &v
	case types.PhaseL1, types.PhaseL2, types.PhaseL3, types.PhaseL1N, types.PhaseL2N, types.PhaseL3N:
		s := v
		if p.phased != nil {
			s += *p.phased
		}
		p.phased = &s
	}
}

// watts returns the total, else the sum of the phases.
func (p power) watts() (float64, bool) {
	switch {
	case p.total != nil:
		return *p.total, true
	case p.phased != nil:
		return *p.phased, true
	}
	return 0, false
}

// meterValues reads the measurands we use from one MeterValues request:
// power is import minus export; per-phase values are summed when no total
// is given.
func (c *CentralSystem) meterValues(identity string, connID int, mvs []types.MeterValue) {
	c.mu.Lock()
	cn := c.connectorLocked(identity, connID)
	for _, mv := range mvs {
		var imp, exp power
		for _, sv := range mv.SampledValue {
			v, err := strconv.ParseFloat(strings.TrimSpace(sv.Value), 64)
			if err != nil || sv.Format == types.ValueFormatSignedData {
				c.counts.BadValues++
				continue
			}
			measurand := sv.Measurand
			if measurand == "" {
				measurand = types.MeasurandEnergyActiveImportRegister // the OCPP 1.6 default
			}
			switch measurand {
			case types.MeasurandPowerActiveImport:
				imp.add(v, sv)
			case types.MeasurandPowerActiveExport:
				exp.add(v, sv)
			case types.MeasueandSoC:
				cn.soc = &v
			case types.MeasurandEnergyActiveImportRegister:
				if sv.Unit == types.UnitOfMeasureKWh {
					v *= 1000
				}
				cn.energyWh = &v
			}
		}
		if w, ok := imp.watts(); ok {
			if e, ok := exp.watts(); ok {
				w -= e
			}
			cn.powerW = &w
		} else if e, ok := exp.watts(); ok {
			w := -e // a V2G charger reporting export only
			cn.powerW = &w
		}
		if mv.Timestamp != nil {
			cn.heard(mv.Timestamp.Time)
		}
	}
	c.mu.Unlock()
	c.emitConnector(identity, connID)
}

// state maps an OCPP connector status to a protocol v1 charger state.
func state(s core.ChargePointStatus, connected bool) (feeds.ChargerState, bool) {
	if !connected {
		return feeds.StateOffline, false
	}
	switch s {
	case core.ChargePointStatusCharging:
		return feeds.StateCharging, true
	case core.ChargePointStatusSuspendedEV, core.ChargePointStatusSuspendedEVSE:
		return feeds.StateSuspended, true
	case core.ChargePointStatusPreparing, core.ChargePointStatusFinishing:
		return feeds.StateAvailable, true
	case core.ChargePointStatusFaulted:
		return feeds.StateFaulted, false
	case core.ChargePointStatusUnavailable:
		return feeds.StateOffline, false
	}
	return feeds.StateAvailable, false
}

// chargerFrameLocked builds the charger frame of one configured connector.
// Callers hold c.mu.
func (c *CentralSystem) chargerFrameLocked(ch Charger) feeds.ChargerFrame {
	st := c.stations[ch.Identity]
	f := feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: ch.ID, TS: c.now().UTC(), State: feeds.StateOffline}
	if st == nil {
		return f
	}
	cn := st.conns[ch.Connector]
	if cn == nil {
		cn = &connector{}
	}
	f.State, f.Plugged = state(cn.status, st.connected)
	if !cn.ts.IsZero() {
		f.TS = cn.ts.UTC()
	}
	if cn.powerW != nil {
		f.KW = *cn.powerW / 1000
	}
	if cn.soc != nil {
		s := *cn.soc / 100
		f.SoC = &s
	}
	f.SetpointKW = cn.setpointKW
	return f
}

// emitConnector sends the frame of the charger on identity's connector.
func (c *CentralSystem) emitConnector(identity string, connID int) {
	c.mu.Lock()
	id, ok := c.byConn[connKey(identity, connID)]
	if !ok {
		c.counts.UnknownStations++
		c.mu.Unlock()
		return
	}
	f := c.chargerFrameLocked(c.chargers[id])
	c.emitLocked(&f)
	c.mu.Unlock()
}

// emitStation sends the frames of every charger on a station.
func (c *CentralSystem) emitStation(identity string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range c.sortedChargers() {
		if ch.Identity == identity {
			f := c.chargerFrameLocked(ch)
			c.emitLocked(&f)
		}
	}
}

// emitLocked hands a frame to the sink. Holding c.mu keeps frames in order.
func (c *CentralSystem) emitLocked(f any) {
	if c.sink == nil {
		c.counts.Unforwarded++
		return
	}
	b, err := json.Marshal(f)
	if err != nil {
		c.counts.BadValues++
		return
	}
	c.sink.HandleFrame(b)
}

func (c *CentralSystem) sortedChargers() []Charger {
	out := make([]Charger, 0, len(c.chargers))
	for _, ch := range c.chargers {
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Hello returns the topology frame of this site: every configured charger.
// OCPP knows nothing of feeders or their limits, so Feeders is empty and
// each charger names the feeder from the config; a desk that combines this
// source with a feeder feed merges the two. MaxDischargeKW is 0 because
// OCPP 1.6 cannot ask for discharge.
func (c *CentralSystem) Hello(site string) feeds.Hello {
	tz := c.set.TimeZone
	if tz == "" {
		tz = "UTC" // Settings made without ParseSettings
	}
	h := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: site, TimeZone: tz, TS: c.now().UTC(), Mode: "live",
		Feeders: []feeds.FeederInfo{}}
	for _, ch := range c.sortedChargers() {
		h.Chargers = append(h.Chargers, feeds.ChargerInfo{ID: ch.ID, Feeder: ch.Feeder, MaxChargeKW: ch.Bounds.MaxChargeKW})
	}
	return h
}

// Run implements feeds.Source: it attaches sink, sends a hello and the
// current state of every charger, then forwards telemetry until ctx ends.
// One sink at a time; a second Run replaces the first's sink.
func (c *CentralSystem) Run(ctx context.Context, sink feeds.Sink) error {
	sink.HandleLink(feeds.LinkEvent{Up: true, At: c.now()})
	c.mu.Lock()
	c.sink = sink
	site := c.set.Site
	if site == "" {
		site = "ocpp"
	}
	h := c.Hello(site)
	c.emitLocked(&h)
	for _, ch := range c.sortedChargers() {
		f := c.chargerFrameLocked(ch)
		c.emitLocked(&f)
	}
	c.mu.Unlock()
	<-ctx.Done()
	c.mu.Lock()
	if c.sink == sink {
		c.sink = nil
	}
	c.mu.Unlock()
	sink.HandleLink(feeds.LinkEvent{Up: false, At: c.now(), Err: ctx.Err()})
	return ctx.Err()
}
