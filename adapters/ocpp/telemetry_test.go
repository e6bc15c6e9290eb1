package ocpp

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

type lastFrame struct{ f feeds.ChargerFrame }

func (l *lastFrame) HandleFrame(raw []byte) {
	var h feeds.Header
	_ = json.Unmarshal(raw, &h)
	if h.Type == feeds.TypeCharger {
		_ = json.Unmarshal(raw, &l.f)
	}
}
func (l *lastFrame) HandleLink(feeds.LinkEvent) {}

func TestMeterValues(t *testing.T) {
	sv := func(v string, m types.Measurand, unit types.UnitOfMeasure, phase types.Phase) types.SampledValue {
		return types.SampledValue{Value: v, Measurand: m, Unit: unit, Phase: phase}
	}
	imp, exp := types.MeasurandPowerActiveImport, types.MeasurandPowerActiveExport
	tests := []struct {
		name string
		svs  []types.SampledValue
		kw   float64
		soc  float64 // <0: absent
		bad  int
	}{
		{"total in W", []types.SampledValue{sv("7200", imp, types.UnitOfMeasureW, "")}, 7.2, -1, 0},
		{"total in kW", []types.SampledValue{sv("11", imp, types.UnitOfMeasureKW, "")}, 11, -1, 0},
		{"phases summed", []types.SampledValue{sv("2300", imp, "W", types.PhaseL1), sv("2300", imp, "W", types.PhaseL2), sv("2400", imp, "W", types.PhaseL3)}, 7.0, -1, 0},
		{"total wins over phases", []types.SampledValue{sv("2300", imp, "W", types.PhaseL1), sv("5000", imp, "W", "")}, 5, -1, 0},
		{"import minus export", []types.SampledValue{sv("0", imp, "W", ""), sv("6000", exp, "W", "")}, -6, -1, 0},
		{"export only", []types.SampledValue{sv("3.5", exp, types.UnitOfMeasureKW, "")}, -3.5, -1, 0},
		{"soc and a bad value", []types.SampledValue{sv("abc", imp, "W", ""), sv("64", types.MeasueandSoC, types.UnitOfMeasurePercent, "")}, 0, 0.64, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Settings{}, []Charger{{ID: "C1", Identity: "CP", Connector: 1, Bounds: adapters.Bounds{MaxChargeKW: 22}}}, nil)
			ts := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
			c.now = func() time.Time { return ts.Add(-time.Minute) } // the status comes before the meter value
			l := &lastFrame{}
			c.sink = l
			c.setConnected("CP", "conn", true)
			h := &coreHandler{c}
			if _, err := h.OnStatusNotification("CP", &core.StatusNotificationRequest{ConnectorId: 1, Status: core.ChargePointStatusCharging}); err != nil {
				t.Fatal(err)
			}
			c.meterValues("CP", 1, []types.MeterValue{{Timestamp: types.NewDateTime(ts), SampledValue: tt.svs}})
			f := l.f
			if f.ID != "C1" || f.State != feeds.StateCharging || !f.Plugged || f.KW != tt.kw || !f.TS.Equal(ts) {
				t.Fatalf("frame %+v, want C1 charging %g kW at %s", f, tt.kw, ts)
			}
			if (tt.soc < 0) != (f.SoC == nil) || (f.SoC != nil && *f.SoC != tt.soc) {
				t.Errorf("soc %v, want %v", f.SoC, tt.soc)
			}
			if c.Counts().BadValues != tt.bad {
				t.Errorf("bad values %d, want %d", c.Counts().BadValues, tt.bad)
			}
		})
	}
}

// TestChargerTimeNeverGoesBack: a meter value stamped (to the second) before
// the status notification the central system timed on arrival still comes
// out, in a frame no older than the last one, so a sink that ignores older
// frames takes it.
func TestChargerTimeNeverGoesBack(t *testing.T) {
	arrival := time.Date(2026, 11, 26, 18, 0, 0, 600_000_000, time.UTC)
	c := New(Settings{}, []Charger{{ID: "C1", Identity: "CP", Connector: 1, Bounds: adapters.Bounds{MaxChargeKW: 22}}}, nil)
	c.now = func() time.Time { return arrival }
	l := &lastFrame{}
	c.sink = l
	c.setConnected("CP", "conn", true)
	h := &coreHandler{c}
	if _, err := h.OnStatusNotification("CP", &core.StatusNotificationRequest{ConnectorId: 1, Status: core.ChargePointStatusCharging}); err != nil {
		t.Fatal(err)
	}
	before := l.f.TS
	stamped := arrival.Truncate(time.Second)
	c.meterValues("CP", 1, []types.MeterValue{{Timestamp: types.NewDateTime(stamped),
		SampledValue: []types.SampledValue{{Value: "7200", Measurand: types.MeasurandPowerActiveImport, Unit: types.UnitOfMeasureW}}}})
	if l.f.KW != 7.2 || l.f.TS.Before(before) || !l.f.TS.Equal(arrival) {
		t.Fatalf("frame %+v: want 7.2 kW at %s (not before the status frame at %s)", l.f, arrival, before)
	}
	// A later meter value moves the time on.
	later := arrival.Add(time.Minute)
	c.meterValues("CP", 1, []types.MeterValue{{Timestamp: types.NewDateTime(later),
		SampledValue: []types.SampledValue{{Value: "3600", Measurand: types.MeasurandPowerActiveImport, Unit: types.UnitOfMeasureW}}}})
	if l.f.KW != 3.6 || !l.f.TS.Equal(later) {
		t.Fatalf("frame %+v: want 3.6 kW at %s", l.f, later)
	}
}
