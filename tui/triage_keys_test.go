package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// With no feeder near its limit, triage has nothing to propose, so it must
// not offer p (found in tmux: the footer offered "p propose the
// suggestion" and p did nothing). With a feeder over, it offers p.
func TestTriageOffersProposeOnlyWithASuggestion(t *testing.T) {
	for _, tc := range []struct {
		name  string
		calm  bool
		offer bool
	}{{"feeders over their limit", false, true}, {"every feeder calm", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			fx := demo(t)
			snap := fx.snap
			if tc.calm {
				cp := *fx.snap
				cp.Feeders = append(cp.Feeders[:0:0], fx.snap.Feeders...)
				for i := range cp.Feeders {
					cp.Feeders[i].LoadingPct = 10
				}
				snap = &cp
			}
			ctl, err := control.New(control.Options{Fleet: fixedFleet{snap}, Sender: &recordingSender{},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctl.Step(context.Background())
			opts, _ := testOptions(fx, "")
			opts.Dispatch = ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			m.Update(SnapshotMsg{Snapshot: snap})
			pressViewing(m, "t")
			view := ansi.Strip(m.View())
			if got := strings.Contains(view, "p propose the suggestion"); got != tc.offer {
				t.Errorf("footer offers p: %v, want %v:\n%s", got, tc.offer, view)
			}
		})
	}
}

// On a pending preview enter sends the setpoints, so the footer must say
// so (it said "enter open"); once the event is declined, the footer no
// longer offers enter, d or c, which would do nothing.
func TestDispatchFooterNamesWhatEnterDoes(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	m := newDRModel(fx, ctl, "")
	run := func(script string) { runKeys(m, script) }
	run("5")
	if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, "enter open") || !strings.Contains(foot, "c decline") {
		t.Errorf("events list footer: %q, want enter open and c decline for the pending DR-17", foot)
	}
	run("E")
	if m.page().kind != pageDispatch {
		t.Fatalf("enter on DR-17 opened %+v", m.page())
	}
	if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, "enter confirm and send") || !strings.Contains(foot, "c decline") {
		t.Errorf("pending preview footer: %q", foot)
	}
	run("c")
	if v, _ := ctl.Event("DR-17"); v.State != control.StateDeclined {
		t.Fatalf("DR-17 is %s after c, want declined", v.State)
	}
	foot := lastLine(ansi.Strip(m.View()))
	for _, k := range []string{"enter", "d plan", "c decline", "c cancel"} {
		if strings.Contains(foot, k) {
			t.Errorf("declined event's footer offers %q: %q", k, foot)
		}
	}
}

// A viewer's footer offers no key that changes anything (it offered n and
// space); pressing one all the same tells Options.Refused which action was
// refused, and shows its sentence.
func TestViewerFooterOffersNoActions(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	opts, _ := testOptions(fx, "")
	var refused []string
	opts.Role, opts.Dispatch = RoleViewer, ctl
	opts.Refused = func(action string) error {
		refused = append(refused, action)
		return fmt.Errorf("vera (viewer) may not do %s", action)
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	for _, script := range []string{"4", "5", "t"} {
		pressViewing(m, script)
		foot := lastLine(ansi.Strip(m.View()))
		for _, k := range []string{"a ack", "x shelve", "n new", "c decline", "p propose", "space pause"} {
			if strings.Contains(foot, k) {
				t.Errorf("after %q a viewer's footer offers %q: %q", script, k, foot)
			}
		}
	}
	pressViewing(m, "4a")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "vera (viewer) may not do alarm") {
		t.Errorf("a on the alarm list: the refusal is not shown:\n%s", lastLine(v))
	}
	pressViewing(m, "n ")
	if want := []string{RefusedAlarm, RefusedDispatch, RefusedClock}; strings.Join(refused, ",") != strings.Join(want, ",") {
		t.Errorf("refused %v, want %v", refused, want)
	}
}

// Cancelling a running dispatch releases every charger it steers: one c
// only asks (a stray key, such as the one pressed to keep an idle SSH
// session, cancelled it); a second c cancels; any other key in between
// disarms.
func TestCancelActiveNeedsSecondC(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	ana := control.Actor{Name: "ana", Dispatcher: true}
	ctx := context.Background()
	if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Confirm(ctx, "DR-17", ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	m := newDRModel(fx, ctl, "")
	run := func(script string) { runKeys(m, script) }
	state := func() control.State { v, _ := ctl.Event("DR-17"); return v.State }
	run("5E")
	run("c")
	// recordingSender cannot release: the second c is said to leave the
	// setpoints to expire.
	if state() != control.StateActive || !strings.Contains(ansi.Strip(m.View()), "c again to cancel DR-17; its setpoints expire by ") {
		t.Fatalf("after one c: %s\n%s", state(), lastLine(ansi.Strip(m.View())))
	}
	run("fc") // another key disarms: this c asks again
	if state() != control.StateActive {
		t.Fatalf("c after another key cancelled: %s", state())
	}
	run("qc") // q too (it asks about quitting instead)
	if state() != control.StateActive {
		t.Fatalf("c q c cancelled: %s", state())
	}
	run("x") // disarmed: the hint goes
	if strings.Contains(ansi.Strip(m.View()), "c again to cancel") {
		t.Error("the cancel hint stays after another key disarmed it")
	}
	run("c")
	run("c")
	if state() != control.StateCancelled {
		t.Fatalf("after c twice: %s, want cancelled", state())
	}
}

// A viewer may make an event's first plan but not plan it again: that
// would replace the preview a dispatcher is reading and about to confirm.
func TestViewerCannotReplan(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
		t.Fatal(err)
	}
	before, _ := ctl.Event("DR-17")
	m := newDRModel(fx, ctl, RoleViewer)
	for _, k := range keys("5Ed") {
		if _, cmd := m.Update(k); cmd != nil {
			if msg := cmd(); msg != nil {
				m.Update(msg)
			}
		}
	}
	after, _ := ctl.Event("DR-17")
	if after.Preview != before.Preview {
		t.Error("a viewer's d planned DR-17 again")
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "viewers cannot do that") || strings.Contains(lastLine(v), "d plan") {
		t.Errorf("want the refusal and no d in the footer:\n%s", lastLine(v))
	}
}

// The Events list says who proposed an operator's event (it said only
// "operator", so nobody could tell whose it was).
func TestEventsListNamesTheProposer(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	ev := feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F07", Start: fx.snap.At, End: fx.snap.At.Add(time.Hour), KW: 3000}
	if _, err := ctl.Propose(ev, control.OriginOperator, control.Actor{Name: "omar", Dispatcher: true}); err != nil {
		t.Fatal(err)
	}
	m := newDRModel(fx, ctl, "")
	pressViewing(m, "5")
	var row string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "OP-1") {
			row = l
		}
	}
	if !strings.Contains(row, "omar") {
		t.Errorf("OP-1's row does not name omar: %q", row)
	}
}

// A hand-back and a release at its limit are states a dispatcher must see
// in the Events list and on the page, not a plain ACTIVE and ENDED.
func TestHandBackStates(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	for _, tc := range []struct {
		v    control.EventView
		want string
	}{
		{control.EventView{State: control.StateActive}, "● ACTIVE"},
		{control.EventView{State: control.StateActive, HandBackSince: fixedNow}, "◐ HANDING BACK"},
		{control.EventView{State: control.StateEnded}, "✓ ENDED"},
		{control.EventView{State: control.StateEnded, ForcedRelease: true}, "△ ENDED OVER LIMIT"},
	} {
		if got := ansi.Strip(m.drStateText(&tc.v)); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.v.State, got, tc.want)
		}
	}
}

// The second enter of a large dispatch counts only for the plan the first
// armed: when the event is planned again in between (another desk's d),
// the next enter says so and arms again; it does not send.
func TestSecondEnterAfterReplanArmsAgain(t *testing.T) {
	fx := demo(t)
	snd := &recordingSender{}
	ctl := newDRController(t, fx, func(o *control.Options) { o.Sender, o.SecondConfirmKW = snd, 1 })
	m := newDRModel(fx, ctl, "")
	run := func(script string) { runKeys(m, script) }
	run("5E") // DR-17's page, planned on opening
	run("E")  // first enter: armed
	// Another desk plans again.
	if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
		t.Fatal(err)
	}
	m.Update(drChangedMsg{})
	run("E")
	if snd.count() != 0 {
		t.Fatal("a plan nobody read was sent")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "planned again since your first enter") {
		t.Errorf("the swap is not said:\n%s", lastLine(v))
	}
	run("E")
	if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
		t.Errorf("after reading the new plan and enter twice: %s, want active", v.State)
	}
}

// newDRController is a DR controller on the fixture's fleet, with the
// feed's DR-17 taken in as pending; mod changes its options.
func newDRController(t *testing.T, fx *fixture, mod func(*control.Options)) *control.Controller {
	t.Helper()
	o := control.Options{Fleet: fixedFleet{fx.snap}, Sender: &recordingSender{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if mod != nil {
		mod(&o)
	}
	ctl, err := control.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctl.Step(context.Background())
	return ctl
}

// runKeys presses the keys of script and runs the commands they return,
// as the program would (a plan, a confirm, a decline).
func runKeys(m *Model, script string) {
	for _, k := range keys(script) {
		_, cmd := m.Update(k)
		for cmd != nil {
			msg := cmd()
			if msg == nil {
				break
			}
			_, cmd = m.Update(msg)
		}
	}
}

// newDRModel is a dashboard for role ("": the fixture's dispatcher) at
// 160x45 on the fixture, with ctl as its DR workflow.
func newDRModel(fx *fixture, ctl *control.Controller, role string) *Model {
	opts, _ := testOptions(fx, "")
	opts.Dispatch = ctl
	if role != "" {
		opts.Role = role
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m
}

// On a shared desk the others are told what an operator did to a DR event
// and to the shared clock: they saw only the state change, with no name.
func TestDRAndClockActionsAreAnnounced(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	opts, _ := testOptions(fx, "")
	opts.Dispatch = ctl
	var told, acted []string
	opts.Announce = func(a Announcement) { told = append(told, a.English) }
	opts.Act = func(_ string, a Announcement, _ map[string]any) error {
		acted = append(acted, a.Kind+": "+a.English)
		return nil
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, "5Ec") // open DR-17, decline it
	if len(told) != 1 || !strings.HasPrefix(told[0], "declined DR-17 (import cap") {
		t.Errorf("announced %q, want DR-17's decline", told)
	}
	runKeys(m, " ") // pause the shared simulation
	runKeys(m, " ") // and resume it
	if len(acted) != 2 || acted[0] != "clock_pause: paused the simulation" || acted[1] != "clock_resume: resumed the simulation" {
		t.Errorf("clock actions asked %q, want the pause and the resume", acted)
	}
}

// While handing back, the progress line measures the scope against its own
// limit (it showed the load alone, with nothing to judge it by).
func TestHandBackProgressShowsTheLimit(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	f, _ := m.snap.Feeder("F07")
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, HandBackSince: fixedNow,
		Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: f.LimitKW + 40, CapKW: math.NaN()}}}
	got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
	if want := "limit " + kw(f.LimitKW) + " kW · △ over the limit by 40 kW"; !strings.Contains(got, want) {
		t.Errorf("progress while handing back:\n%s\nwant %q", got, want)
	}
}

// The hand-back line is worded from the controller's figures, as the
// journal words it, and in the operator's language.
func TestHandBackWhy(t *testing.T) {
	h := control.HandBack{Scope: "F07", PeakKW: 4100.4, PeakAt: fixedNow, LimitKW: 4000}
	m, _, _ := newTestModel(t, "", 160, 45)
	if got, want := m.handBackWhy(h), h.Why(); got != want {
		t.Errorf("handBackWhy = %q, want the journal's %q", got, want)
	}
	sys := control.HandBack{Scope: feeds.ScopeSystem, PeakKW: 42999, PeakAt: fixedNow, LimitKW: 42000}
	if got, want := m.handBackWhy(sys), sys.Why(); got != want {
		t.Errorf("handBackWhy = %q, want the journal's %q", got, want)
	}
	if got := m.handBackWhy(control.HandBack{}); got != "" {
		t.Errorf("before the first check: %q, want nothing", got)
	}
	zh, _, _ := newTestModel(t, "zh-CN", 160, 45)
	if got := zh.handBackWhy(h); !strings.HasPrefix(got, "充电将使 F07 升至 4,100 kW (102%)") {
		t.Errorf("zh-CN: %q", got)
	}
}
