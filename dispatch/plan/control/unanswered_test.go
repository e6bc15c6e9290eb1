package control

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// scriptedLate is a fakeSender with the LateAnswerer capability whose late
// answers the test gives, by setpoint id.
type scriptedLate struct {
	*fakeSender
	mu      sync.Mutex
	answers map[string]adapters.Result
}

func (s *scriptedLate) LateAnswer(id string) (adapters.Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.answers[id]
	return r, ok
}

func (s *scriptedLate) answer(id string, st adapters.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[id] = adapters.Result{ID: id, Status: st, Reason: "answered after a reconnect"}
}

// latestTo is the id of the latest setpoint sent to charger.
func (f *fakeSender) latestTo(t *testing.T, charger string) adapters.Setpoint {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.sent) - 1; i >= 0; i-- {
		if f.sent[i].Charger == charger {
			return f.sent[i]
		}
	}
	t.Fatalf("nothing sent to %s", charger)
	return adapters.Setpoint{}
}

// TestHoldsInThreeCases: holds on stale data fall in three cases, counted
// apart: acknowledged (Held), no answer (HeldUnknown: the charger may hold
// it until HeldUntil) and not in force (refused). A hold that timed out was
// counted as not held, and the page said "their hold was not applied"
// for a charger that may well hold it. A late answer moves it: accepted, to
// held; refused, to not in force.
func TestHoldsInThreeCases(t *testing.T) {
	var sl *scriptedLate
	r := newRig(t, func(o *Options) {
		sl = &scriptedLate{fakeSender: o.Sender.(*fakeSender), answers: map[string]adapters.Result{}}
		o.Sender = sl
	})
	id := r.confirmed(t, capF1("DR-1", 120))
	ctx := context.Background()
	r.site.report(time.Minute) // 18:01, heard
	r.c.Step(ctx)
	r.snd.mu.Lock()
	r.snd.silent = map[string]bool{"CP-00": true, "CP-01": true, "CP-02": true}
	r.snd.refuse["CP-03"] = "refused by the charger"
	r.snd.mu.Unlock()
	step := func() {
		r.site.mu.Lock()
		r.site.now = r.site.now.Add(time.Minute)
		r.site.mu.Unlock()
		r.c.Step(ctx)
	}
	for r.site.Now().Before(t0.Add(16 * time.Minute)) {
		step() // silent: the 18:15 slot holds every F1 charger
	}
	v, _ := r.c.Event(id)
	pr := v.Progress
	holdsUntil := t0.Add(35 * time.Minute) // the 18:15 slot's end and the 5-minute grace
	if pr.HeldAsked != 10 || pr.Held != 6 || pr.HeldUnknown != 3 {
		t.Fatalf("at 18:16: held %d, unknown %d of %d asked; want 6 acknowledged, 3 with no answer (CP-00..02), of 10 (CP-03 refused)",
			pr.Held, pr.HeldUnknown, pr.HeldAsked)
	}
	if !pr.HeldUntil.Equal(holdsUntil) {
		t.Errorf("holds valid until %v, want %v", pr.HeldUntil, holdsUntil)
	}
	if pr.Unanswered != 3 || !pr.UnansweredUntil.Equal(holdsUntil) {
		t.Errorf("unanswered %d until %v, want 3 chargers until %v", pr.Unanswered, pr.UnansweredUntil, holdsUntil)
	}

	// Late answers: CP-00 accepted its hold, CP-01 refused it.
	sl.answer(r.snd.latestTo(t, "CP-00").ID, adapters.StatusAccepted)
	sl.answer(r.snd.latestTo(t, "CP-01").ID, adapters.StatusRejected)
	step()
	v, _ = r.c.Event(id)
	pr = v.Progress
	if pr.Held != 7 || pr.HeldUnknown != 1 || pr.HeldAsked != 10 {
		t.Errorf("after the late answers: held %d, unknown %d of %d; want 7 (CP-00 accepted late), 1 (CP-02), of 10",
			pr.Held, pr.HeldUnknown, pr.HeldAsked)
	}
	if pr.Unanswered != 1 || !pr.UnansweredUntil.Equal(holdsUntil) {
		t.Errorf("after the late answers: unanswered %d until %v, want 1 (CP-02) until %v", pr.Unanswered, pr.UnansweredUntil, holdsUntil)
	}
	if pr.Late != 2 {
		t.Errorf("late %d, want 2", pr.Late)
	}
}

// TestUnansweredUntilValidityOrAnswer: a charger whose setpoint got no
// answer is unknown until its validity; a later setpoint it acknowledges
// replaces it, and one refused does not (the charger may still hold the
// unanswered one). Past the validity it is no longer counted: the charger
// can hold it no longer.
func TestUnansweredUntilValidityOrAnswer(t *testing.T) {
	r := newRig(t, nil)
	r.snd.silent = map[string]bool{"CP-00": true, "CP-01": true}
	id := r.confirmed(t, capF1("DR-2", 120))
	v, _ := r.c.Event(id)
	first := r.snd.latestTo(t, "CP-00").ValidUntil
	if v.Progress.Unanswered != 2 || !v.Progress.UnansweredUntil.Equal(first) {
		t.Fatalf("after the first plan: unanswered %d until %v, want 2 until %v", v.Progress.Unanswered, v.Progress.UnansweredUntil, first)
	}
	if v.Progress.Holding != 10 {
		t.Errorf("holding %d, want the 10 F1 chargers (those with no answer included: they are released too)", v.Progress.Holding)
	}

	// The 18:15 plan: CP-00 answers (accepted), CP-01's is refused.
	r.snd.mu.Lock()
	r.snd.silent = nil
	r.snd.refuse["CP-01"] = "rate limit"
	r.snd.mu.Unlock()
	r.site.report(15 * time.Minute)
	r.c.Step(context.Background())
	v, _ = r.c.Event(id)
	if v.Progress.Unanswered != 1 || !v.Progress.UnansweredUntil.Equal(first) {
		t.Errorf("after the 18:15 plan: unanswered %d until %v, want 1 (CP-01 may still hold the first) until %v",
			v.Progress.Unanswered, v.Progress.UnansweredUntil, first)
	}

	// At the first setpoint's validity CP-01 can hold it no longer.
	r.site.report(first.Sub(r.site.Now()))
	r.c.Step(context.Background())
	v, _ = r.c.Event(id)
	if v.Progress.Unanswered != 0 || !v.Progress.UnansweredUntil.IsZero() {
		t.Errorf("at %s: unanswered %d until %v, want none", first.Format("15:04"), v.Progress.Unanswered, v.Progress.UnansweredUntil)
	}
}

// TestReleasedIsNotUnanswered: a cancel releases the chargers with no
// answer too, and once released they hold nothing of the event; where the
// adapter cannot release, they may hold it until its validity.
func TestReleasedIsNotUnanswered(t *testing.T) {
	for _, tt := range []struct {
		name      string
		noRelease bool
		want      int
	}{{"released", false, 0}, {"cannot release", true, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.snd.silent = map[string]bool{"CP-00": true}
			r.snd.noRelease = tt.noRelease
			id := r.confirmed(t, capF1("DR-3", 120))
			if err := r.c.Cancel(context.Background(), id, ana, "test"); err != nil {
				t.Fatal(err)
			}
			v, _ := r.c.Event(id)
			if v.Progress.Unanswered != tt.want {
				t.Errorf("after the cancel: unanswered %d, want %d", v.Progress.Unanswered, tt.want)
			}
			// The journal's cancel record says it too, in the desk's words.
			r.j.mu.Lock()
			defer r.j.mu.Unlock()
			last := r.j.recs[len(r.j.recs)-1]
			said := strings.Contains(last.Detail, "1 not released with no answer: may hold it until ")
			if last.Kind != RecDispatchCancel || said != (tt.want == 1) {
				t.Errorf("cancel record %s %q: want the one not released with no answer said only when there is one", last.Kind, last.Detail)
			}
		})
	}
}

// TestNotAppliedCountsLateAnswersDuringTheSend: a late answer to a
// setpoint of the plan's first chunk can be counted (a step) while the
// next chunk is still out; the plan's "N of M setpoints not applied" then
// left it among the not applied, under status counts that said accepted.
func TestNotAppliedCountsLateAnswersDuringTheSend(t *testing.T) {
	var sl *scriptedLate
	var r *rig
	chunks := 0
	r = newRig(t, func(o *Options) {
		o.SendChunk = 5
		sl = &scriptedLate{fakeSender: o.Sender.(*fakeSender), answers: map[string]adapters.Result{}}
		sl.silent = map[string]bool{"CP-00": true}
		sl.onApply = func([]adapters.Setpoint) {
			chunks++
			if chunks == 2 {
				// The first chunk's CP-00 is answered late, and a step
				// counts it, while this chunk is out.
				sl.answer(sl.latestTo(t, "CP-00").ID, adapters.StatusAccepted)
				r.c.Step(context.Background())
			}
		}
		o.Sender = sl
	})
	id := r.confirmed(t, capF1("DR-4", 120))
	v, _ := r.c.Event(id)
	if chunks < 2 {
		t.Fatalf("%d chunks sent, want at least 2 (10 chargers, 5 a chunk)", chunks)
	}
	if v.Progress.Late != 1 || v.Progress.ByStatus[adapters.StatusTimeout] != 0 {
		t.Fatalf("progress %+v, want CP-00's late acceptance counted", v.Progress)
	}
	if v.Error != nil {
		t.Errorf("error %v, want none: every setpoint is applied", v.Error)
	}
}

// TestUnansweredCountsFollowEachAnswer: the counts follow each answer as it
// is recorded, without a count made afresh (which a send no longer makes
// after each chunk), and a count at a time before any validity changes
// nothing; the latest validity left is found again once an answer took out
// the latest.
func TestUnansweredCountsFollowEachAnswer(t *testing.T) {
	e := &entry{}
	sp := func(ch string, min int) adapters.Setpoint {
		return adapters.Setpoint{ID: ch + "/1", Charger: ch, ValidUntil: t0.Add(time.Duration(min) * time.Minute)}
	}
	timeout := adapters.Result{Status: adapters.StatusTimeout}
	answeredLocked(e, sp("A", 20), timeout)
	answeredLocked(e, sp("B", 35), timeout)
	answeredLocked(e, sp("C", 30), adapters.Result{Status: adapters.StatusRejected})
	if e.progress.Unanswered != 2 || !e.progress.UnansweredUntil.Equal(t0.Add(35*time.Minute)) {
		t.Fatalf("after 2 timeouts and a refusal: %d until %v, want 2 until 18:35", e.progress.Unanswered, e.progress.UnansweredUntil)
	}
	if countUnansweredLocked(e, t0.Add(time.Minute)) {
		t.Errorf("a count at 18:01 changed the figures: %d until %v", e.progress.Unanswered, e.progress.UnansweredUntil)
	}
	answeredLocked(e, sp("B", 50), adapters.Result{Status: adapters.StatusAccepted})
	if e.progress.Unanswered != 1 {
		t.Fatalf("B acknowledged: %d unanswered, want 1", e.progress.Unanswered)
	}
	if !countUnansweredLocked(e, t0.Add(2*time.Minute)) || !e.progress.UnansweredUntil.Equal(t0.Add(20*time.Minute)) {
		t.Errorf("counted after B's answer: until %v, want A's 18:20", e.progress.UnansweredUntil)
	}
	if !countUnansweredLocked(e, t0.Add(20*time.Minute)) || e.progress.Unanswered != 0 || !e.progress.UnansweredUntil.IsZero() {
		t.Errorf("at A's validity: %d until %v, want none", e.progress.Unanswered, e.progress.UnansweredUntil)
	}
}
