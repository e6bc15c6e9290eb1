package ocpp_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
)

// recordsOf returns the journal's records of kind k.
func recordsOf(recs []adapters.Record, k adapters.RecordKind) []adapters.Record {
	var out []adapters.Record
	for _, r := range recs {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// say writes one line to the peer's stdin.
func say(t *testing.T, stdin io.Writer, line string) {
	t.Helper()
	if _, err := io.WriteString(stdin, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

// TestLateAnswerAfterReconnectJournalled: a charge point drops the
// connection with a SetChargingProfile unanswered (the setpoint is
// reported timeout), connects again and only then answers the old call.
// ocpp-go drops that answer (its call ended with the old connection); the
// central system traces the message id back to the setpoint and journals
// what the charger said as late_result, after the timeout's result record.
func TestLateAnswerAfterReconnectJournalled(t *testing.T) {
	tests := []struct {
		say     string
		status  adapters.Status
		applied bool
		detail  string
	}{
		{"Accepted", adapters.StatusAccepted, true, "TxProfile 7001"},
		{"Rejected", adapters.StatusRejected, false, "answered Rejected"},
		{"error", adapters.StatusFailed, false, "simulated late fault"},
	}
	for _, tt := range tests {
		t.Run(tt.say, func(t *testing.T) {
			h, events, stdin := connectPeer(t, "reconnect")
			g, path := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: wait})
			r := g.Apply(context.Background(), setpoint("rc1", 6, time.Now().Add(20*time.Minute)))
			if r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "client disconnected") {
				t.Fatalf("result %+v, want timeout: the charge point went away unanswered", r)
			}
			next(t, events, "SetChargingProfile")
			next(t, events, "dropped")
			// ocpp-go has forgotten the old connection (its calls ended
			// "client disconnected"), so the new one is not refused as a
			// duplicate.
			say(t, stdin, "connect")
			next(t, events, "reconnected")
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			if err := h.cs.WaitConnected(ctx, "CP-A"); err != nil {
				t.Fatal(err)
			}
			say(t, stdin, "late "+tt.say)
			next(t, events, "answered late")
			// The charge point's messages are read in order: once the
			// clear is answered, the late answer before it was handled.
			if err := h.cs.Release(ctx, "CP-A"); err != nil {
				t.Fatal(err)
			}
			recs := readJournal(t, path)
			if len(recs) != 3 || recs[0].Kind != adapters.RecSetpoint || recs[1].Kind != adapters.RecResult || recs[2].Kind != adapters.RecLateResult {
				t.Fatalf("journal %+v, want setpoint, result, late_result", recs)
			}
			l := recs[2]
			if l.Setpoint != "rc1" || l.Charger != "CP-A" || l.Status != tt.status || !strings.Contains(l.Detail, "late answer") ||
				!strings.Contains(l.Detail, tt.detail) || (l.AppliedKW != nil) != tt.applied {
				t.Fatalf("late_result %+v, want setpoint rc1 %s with %q", l, tt.status, tt.detail)
			}
			if tt.applied && *l.AppliedKW != 6 {
				t.Errorf("late_result applied %v kW, want 6", *l.AppliedKW)
			}
			// The late answer is counted in place of the timeout and is
			// the charger's latest result (its page: "accepted late").
			if st := g.Stats(); st.Late != 1 || st.Results[adapters.StatusTimeout] != 0 || st.Results[tt.status] != 1 {
				t.Errorf("stats %+v, want one late answer counted %s, no timeout", st, tt.status)
			}
			if o, ok := g.Latest("CP-A"); !ok || !o.Late || o.Result.Status != tt.status {
				t.Errorf("latest %+v, want rc1 %s late", o, tt.status)
			}
			if c := h.cs.Counts(); c.UnmatchedAnswers != 1 {
				t.Errorf("counts %+v, want the answer ocpp-go dropped counted", c)
			}
		})
	}
}

// TestLateAnswerAfterTheGraceJournalled: the guard's late grace runs out
// while ocpp-go still waits for the charge point (its own timeout is 30 s),
// so Apply reports timeout and returns; the answer that then comes is still
// journalled as late_result.
func TestLateAnswerAfterTheGraceJournalled(t *testing.T) {
	h, events, stdin := connectPeer(t, "late")
	// The batch's deadline passes once the charge point has the call (dl),
	// not after a wall time that could pass before it was sent. The
	// worker's grace still runs from the batch's start, BatchTimeout plus
	// LateGrace of wall time: long enough for a loaded machine to send the
	// call, short beside ocpp-go's 30 s.
	g, path := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: 2 * time.Second, LateGrace: 200 * time.Millisecond})
	dl := adapterstest.NewDeadline()
	res := make(chan adapters.Result, 1)
	go func() { res <- g.Apply(dl, setpoint("lg1", 6, time.Now().Add(20*time.Minute))) }()
	next(t, events, "SetChargingProfile")
	dl.Pass()
	if r := <-res; r.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout", r)
	}
	g.Close() // the worker has given up: the grace is over
	if st := g.Stats(); st.Late != 0 {
		t.Fatalf("stats %+v: nothing late yet", st)
	}
	say(t, stdin, "answer")
	next(t, events, "answering")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := h.cs.Release(ctx, "CP-A"); err != nil {
		t.Fatal(err)
	}
	recs := readJournal(t, path)
	late := recordsOf(recs, adapters.RecLateResult)
	if len(late) != 1 || late[0].Setpoint != "lg1" || late[0].Status != adapters.StatusAccepted ||
		late[0].AppliedKW == nil || *late[0].AppliedKW != 6 {
		t.Fatalf("journal %+v, want one late_result accepted at 6 kW for lg1", recs)
	}
	if st := g.Stats(); st.Late != 1 {
		t.Errorf("stats %+v, want one late answer", st)
	}
}

// TestReleaseBehindAStalledCallJournalledWhenSent: a release queued behind
// a SetChargingProfile the charge point does not answer gives up at its
// deadline and is reported failed. ocpp-go cannot take the queued clear
// back, so it goes out when the stalled call ends: the journal must say so
// when it goes out, and what the charge point answered, so a release
// reported failed never takes effect without a record.
func TestReleaseBehindAStalledCallJournalledWhenSent(t *testing.T) {
	h, events, stdin := connectPeer(t, "stall")
	g, path := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: 300 * time.Millisecond, LateGrace: 300 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan adapters.Result, 1)
	go func() { first <- h.cs.Apply(ctx, setpoint("st1", 6, time.Now().Add(20*time.Minute))) }()
	next(t, events, "SetChargingProfile") // held unanswered
	err := g.Release(context.Background(), "CP-A", "op", "hand back")
	if err == nil || !strings.Contains(err.Error(), "not sent before the deadline") || !strings.Contains(err.Error(), "journal records it") {
		t.Fatalf("release: %v, want queued, not sent before the deadline", err)
	}
	say(t, stdin, "answer") // the stalled call ends
	next(t, events, "answering")
	if r := <-first; r.Status != adapters.StatusAccepted {
		t.Fatalf("stalled setpoint %+v, want accepted once answered", r)
	}
	next(t, events, "ClearChargingProfile") // the queued clear goes out now
	// The next call goes out once the clear is answered, and its answer
	// comes after the clear's: when it returns, the clear's was read.
	ctx2, cancel2 := context.WithTimeout(context.Background(), wait)
	defer cancel2()
	if r := h.cs.Apply(ctx2, setpoint("st2", 5, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("next setpoint %+v, want accepted", r)
	}
	rel := recordsOf(readJournal(t, path), adapters.RecRelease)
	if len(rel) != 4 || rel[0].Detail != "requested" || rel[1].Status != adapters.StatusFailed ||
		!strings.Contains(rel[2].Detail, "going out now, after the release was reported failed") || rel[2].Status != "" ||
		rel[3].Status != adapters.StatusAccepted || !strings.Contains(rel[3].Detail, "the charger is released") {
		t.Fatalf("release records %+v, want requested, failed, sent late, then its answer: released", rel)
	}
}

// TestLateReleaseAnswerJournalled: a clear that went out but was not
// answered before the release's deadline is reported failed; when the
// charge point answers later, the journal gets a release record saying the
// charger was released after all.
func TestLateReleaseAnswerJournalled(t *testing.T) {
	h, events, stdin := connectPeer(t, "lateclear")
	g, path := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: 300 * time.Millisecond, LateGrace: 300 * time.Millisecond})
	if r := g.Apply(context.Background(), setpoint("lc1", 6, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint %+v, want accepted", r)
	}
	next(t, events, "SetChargingProfile")
	err := g.Release(context.Background(), "CP-A", "op", "hand back")
	if err == nil || !strings.Contains(err.Error(), "sent to") || !strings.Contains(err.Error(), "may still clear") {
		t.Fatalf("release: %v, want sent, no answer", err)
	}
	next(t, events, "ClearChargingProfile")
	say(t, stdin, "answer")
	next(t, events, "answering")
	// The next call goes out once the clear is answered, and its answer
	// comes after the clear's: when it returns, the late answer was read.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if r := h.cs.Apply(ctx, setpoint("lc2", 5, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("next setpoint %+v, want accepted", r)
	}
	rel := recordsOf(readJournal(t, path), adapters.RecRelease)
	if len(rel) != 3 || rel[1].Status != adapters.StatusFailed || rel[2].Status != adapters.StatusAccepted ||
		!strings.Contains(rel[2].Detail, "late answer") || !strings.Contains(rel[2].Detail, "released") || rel[2].Charger != "CP-A" {
		t.Fatalf("release records %+v, want requested, failed, then a late answer: released", rel)
	}
}
