package sim

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// seekWhileRunning seeks s forward by d while Run runs, as a desk's `:seek`
// or the sim's stdin `seek +D` does, and returns once the seek is
// delivered and Run has stopped.
func seekWhileRunning(t *testing.T, s *Sim, d time.Duration) {
	t.Helper()
	waits := make(chan time.Duration, 4)
	s.onWait = func(d time.Duration) { waits <- d }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, &countSink{}) }()
	<-waits // the hello and the state are in; the fake clock holds the next step
	if err := s.Seek(s.Now().Add(d)); err != nil {
		t.Fatal(err)
	}
	<-waits // the seek is delivered
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

// TestSeekObeysTheSetpointsInForce: a forward seek re-enacts the span it
// skips with the setpoints in force, each until its valid_until, exactly as
// running the span does: the same power, battery energy, energy counters,
// feeder loads and setpoint counters. A dispatcher saw a capped feeder go
// over its cap after a seek and took it for the seek ignoring setpoints;
// what it re-enacts is the setpoints' expiry (see docs/replay.md), which
// this pins as well: a seek neither drops a setpoint early nor holds it
// past its validity.
func TestSeekObeysTheSetpointsInForce(t *testing.T) {
	const start = 18*time.Hour + 30*time.Minute
	sp := func(s *Sim, id, charger string, kw float64, validFor time.Duration) feeds.SetpointFrame {
		return feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: id, Charger: charger, KW: kw,
			ValidUntil: s.Now().Add(validFor)}
	}
	send := func(t *testing.T, s *Sim) {
		t.Helper()
		for _, f := range []feeds.SetpointFrame{
			sp(s, "limit", "CP-0002", 2, time.Hour),         // limits an 11 kW charger past the span
			sp(s, "v2g", "CP-0001", -5, 12*time.Minute),     // discharges, then expires mid-span
			sp(s, "clamped", "CP-0003", 50, 45*time.Minute), // beyond 3.7 kW: clamped
			sp(s, "refused", "CP-0002", -1, 45*time.Minute), // not bidirectional
			sp(s, "unknown", "CP-9999", 1, 45*time.Minute),  // no such charger
		} {
			s.ApplySetpoint(f)
		}
	}
	for _, tt := range []struct {
		name string
		seek func(t *testing.T, s *Sim, d time.Duration)
	}{
		{"while running", seekWhileRunning},
		{"before Run", func(t *testing.T, s *Sim, d time.Duration) {
			if err := s.Seek(s.Now().Add(d)); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, span := range []time.Duration{30 * time.Minute, 10 * time.Minute, 2 * time.Hour} {
				ran, sought := newSim(t, start), newSim(t, start)
				send(t, ran)
				send(t, sought)
				ran.Step(span)
				tt.seek(t, sought, span)
				if !sought.Now().Equal(ran.Now()) {
					t.Fatalf("seek +%v: at %v, running reached %v", span, sought.Now(), ran.Now())
				}
				for _, id := range []string{"CP-0001", "CP-0002", "CP-0003"} {
					r, _ := ran.EV(id)
					k, _ := sought.EV(id)
					if r.KW != k.KW || r.EnergyKWh != k.EnergyKWh || r.ChargedKWh != k.ChargedKWh ||
						r.DischargedKWh != k.DischargedKWh || !sameFloat(r.SetpointKW, k.SetpointKW) ||
						!r.SetpointValidUntil.Equal(k.SetpointValidUntil) || r.Plugged != k.Plugged {
						t.Errorf("seek +%v: %s at %.4f kW, %.6f kWh (charged %.6f, discharged %.6f, setpoint %v); "+
							"running the span: %.4f kW, %.6f kWh (charged %.6f, discharged %.6f, setpoint %v)",
							span, id, k.KW, k.EnergyKWh, k.ChargedKWh, k.DischargedKWh, deref(k.SetpointKW),
							r.KW, r.EnergyKWh, r.ChargedKWh, r.DischargedKWh, deref(r.SetpointKW))
					}
				}
				rl, sl := ran.FeederLoads(), sought.FeederLoads()
				for i := range rl {
					if rl[i].KW != sl[i].KW {
						t.Errorf("seek +%v: feeder %s at %.4f kW, running the span %.4f kW", span, sl[i].ID, sl[i].KW, rl[i].KW)
					}
				}
				if rs, ss := ran.Stats(), sought.Stats(); rs != ss {
					t.Errorf("seek +%v: stats %+v, running the span %+v", span, ss, rs)
				}
				if st := sought.Stats(); st.Accepted != 2 || st.Clamped != 1 || st.Rejected != 2 {
					t.Errorf("seek +%v: %d accepted, %d clamped, %d rejected; want 2, 1, 2", span, st.Accepted, st.Clamped, st.Rejected)
				}
			}
			// The setpoint held: 30 min at 2 kW (after the minute it took to
			// arrive), not the charger's 11 kW.
			s := newSim(t, start)
			send(t, s)
			tt.seek(t, s, 30*time.Minute)
			if e, _ := s.EV("CP-0002"); e.KW != 2 || e.SetpointKW == nil || *e.SetpointKW != 2 {
				t.Errorf("CP-0002 after a seek within its 2 kW setpoint: %.2f kW, setpoint %v", e.KW, deref(e.SetpointKW))
			}
			// The V2G setpoint expired 12 min in: the EV charges unmanaged
			// again, as it would have had the time run.
			if e, _ := s.EV("CP-0001"); e.SetpointKW != nil || e.KW != 7 {
				t.Errorf("CP-0001 after a seek past its setpoint's validity: %.2f kW, setpoint %v", e.KW, deref(e.SetpointKW))
			}
		})
	}
}
