package adapters_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// lateAdapter reports timeout from Apply and, at once and concurrently, a
// late answer through its sink: the worst case for the journal's order.
type lateAdapter struct {
	sink adapters.LateSink
	late adapters.Result
	done chan struct{} // closed once the late answer was handed to the sink
}

func (a *lateAdapter) SetLateSink(s adapters.LateSink) { a.sink = s }

func (a *lateAdapter) Apply(_ context.Context, sp adapters.Setpoint) adapters.Result {
	go func() {
		defer close(a.done)
		a.sink.LateResult(sp, a.late)
	}()
	return adapters.Result{Status: adapters.StatusTimeout, Reason: "the equipment went away"}
}

// TestLateSinkJournalsAfterTheResult: an answer an adapter reports after
// Apply returned is journalled as late_result after the setpoint's result
// record (the sink waits for it), checked against the bounds as any
// answer (a clamp said, a power outside the bounds failed) and counted.
func TestLateSinkJournalsAfterTheResult(t *testing.T) {
	tests := []struct {
		name string
		kw   float64
		late adapters.Result
		want adapters.Status
	}{
		{"accepted", 5, adapters.Result{Status: adapters.StatusAccepted, AppliedKW: 5}, adapters.StatusAccepted},
		{"accepted after a clamp", 50, adapters.Result{Status: adapters.StatusAccepted, AppliedKW: 11}, adapters.StatusClamped},
		{"outside the bounds", 5, adapters.Result{Status: adapters.StatusAccepted, AppliedKW: 40}, adapters.StatusFailed},
		{"rejected", 5, adapters.Result{Status: adapters.StatusRejected}, adapters.StatusRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.jsonl")
			j, _, err := adapters.OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			g := adapters.NewGuard(j, adapters.GuardOptions{})
			a := &lateAdapter{late: tt.late, done: make(chan struct{})}
			if err := g.AddAdapter("x", a, 1, 1); err != nil {
				t.Fatal(err)
			}
			g.SetCharger(adapters.ChargerConfig{ID: "C1", Adapter: "x", MaxChargeKW: 11})
			r := g.Apply(context.Background(), adapters.Setpoint{ID: "s1", Charger: "C1", KW: tt.kw, ValidUntil: time.Now().Add(time.Hour)})
			if r.Status != adapters.StatusTimeout {
				t.Fatalf("result %+v, want timeout", r)
			}
			<-a.done
			g.Close()
			var recs []adapters.Record
			if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(recs) != 3 || recs[1].Kind != adapters.RecResult || recs[2].Kind != adapters.RecLateResult {
				t.Fatalf("journal %+v, want setpoint, result, late_result", recs)
			}
			if l := recs[2]; l.Setpoint != "s1" || l.Status != tt.want || l.Adapter != "x" {
				t.Fatalf("late_result %+v, want %s for s1 from x", l, tt.want)
			}
			// Counted in place of the timeout, and the charger's latest.
			if st := g.Stats(); st.Late != 1 || st.Results[adapters.StatusTimeout] != 0 || st.Results[tt.want] != 1 {
				t.Errorf("stats %+v, want one late answer counted %s, no timeout", st, tt.want)
			}
			if o, ok := g.Latest("C1"); !ok || !o.Late || o.Setpoint.ID != "s1" || o.Result.Status != tt.want {
				t.Errorf("latest %+v, want s1 %s late", o, tt.want)
			}
		})
	}
}

// TestResendGetsTheLateAnswer: a re-send of a setpoint id reported timed
// out and answered late is told the late answer (what the equipment did),
// as the counts and Latest say, not the timeout; after a restart too,
// from the journal's late_result. It is never applied again.
func TestResendGetsTheLateAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	open := func() (*adapters.Journal, *adapters.Guard, *lateAdapter) {
		j, _, err := adapters.OpenJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		g := adapters.NewGuard(j, adapters.GuardOptions{})
		a := &lateAdapter{late: adapters.Result{Status: adapters.StatusAccepted, AppliedKW: 5}, done: make(chan struct{})}
		if err := g.AddAdapter("x", a, 1, 1); err != nil {
			t.Fatal(err)
		}
		g.SetCharger(adapters.ChargerConfig{ID: "C1", Adapter: "x", MaxChargeKW: 11})
		return j, g, a
	}
	sp := adapters.Setpoint{ID: "s1", Charger: "C1", KW: 5, ValidUntil: time.Now().Add(time.Hour)}
	j, g, a := open()
	if r := g.Apply(context.Background(), sp); r.Status != adapters.StatusTimeout {
		t.Fatalf("first send %+v, want timeout", r)
	}
	<-a.done
	again := g.Apply(context.Background(), sp)
	if again.Status != adapters.StatusAccepted || again.AppliedKW != 5 || again.ID != "s1" {
		t.Errorf("re-send after the late acceptance: %+v, want accepted at 5 kW", again)
	}
	if st := g.Stats(); st.Duplicates != 1 || st.Results[adapters.StatusAccepted] != 1 || st.Results[adapters.StatusTimeout] != 0 {
		t.Errorf("stats %+v, want one duplicate, one accepted (late), no timeout", st)
	}
	g.Close()
	j.Close()

	// A new process on the same journal: the late_result is the outcome.
	j, g, _ = open()
	defer j.Close()
	defer g.Close()
	after := g.Apply(context.Background(), sp) // applied again, it would answer timeout
	if after.Status != adapters.StatusAccepted || after.AppliedKW != 5 {
		t.Errorf("re-send after a restart: %+v, want the late acceptance at 5 kW", after)
	}
}
