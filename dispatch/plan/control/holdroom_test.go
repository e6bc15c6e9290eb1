package control

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// reportAllBut moves the clock by d and reports every charger but quiet,
// and the feeders with every charger's power in their load (the meter
// still measures a charger whose telemetry is lost).
func (s *testSite) reportAllBut(d time.Duration, quiet string) {
	s.mu.Lock()
	s.now = s.now.Add(d)
	now, soc := s.now, s.soc
	kws := make(map[string]float64, len(s.kw))
	for id, kw := range s.kw {
		kws[id] = kw
	}
	s.mu.Unlock()
	ts := now.Format(time.RFC3339)
	dep := t0.Add(6 * time.Hour).Format(time.RFC3339)
	f1, f2 := 80.0, 100.0
	for id, kw := range kws {
		if strings.HasPrefix(id, "CP-9") {
			f2 += kw
		} else {
			f1 += kw
		}
		if id == quiet {
			continue
		}
		s.frame(fmt.Sprintf(`{"v":1,"type":"charger","id":"%s","ts":"%s","state":"charging","kw":%g,"plugged":true,"soc":%g,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`, id, ts, kw, soc, dep))
	}
	s.frame(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F1","ts":"%s","kw":%g}`, ts, f1))
	s.frame(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F2","ts":"%s","kw":%g}`, ts, f2))
}

// holdRoomRun is a cap of 120 kW on F1 (base 80 kW, ten 11 kW chargers,
// their EVs at 10 %) confirmed at 18:00, whose CP-00 goes silent after 18:01 while the others
// are heard every minute; its sender answers late as the test says.
type holdRoomRun struct {
	r  *rig
	sl *scriptedLate
	id string
}

func newHoldRoomRun(t *testing.T) *holdRoomRun {
	var sl *scriptedLate
	r := newRig(t, func(o *Options) {
		sl = &scriptedLate{fakeSender: o.Sender.(*fakeSender), answers: map[string]adapters.Result{}}
		o.Sender = sl
	})
	// Low batteries: the EVs need more than the cap lets through, so the
	// plans fill whatever room the cap leaves, and a held charger's room
	// shows in the heard chargers' setpoints.
	r.site.mu.Lock()
	r.site.soc = 0.1
	r.site.mu.Unlock()
	r.site.report(0)
	id := r.confirmed(t, capF1("DR-1", 120))
	r.site.reportAllBut(time.Minute, "") // 18:01, every charger heard
	r.c.Step(context.Background())
	return &holdRoomRun{r: r, sl: sl, id: id}
}

// runTo steps minute by minute to until, CP-00 silent.
func (h *holdRoomRun) runTo(until time.Time) {
	for h.r.site.Now().Before(until) {
		h.r.site.reportAllBut(time.Minute, "CP-00")
		h.r.c.Step(context.Background())
	}
}

// planned is the latest plan's F1 base load per slot and the sum of the
// heard chargers' setpoints in its first slot.
func (h *holdRoomRun) planned(t *testing.T) (base []float64, heardKW float64, pv *plan.Preview) {
	t.Helper()
	h.r.c.mu.Lock()
	e := h.r.c.events[h.id]
	p, pv := e.plan, e.preview
	h.r.c.mu.Unlock()
	for _, f := range p.Problem.Feeders {
		if f.ID == "F1" {
			base = f.BaseKW
		}
	}
	for _, s := range pv.Setpoints {
		if s.Charger != "CP-00" && strings.HasPrefix(s.Charger, "CP-0") {
			heardKW += s.KW
		}
	}
	return base, heardKW, pv
}

// firstKW is the limit CP-00 is held at: its setpoint of the confirmed
// plan, no discharge.
func (h *holdRoomRun) firstKW(t *testing.T) float64 {
	t.Helper()
	h.r.snd.mu.Lock()
	defer h.r.snd.mu.Unlock()
	for _, sp := range h.r.snd.sent {
		if sp.Charger == "CP-00" {
			return math.Max(0, sp.KW)
		}
	}
	t.Fatal("nothing sent to CP-00 at 18:00")
	return 0
}

func wantBase(t *testing.T, when string, base []float64, want func(slot int) float64) {
	t.Helper()
	for i, b := range base {
		if w := want(i); math.Abs(b-w) > 1e-6 {
			t.Errorf("%s: F1 base load in slot %d of %d is %.2f kW, want %.2f", when, i, len(base), b, w)
			return
		}
	}
}

// TestRefusedHoldLeavesFullPower: CP-00 goes silent and refuses its hold.
// Once the setpoint it acknowledged (18:00's, valid to 18:20) lapses it
// charges unmanaged, at its full 11 kW, unseen; the plan of 18:30 leaves
// it that much, not the last limit its refused hold asked, and the heard
// chargers get less. An acknowledged hold keeps the last limit (below).
func TestRefusedHoldLeavesFullPower(t *testing.T) {
	run := newHoldRoomRun(t)
	kw0 := run.firstKW(t)
	if kw0 >= 11-1e-6 {
		t.Fatalf("CP-00 was planned at %.2f kW at 18:00: the test needs it below its 11 kW", kw0)
	}
	run.r.snd.mu.Lock()
	run.r.snd.refuse["CP-00"] = "refused by the charger"
	run.r.snd.mu.Unlock()

	// 18:15: CP-00's latest setpoint, 18:00's, was acknowledged; the hold
	// sent now is refused, which the plan cannot know yet.
	run.runTo(t0.Add(16 * time.Minute))
	base, _, _ := run.planned(t)
	wantBase(t, "18:15", base, func(int) float64 { return 80 + kw0 })
	hold := run.r.snd.latestTo(t, "CP-00")
	if !strings.Contains(hold.Reason, "held on stale data") || strings.Contains(hold.Reason, "not acknowledged") {
		t.Errorf("18:15 hold's reason %q: want a hold, with nothing said of full power", hold.Reason)
	}

	// 18:30: the hold was refused and 18:00's setpoint lapsed at 18:20.
	run.runTo(t0.Add(31 * time.Minute))
	base, heard, pv := run.planned(t)
	wantBase(t, "18:30", base, func(int) float64 { return 80 + 11 })
	if room := 120 - 80 - 11.0; math.Abs(heard-room) > 1e-3 {
		t.Errorf("18:30: the heard chargers are planned %.2f kW under the 120 kW cap: want the room it leaves, %.2f, CP-00 at its full 11 kW", heard, room)
	}
	if pv.After.Feeders["F1"][0] > 120+1e-3 {
		t.Errorf("18:30: F1 planned at %.2f kW, over the 120 kW cap", pv.After.Feeders["F1"][0])
	}
	hold = run.r.snd.latestTo(t, "CP-00")
	if want := "latest setpoint not acknowledged: planned as if drawing 11 kW from 18:30"; !strings.Contains(hold.Reason, want) {
		t.Errorf("18:30 hold's reason %q: want %q", hold.Reason, want)
	}
	if math.Abs(hold.KW-kw0) > 1e-9 {
		t.Errorf("18:30 hold at %.2f kW, want the last limit %.2f: the room is the plan's, not the charger's", hold.KW, kw0)
	}
	v, _ := run.r.c.Event(run.id)
	pr := v.Progress
	if pr.HeldFull != 1 || pr.HeldFullKW != 11 || !pr.HeldFullFrom.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("18:30: held at full power %d, %.1f kW from %v; want 1, 11 kW from 18:30", pr.HeldFull, pr.HeldFullKW, pr.HeldFullFrom)
	}
}

// TestAcknowledgedHoldKeepsItsLimit is the twin of the refused hold: CP-00
// accepts its holds, so it holds its last limit and the plans leave it
// that, for the whole horizon.
func TestAcknowledgedHoldKeepsItsLimit(t *testing.T) {
	run := newHoldRoomRun(t)
	kw0 := run.firstKW(t)
	run.runTo(t0.Add(31 * time.Minute))
	base, heard, _ := run.planned(t)
	wantBase(t, "18:30", base, func(int) float64 { return 80 + kw0 })
	if room := 120 - 80 - kw0; math.Abs(heard-room) > 1e-3 {
		t.Errorf("18:30: the heard chargers are planned %.2f kW, want the cap's room %.2f, CP-00 at its %.2f kW", heard, room, kw0)
	}
	if hold := run.r.snd.latestTo(t, "CP-00"); strings.Contains(hold.Reason, "not acknowledged") {
		t.Errorf("18:30 hold's reason %q: an acknowledged hold says nothing of full power", hold.Reason)
	}
	v, _ := run.r.c.Event(run.id)
	if pr := v.Progress; pr.HeldFull != 0 || pr.HeldFullKW != 0 || !pr.HeldFullFrom.IsZero() {
		t.Errorf("18:30: held at full power %d, %.1f kW from %v; want none", pr.HeldFull, pr.HeldFullKW, pr.HeldFullFrom)
	}
}

// TestUnansweredHoldThenLateAck: CP-00's hold of 18:15 gets no answer, so
// the plan of 18:30 leaves it its full power (18:00's setpoint lapsed at
// 18:20); its hold of 18:30 gets none either, then it is accepted late:
// the plan of 18:45 leaves it its last limit again.
func TestUnansweredHoldThenLateAck(t *testing.T) {
	run := newHoldRoomRun(t)
	kw0 := run.firstKW(t)
	run.r.snd.mu.Lock()
	run.r.snd.silent = map[string]bool{"CP-00": true}
	run.r.snd.mu.Unlock()
	run.runTo(t0.Add(31 * time.Minute))
	base, _, _ := run.planned(t)
	wantBase(t, "18:30, no answer", base, func(int) float64 { return 80 + 11 })

	run.sl.answer(run.r.snd.latestTo(t, "CP-00").ID, adapters.StatusAccepted)
	run.r.snd.mu.Lock()
	run.r.snd.silent = nil
	run.r.snd.mu.Unlock()
	run.runTo(t0.Add(46 * time.Minute))
	base, _, _ = run.planned(t)
	wantBase(t, "18:45, accepted late", base, func(int) float64 { return 80 + kw0 })
}

// TestHeldForecasterPerSlot: a charger whose latest setpoint is not
// acknowledged takes its held room while its last acknowledged setpoint
// is valid, and its full power in every slot from the one where that
// validity ends (a slot the charger may draw full power in for any part
// of it), on its own feeder only; an acknowledged one takes its held room
// throughout.
func TestHeldForecasterPerSlot(t *testing.T) {
	base := plan.FuncForecaster(func(_ string, _ time.Time, _ time.Duration, n int) []float64 {
		return make([]float64, n)
	})
	start := t0.Add(15 * time.Minute)
	f := withHeld(base, []heldCharger{
		{charger: "A", feeder: "F1", kw: 3, roomKW: 4, full: true, fullKW: 11, fullFrom: start.Add(35 * time.Minute)}, // 18:50
		{charger: "B", feeder: "F1", kw: 2, roomKW: 2},
		{charger: "C", feeder: "F2", kw: 1, roomKW: 1, full: true, fullKW: 7, fullFrom: start},
	})
	got := f.BaseKW("F1", start, 15*time.Minute, 5)
	want := []float64{6, 6, 13, 13, 13} // 18:15, 18:30: 4+2; from 18:45's slot, which holds 18:50: 11+2
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("F1 base %v, want %v", got, want)
		}
	}
	if got := f.BaseKW("F2", start, 15*time.Minute, 3); got[0] != 7 || got[2] != 7 {
		t.Errorf("F2 base %v, want 7 kW in every slot (no acknowledged setpoint in force)", got)
	}
}

// TestRoomForFollowsTheAnswers: the room of a held charger follows what
// its setpoints became, answer by answer: acknowledged, its held limit;
// then refused, its full power from the acknowledged one's validity (and
// before it the higher of that setpoint and its held limit); a setpoint
// never sent (the send stopped) is not acknowledged either; a late
// acknowledgement of the latest restores the held limit, and one of an
// older plan's does not displace a newer acknowledged setpoint.
func TestRoomForFollowsTheAnswers(t *testing.T) {
	now := t0.Add(30 * time.Minute)
	ch := func(maxKW float64) feeds.ChargerStatus {
		return feeds.ChargerStatus{ChargerInfo: feeds.ChargerInfo{ID: "CP-00", Feeder: "F1", MaxChargeKW: maxKW}}
	}
	room := func(e *entry, kw float64) heldCharger {
		h := heldCharger{charger: "CP-00", feeder: "F1", kw: kw, roomKW: kw}
		roomFor(e, &h, ch(11), now)
		return h
	}
	sp := func(seq int, kw float64, until time.Time) adapters.Setpoint {
		return adapters.Setpoint{ID: fmt.Sprintf("DR-1@%d/CP-00", seq), Charger: "CP-00", KW: kw, ValidUntil: until}
	}
	e := &entry{}
	noteAnswerLocked(e, 1, sp(1, 6, now.Add(5*time.Minute)), adapters.Result{Status: adapters.StatusAccepted})
	if h := room(e, 6); h.full || h.roomKW != 6 {
		t.Errorf("acknowledged: %+v, want its held 6 kW, not full", h)
	}
	noteAnswerLocked(e, 2, sp(2, 4, now.Add(20*time.Minute)), adapters.Result{Status: adapters.StatusRejected})
	if h := room(e, 4); !h.full || h.fullKW != 11 || !h.fullFrom.Equal(now.Add(5*time.Minute)) || h.roomKW != 6 {
		t.Errorf("refused after one in force to %s: %+v, want 6 kW (the one in force) until then, 11 kW from then",
			now.Add(5*time.Minute).Format("15:04"), h)
	}
	noteAnswerLocked(e, 3, sp(3, 4, now.Add(35*time.Minute)), adapters.Result{Status: adapters.StatusAccepted})
	noteUnsentLocked(e, sp(4, 4, now.Add(50*time.Minute)))
	if h := room(e, 4); !h.full || !h.fullFrom.Equal(now.Add(35*time.Minute)) {
		t.Errorf("plan 4's never sent: %+v, want full from plan 3's validity", h)
	}
	noteAnswerLocked(e, 5, sp(5, 4, now.Add(65*time.Minute)), adapters.Result{Status: adapters.StatusTimeout})
	noteLateAnswerLocked(e, sp(2, 0, time.Time{}).ID, lateWait{seq: 2, charger: "CP-00", until: now.Add(20 * time.Minute), kw: 4}, adapters.StatusAccepted)
	if h := room(e, 4); !h.full || !h.fullFrom.Equal(now.Add(35*time.Minute)) {
		t.Errorf("plan 2's accepted late, plan 5's unanswered: %+v, want full from plan 3's validity still", h)
	}
	noteLateAnswerLocked(e, sp(5, 0, time.Time{}).ID, lateWait{seq: 5, charger: "CP-00", until: now.Add(65 * time.Minute), kw: 4}, adapters.StatusAccepted)
	if h := room(e, 4); h.full || h.roomKW != 4 {
		t.Errorf("plan 5's accepted late: %+v, want its held 4 kW, not full", h)
	}
	// Its last acknowledged setpoint lapsed: full from now.
	e2 := &entry{}
	noteAnswerLocked(e2, 1, sp(1, 6, now.Add(-5*time.Minute)), adapters.Result{Status: adapters.StatusAccepted})
	noteAnswerLocked(e2, 2, sp(2, 6, now.Add(10*time.Minute)), adapters.Result{Status: adapters.StatusFailed})
	if h := room(e2, 6); !h.full || !h.fullFrom.Equal(now) || h.roomKW != 6 {
		t.Errorf("nothing in force: %+v, want full from now", h)
	}
}
