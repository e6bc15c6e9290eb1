package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestCancelLineSaysWhichHaveNoAnswer: the cancel line counted the
// setpoints that got no answer among those that "expire at their
// validity", as if their chargers were known to hold them. It says how
// many of them got no answer, in the words of the event's page; and when
// the chargers are released, that those with no answer are released too.
func TestCancelLineSaysWhichHaveNoAnswer(t *testing.T) {
	fx := demo(t)
	m := newDRModel(fx, newDRController(t, fx, nil), "")
	now := m.siteNow()
	c := func(i int) string { return fx.snap.ChargerAt(i).ID }
	sp := func(until time.Time, st adapters.Status) adapters.Outcome {
		return adapters.Outcome{Setpoint: adapters.Setpoint{Event: "DR-17", ValidUntil: until}, Result: adapters.Result{Status: st}}
	}
	m.opts.Setpoints = &latestGuard{latest: map[string]adapters.Outcome{
		c(0): sp(now.Add(20*time.Minute), adapters.StatusAccepted),
		c(1): sp(now.Add(20*time.Minute), adapters.StatusAccepted),
		c(3): sp(now.Add(10*time.Minute), adapters.StatusTimeout),
		c(4): sp(now.Add(10*time.Minute), adapters.StatusRejected),
	}}
	pr := control.Progress{Holding: 3, Unreleasable: 3, ValidUntil: now.Add(20 * time.Minute),
		Unanswered: 1, UnansweredUntil: now.Add(10 * time.Minute)}
	want := ": 3 setpoints expire at their validity, by " + m.clockTime(pr.ValidUntil) +
		" (1 of them: no answer: may hold it until " + hhmm(pr.UnansweredUntil, m.loc()) + ")"
	if got := m.cancelHint("DR-17", pr); !strings.HasSuffix(got, want) {
		t.Errorf("cannot release, 1 of 3 with no answer: %q, want it to end %q", got, want)
	}

	// Releasable: the one with no answer is released with the others.
	rel := control.Progress{Holding: 3, ValidUntil: pr.ValidUntil, Unanswered: 1, UnansweredUntil: pr.UnansweredUntil}
	if got, want := m.cancelHint("DR-17", rel), "cancel the event and release the chargers, the 1 with no answer too"; got != want {
		t.Errorf("releasable: %q, want %q", got, want)
	}

	// Ended, the adapter could not release them: the page's release line.
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-17", Scope: "F07"}, State: control.StateCancelled, Plans: 2, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 2, Sent: 3, Done: 3, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 2, adapters.StatusTimeout: 1},
			ReleaseUnsupported: 3, ValidUntil: pr.ValidUntil, Unanswered: 1, UnansweredUntil: pr.UnansweredUntil}}
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); !strings.Contains(got, "this adapter cannot release"+want) {
		t.Errorf("ended, cannot release:\n%s\nwant %q", got, "this adapter cannot release"+want)
	}

	m.tr = newTranslator("zh-CN")
	if got, want := m.cancelHint("DR-17", pr), "(其中 1 个: 无应答: 可能仍执行至 "+hhmm(pr.UnansweredUntil, m.loc())+")"; !strings.HasSuffix(got, want) {
		t.Errorf("zh-CN: %q, want it to end %q", got, want)
	}
}

// TestPageSaysChargersWithNoAnswer: an event in force whose chargers did
// not answer their latest setpoint says how many and until when they may
// hold it, under the plan line that counts them "timeout"; in English and
// zh-CN. Once they answered (none left), nothing is said.
func TestPageSaysChargersWithNoAnswer(t *testing.T) {
	until := fixedNow.Add(18 * time.Minute)
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 3, Sent: 48, Done: 48, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 40, adapters.StatusTimeout: 8},
			Holding: 48, Unanswered: 8, UnansweredUntil: until, ValidUntil: until}}
	for lang, want := range map[string]string{
		"":      "△ 8 chargers: latest setpoint sent, no answer: may hold it until ",
		"zh-CN": "△ 8 个充电桩: 最近的设定值已发送, 无应答: 可能仍执行至 ",
	} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if w := want + hhmm(until, m.loc()); !strings.Contains(got, w) {
			t.Errorf("%q page:\n%s\nwant %q", lang, got, w)
		}
	}
	v.Progress.Unanswered, v.Progress.UnansweredUntil = 0, time.Time{}
	m, _, _ := newTestModel(t, "", 160, 45)
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); strings.Contains(got, "no answer") {
		t.Errorf("all answered, the page says:\n%s", got)
	}
}

// ctxSender is a Sender that keeps the context of each batch.
type ctxSender struct {
	recordingSender
	ctxs []context.Context
}

func (s *ctxSender) ApplyBatch(ctx context.Context, sps []adapters.Setpoint) []adapters.Result {
	s.mu.Lock()
	s.ctxs = append(s.ctxs, ctx)
	s.mu.Unlock()
	return s.recordingSender.ApplyBatch(ctx, sps)
}

// TestConfirmLeavesTheLateGraceRunning: the desk's enter cancelled the
// context of its sends as soon as Confirm returned; the guard takes that
// for a ^C and ends the wait for a late answer, so the last chunk's
// setpoints that answered a few seconds after the deadline stayed "no
// answer: may hold it" though the charger had accepted.
func TestConfirmLeavesTheLateGraceRunning(t *testing.T) {
	fx := demo(t)
	snd := &ctxSender{}
	ctl := newDRController(t, fx, func(o *control.Options) { o.Sender, o.SecondConfirmKW = snd, 1e9 })
	m := newDRModel(fx, ctl, "")
	runKeys(m, "5EE") // DR-17: opened (planned on opening), enter sends it
	if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
		t.Fatalf("DR-17 is %s, want active", v.State)
	}
	snd.mu.Lock()
	defer snd.mu.Unlock()
	if len(snd.ctxs) == 0 {
		t.Fatal("nothing sent")
	}
	for i, ctx := range snd.ctxs {
		if ctx.Err() != nil {
			t.Errorf("batch %d's context is %v once the send returned, want it running (the late grace)", i, ctx.Err())
		}
	}
}
