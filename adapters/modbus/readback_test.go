package modbus_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
)

// TestReadBackFailureIsUnverified: against jsmodbus that takes every write
// but fails the read-back (server.js --read-busy, --read-drop), the device
// holds the setpoint, so the result is not failed (not delivered) but
// unverified, with the power written; it is journalled and counted so. A
// read-back that shows another value than written (a device-side limit)
// stays failed.
func TestReadBackFailureIsUnverified(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		want   adapters.Status
		reason string
	}{
		{"read-back of the setpoint busy", []string{"--read-busy=200"}, adapters.StatusUnverified,
			"reading back setpoint at 200 failed"},
		{"connection drops reading back the watchdog", []string{"--read-drop=211"}, adapters.StatusUnverified,
			"reading back watchdog at 211 failed"},
		{"device holds another value", []string{"200", "50"}, adapters.StatusFailed, "setpoint at 200 reads back [50], wrote [70]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, events := startServer(t, tt.args...)
			a := modbus.New(2*time.Second, quiet())
			a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, loadMap(t, "ac-22kw.json"))
			t.Cleanup(func() { a.Close() })
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			j, _, err := adapters.OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { j.Close() })
			g := adapters.NewGuard(j, adapters.GuardOptions{})
			t.Cleanup(g.Close)
			if err := g.AddAdapter("mb", a, 1, 4); err != nil {
				t.Fatal(err)
			}
			g.SetCharger(adapters.ChargerConfig{ID: "AC1", Adapter: "mb", MaxChargeKW: 22})
			r := g.Apply(context.Background(), adapters.Setpoint{ID: "rb1", Charger: "AC1", KW: 7, ValidUntil: time.Now().Add(15 * time.Minute)})
			if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("%+v, want %s with %q", r, tt.want, tt.reason)
			}
			if held := holds(t, events, 3); held[200] > 70 || held[210] != 2 {
				t.Fatalf("device holds %v, want the setpoint written and remote control", held)
			}
			if st := g.Stats(); st.Results[tt.want] != 1 {
				t.Errorf("stats %+v, want one %s", st.Results, tt.want)
			}
			var res []adapters.Record
			if _, err := adapters.ReadJournal(path, func(rec adapters.Record) error {
				if rec.Kind == adapters.RecResult {
					res = append(res, rec)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].Status != tt.want || !strings.Contains(res[0].Detail, tt.reason) {
				t.Fatalf("result records %+v, want one %s", res, tt.want)
			}
			if tt.want != adapters.StatusUnverified {
				return
			}
			if r.AppliedKW != 7 || res[0].AppliedKW == nil || *res[0].AppliedKW != 7 ||
				!strings.Contains(r.Reason, "written (setpoint, watchdog, control_mode acknowledged)") || !strings.Contains(r.Reason, "not verified") {
				t.Errorf("result %+v, record applied %v: want 7 kW written, acknowledged, not verified", r, res[0].AppliedKW)
			}
			if r.Status.Applied() {
				t.Error("unverified must not count as applied")
			}
		})
	}
}
