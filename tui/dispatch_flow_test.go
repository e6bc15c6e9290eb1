package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// The dispatch flows run the dashboard with the real dispatch controller
// planning on the demo fixture, and a sender that answers every setpoint
// at once, as a simulator would.

type fixedFleet struct{ s *feeds.Snapshot }

func (f fixedFleet) Snapshot() *feeds.Snapshot { return f.s }

// recordingSender accepts every setpoint, except on chargers in refuse.
type recordingSender struct {
	mu     sync.Mutex
	sent   []adapters.Setpoint
	refuse map[string]string
}

func (r *recordingSender) ApplyBatch(_ context.Context, sps []adapters.Setpoint) []adapters.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]adapters.Result, len(sps))
	for i, sp := range sps {
		r.sent = append(r.sent, sp)
		out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusAccepted, AppliedKW: sp.KW}
		if why, ok := r.refuse[sp.Charger]; ok {
			out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusFailed, Reason: why}
		}
	}
	return out
}

func (r *recordingSender) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

type dispatchFlow struct {
	*flow
	ctl *control.Controller
	snd *recordingSender
}

func startDispatchFlow(t *testing.T, role string) *dispatchFlow {
	t.Helper()
	return startDispatchFlowSending(t, role, true)
}

// startDispatchFlowSending is startDispatchFlow on a controller with a
// sender (send) or without one, as in a replay.
func startDispatchFlowSending(t *testing.T, role string, send bool) *dispatchFlow {
	t.Helper()
	fx := demo(t)
	snd := &recordingSender{refuse: map[string]string{}}
	co := control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if send {
		co.Sender = snd
	}
	ctl, err := control.New(co)
	if err != nil {
		t.Fatal(err)
	}
	ctl.Step(context.Background()) // take in the feed's events
	opts, fc := testOptions(fx, "")
	opts.Role, opts.Dispatch = role, ctl
	ch := make(chan *feeds.Snapshot, 4)
	ch <- fx.snap
	opts.Snapshots = ch
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(160, 45))
	f := &dispatchFlow{flow: &flow{t: t, tm: tm, fx: fx, ctl: fc, eng: opts.Alarms, ch: ch}, ctl: ctl, snd: snd}
	f.wait("Feeders by loading")
	return f
}

// TestFlowCreatePreviewConfirm: a dispatcher creates an event with the
// form from triage, reads the preview, confirms, and sees the progress.
func TestFlowCreatePreviewConfirm(t *testing.T) {
	f := startDispatchFlow(t, RoleDispatcher)
	f.snd.refuse["CP-0049"] = "charger offline"
	f.keys("t")
	f.wait("Triage", "F07")
	f.keys("n")
	f.wait("new DR event", "F07 · East Park", "3800")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyTab}) // to kind
	f.tm.Send(tea.KeyMsg{Type: tea.KeyTab}) // to kW: 3,800 → 3,700
	f.tm.Send(keyBackspace())
	f.tm.Send(keyBackspace())
	f.tm.Send(keyBackspace())
	f.typ("700")
	f.wait("3700")
	f.keys("E")
	f.wait("Dispatch preview · OP-1 · import cap F07 ≤ 3,700 kW", "EVs affected", "certified gap", "enter confirm and send")
	f.keys("E")
	f.wait("sent OP-1", "answered", "1× charger offline", "c cancel the event")
	// q while the desk steers OP-1 asks first: quitting stops re-planning.
	f.keys("q")
	f.wait("q again quits and cancels the DR event in force")
	m := f.quit()
	v, ok := f.ctl.Event("OP-1")
	if !ok || v.State != control.StateActive || v.DecidedBy != "ana" {
		t.Fatalf("OP-1: %+v, want active, confirmed by ana", v)
	}
	if f.snd.count() == 0 || v.Progress.Failed["charger offline"] != 1 {
		t.Errorf("%d setpoints sent, failed %v", f.snd.count(), v.Progress.Failed)
	}
	if m.page().kind != pageDispatch || m.page().id != "OP-1" {
		t.Errorf("left on page %+v, want OP-1's dispatch page", m.page())
	}
}

// TestFlowTriageSuggestion: the on-call engineer turns triage's suggestion
// into a pending event with one key, and a dispatcher confirms it.
//
// On the fixture F07's load without its five charging EVs is over its
// limit, so the suggestion is the most they can shed, over 100%, and says
// so; its own plan meets it.
func TestFlowTriageSuggestion(t *testing.T) {
	f := startDispatchFlow(t, RoleDispatcher)
	sug, err := f.ctl.Suggest(context.Background(), "F07")
	if err != nil {
		t.Fatal(err)
	}
	if !sug.Limited || sug.Pct <= 100 || sug.Preview.CapShortfallKWh > 0.05 {
		t.Fatalf("suggestion %s: limited %t, cap shortfall %.2f kWh; want the EVs' most, over 100%%, met by its plan",
			sug, sug.Limited, sug.Preview.CapShortfallKWh)
	}
	f.keys("t")
	f.wait(fmt.Sprintf("suggested: cap F07 at %.0f%% until", sug.Pct), "[p] propose",
		"△ the most the plugged-in EVs can shed; the rest needs manual switching")
	f.keys("p")
	f.wait("Dispatch preview · T-F07-1842", "enter confirm and send")
	if n := f.snd.count(); n != 0 {
		t.Fatalf("%d setpoints sent before confirmation", n)
	}
	f.keys("E")
	f.wait("sent T-F07-1842")
	f.keys("q")
	f.wait("q again quits")
	f.quit()
	if v, _ := f.ctl.Event("T-F07-1842"); v.State != control.StateActive || v.Origin != control.OriginTriage {
		t.Fatalf("T-F07-1842: state %s origin %s, want active from triage", v.State, v.Origin)
	}
}

// TestFlowDeclineFeedEvent: an event from the feed waits as pending; the
// dispatcher looks at it and declines it.
func TestFlowDeclineFeedEvent(t *testing.T) {
	f := startDispatchFlow(t, RoleDispatcher)
	f.keys("5")
	f.wait("DR-17", "PENDING")
	f.keys("E")
	f.wait("Dispatch preview · DR-17", "enter confirm and send")
	f.keys("c")
	f.wait("declined DR-17", "DECLINED")
	f.quit()
	if v, _ := f.ctl.Event("DR-17"); v.State != control.StateDeclined || v.DecidedBy != "ana" {
		t.Fatalf("DR-17: %s by %q, want declined by ana", v.State, v.DecidedBy)
	}
	if n := f.snd.count(); n != 0 {
		t.Fatalf("%d setpoints sent for a declined event", n)
	}
}

// TestFlowViewerRefused: a viewer sees the preview and can change nothing.
func TestFlowViewerRefused(t *testing.T) {
	f := startDispatchFlow(t, RoleViewer)
	f.keys("5")
	f.wait("DR-17", "PENDING")
	f.keys("n")
	f.wait("viewers cannot do that")
	f.keys("E")
	f.wait("Dispatch preview · DR-17", "viewers cannot confirm a dispatch")
	// Another flash between two refusals, so each refusal changes the
	// screen: teatest only sees output when a frame differs.
	f.keys("f")
	f.wait("display frozen")
	f.keys("E")
	f.wait("viewers cannot do that")
	f.keys("f")
	f.wait("display live")
	f.keys("c")
	f.wait("viewers cannot do that")
	f.quit()
	if n := f.snd.count(); n != 0 {
		t.Fatalf("a viewer's keys sent %d setpoints", n)
	}
	if v, _ := f.ctl.Event("DR-17"); v.State != control.StatePending {
		t.Fatalf("DR-17 is %s after a viewer's keys, want pending", v.State)
	}
}

func keyBackspace() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyBackspace} }

// TestTriageSuggestionNote: a suggestion that asks more than SuggestPct
// says on its own line why, in English and Chinese, and the triage box
// keeps its size at 80x24 and 160x45; one in reach has no such line.
func TestTriageSuggestionNote(t *testing.T) {
	cases := []struct {
		name, lang string
		pct        float64
		limited    bool
		want, not  string
	}{
		{"over the limit", "", 118, true, "△ the most the plugged-in EVs can shed; the rest needs manual switching", "out of reach"},
		{"above the margin", "", 98, true, "△ the most the plugged-in EVs can shed (95% is out of reach)", "manual switching"},
		{"in reach", "", 95, false, "suggested: cap F07 at 95% until", "the most the plugged-in EVs"},
		{"over the limit zh", "zh-CN", 118, true, "△ 已是在网车辆能削减的最大值; 其余需人工倒闸", "无法达到"},
		{"above the margin zh", "zh-CN", 98, true, "△ 已是在网车辆能削减的最大值 (95% 无法达到)", "人工倒闸"},
		// The ▲ HIGH alarm clears at 97% (100% less the 3-point deadband):
		// a cap above it leaves the alarm on after the dispatch did its
		// all, and the note says so; one at it relieves the alarm.
		{"at the limit", "", 100, true, "clears at 97% of the limit", "manual switching"},
		{"over the limit alarm", "", 118, true, "clears at 97% of the limit", "out of reach"},
		{"at the clearing point", "", 97, true, "(95% is out of reach)", "stays on"},
		{"at the limit zh", "zh-CN", 100, true, "▲ 高 告警仍在", "人工倒闸"},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
			t.Run(fmt.Sprintf("%s %dx%d", tc.name, sz.w, sz.h), func(t *testing.T) {
				fx := demo(t)
				ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					t.Fatal(err)
				}
				opts, _ := testOptions(fx, tc.lang)
				opts.Role, opts.Dispatch = RoleDispatcher, ctl
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				press(m, "t")
				if m.suggesting != "F07" {
					t.Fatalf("triage plans a suggestion for %q, want F07", m.suggesting)
				}
				f07, ok := fx.snap.Feeder("F07")
				if !ok {
					t.Fatal("no F07 in the fixture")
				}
				sug := &control.Suggestion{Pct: tc.pct, Limited: tc.limited, Chargers: 5, ReduceKW: 77,
					Event: feeds.EventFrame{ID: "T-F07", Kind: feeds.EventImportCap, Scope: "F07",
						Start: fx.snap.At, End: fx.snap.At.Add(time.Hour), KW: f07.LimitKW * tc.pct / 100}}
				m.Update(suggestMsg{feeder: "F07", at: fx.snap.At, s: sug})
				got := m.View()
				checkScreen(t, got, sz.w, sz.h)
				if !strings.Contains(got, tc.want) {
					t.Errorf("view lacks %q:\n%s", tc.want, got)
				}
				if strings.Contains(got, tc.not) {
					t.Errorf("view has %q:\n%s", tc.not, got)
				}
				if tc.lang == "" && !strings.Contains(got, fmt.Sprintf("suggested: cap F07 at %.0f%% until", tc.pct)) {
					t.Errorf("view lacks the suggested cap:\n%s", got)
				}
			})
		}
	}
}

// TestFlowEditPendingEvent: a dispatcher reads a preview, finds the cap
// too deep, edits it with e, and gets a corrected pending event in its
// place; the first is declined as replaced, and nothing is sent.
func TestFlowEditPendingEvent(t *testing.T) {
	f := startDispatchFlow(t, RoleDispatcher)
	f.keys("t")
	f.wait("Triage", "F07")
	f.keys("n")
	f.wait("new DR event", "F07 · East Park", "3800")
	f.keys("E")
	f.wait("Dispatch preview · OP-1 · import cap F07 ≤ 3,800 kW", "e edit")
	f.keys("e")
	f.wait("edit DR event OP-1", "3800", "declines OP-1")
	// The cursor starts on kW: 3,800 → 3,900.
	f.tm.Send(keyBackspace())
	f.tm.Send(keyBackspace())
	f.tm.Send(keyBackspace())
	f.typ("900")
	f.wait("3900")
	f.keys("E")
	f.wait("Dispatch preview · OP-2 · import cap F07 ≤ 3,900 kW", "e edit")
	// The events list holds both: OP-2 pending, OP-1 declined.
	f.keys("X")
	f.wait("3,900           — operator", "◌ PENDING", "✕ DECLINED")
	// The tab counts the events waiting for a decision in their window:
	// the feed's DR-17 and OP-2, not the declined OP-1 (it counted all
	// three); none is in force, nothing having been sent for either.
	if inForce, waiting := f.quit().activeEvents(); inForce != 0 || waiting != 2 {
		t.Errorf("the Events tab counts %d events in force and %d waiting, want 0 and 2", inForce, waiting)
	}
	old, ok := f.ctl.Event("OP-1")
	if !ok || old.State != control.StateDeclined || old.Reason != "replaced by OP-2 at the desk" || old.DecidedBy != "ana" {
		t.Errorf("OP-1: state %s, reason %q, by %q; want declined as replaced by OP-2, by ana", old.State, old.Reason, old.DecidedBy)
	}
	v, ok := f.ctl.Event("OP-2")
	if !ok || v.State != control.StatePending || v.Event.KW != 3900 || v.Event.Scope != "F07" ||
		!v.Event.Start.Equal(old.Event.Start) || !v.Event.End.Equal(old.Event.End) {
		t.Errorf("OP-2: %+v, want pending, F07 at 3,900 kW over OP-1's window", v.Event)
	}
	if n := f.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent by editing", n)
	}
}

// TestFlowReplayPreviewOnly: a desk with no setpoint sender (a replay)
// offered "enter confirm and send 81 setpoints" and enter answered
// "no setpoint sender configured". The preview says it is a preview only,
// neither it nor the footer offers enter, and enter says why.
func TestFlowReplayPreviewOnly(t *testing.T) {
	f := startDispatchFlowSending(t, RoleDispatcher, false)
	f.keys("5")
	f.wait("DR-17", "PENDING")
	f.keys("E")
	f.wait("Dispatch preview · DR-17", "preview only: this desk has no setpoint sender, nothing can be sent", "c decline")
	f.keys("E")
	m := f.quit()
	v := m.View()
	if strings.Contains(v, "confirm and send") {
		t.Errorf("a desk that cannot send offers to:\n%s", v)
	}
	if !strings.Contains(m.flash, "preview only") {
		t.Errorf("enter flashed %q, want why nothing is sent", m.flash)
	}
	if ev, _ := f.ctl.Event("DR-17"); ev.State != control.StatePending {
		t.Errorf("DR-17 is %s, want still pending", ev.State)
	}
}
