package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEndedSourceOffersNoDispatch: once the source has ended (the
// simulated day is over), the footer no longer offers what cannot do
// anything: a new DR event, proposing triage's suggestion, planning,
// editing, confirming, declining or cancelling, the simulation's clock.
// Pressed, each says why in one line and changes nothing. Viewing,
// navigation, acknowledging alarms and quitting stay.
func TestEndedSourceOffersNoDispatch(t *testing.T) {
	fx := demo(t)
	snd := &recordingSender{refuse: map[string]string{}}
	ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Sender: snd,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctl.Step(context.Background())
	if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
		t.Fatal(err)
	}
	opts, clock := testOptions(fx, "")
	opts.Dispatch = ctl
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	ended := *fx.snap
	ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
	m.Update(SnapshotMsg{Snapshot: &ended})
	events := len(ctl.Events())

	footer := func() string { return lastLine(ansi.Strip(m.View())) }
	const dispatchGone = "the scenario has ended: nothing more can be dispatched"
	const clockGone = "the scenario has ended: its clock has stopped"
	for _, tt := range []struct {
		script string
		offers []string // the footer must still offer these
	}{
		{"1", []string{"? help", "t triage", "q quit"}},
		{"t", []string{"? help", "enter open", "q quit"}},
		{"2", []string{"/ filter", "enter open"}},
		{"4", []string{"a ack", "x shelve"}},
		{"5", []string{"enter open"}},
		{"5E", []string{"esc back", "q quit"}},
	} {
		runKeys(m, "X"+tt.script)
		foot := footer()
		for _, k := range []string{"n new", "p propose", "d plan", "e edit", "c decline", "c cancel", "enter confirm", "space pause", "> faster", "< slower"} {
			if strings.Contains(foot, k) {
				t.Errorf("after %q the ended scenario's footer offers %q: %q", tt.script, k, foot)
			}
		}
		for _, k := range tt.offers {
			if !strings.Contains(foot, k) {
				t.Errorf("after %q the footer does not offer %q: %q", tt.script, k, foot)
			}
		}
	}

	// The event's own page says why, in place of its keys.
	runKeys(m, "XX5E")
	if v := ansi.Strip(m.View()); !strings.Contains(v, dispatchGone+" · esc back") || strings.Contains(v, "enter confirm and send") {
		t.Errorf("DR-17's page after the end does not say why its keys are gone:\n%s", v)
	}
	runKeys(m, "XXt")
	if v := ansi.Strip(m.View()); strings.Contains(v, "[p] propose") {
		t.Errorf("triage after the end offers [p] propose:\n%s", v)
	}

	// Pressed anyway: one line says why, and nothing happens.
	for _, tt := range []struct{ script, want string }{
		{"XX1n", dispatchGone},
		{"XXtn", dispatchGone},
		{"XXtp", dispatchGone},
		{"XX5d", dispatchGone},
		{"XX5c", dispatchGone},
		{"XX5EE", dispatchGone},
		{"XX5Ed", dispatchGone},
		{"XX5Ee", dispatchGone},
		{"XX5Ec", dispatchGone},
		{"XX1 ", clockGone},
		{"XX1>", clockGone},
		{"XX1<", clockGone},
	} {
		runKeys(m, tt.script)
		if m.input == inputForm {
			t.Errorf("%q opened the event form", tt.script)
			runKeys(m, "X")
		}
		if foot := footer(); !strings.Contains(foot, tt.want) {
			t.Errorf("%q: footer %q, want %q", tt.script, foot, tt.want)
		}
	}
	runKeys(m, "XX:seek 23:00E")
	if foot := footer(); !strings.Contains(foot, clockGone) {
		t.Errorf(":seek: footer %q, want %q", foot, clockGone)
	}
	if v, _ := ctl.Event("DR-17"); v.State != control.StatePending {
		t.Errorf("DR-17 %s after the end, want still pending", v.State)
	}
	if n := len(ctl.Events()); n != events {
		t.Errorf("%d DR events after the end, want %d: nothing proposed", n, events)
	}
	if n := snd.count(); n != 0 {
		t.Errorf("%d setpoints sent after the end", n)
	}
	if clock.Paused() || clock.Speed() != 60 || len(clock.sought) != 0 {
		t.Errorf("the clock was touched after the end: paused %v, speed %v, sought %v", clock.Paused(), clock.Speed(), clock.sought)
	}

	// What stays: acknowledging an alarm, and quitting.
	runKeys(m, "XX4a")
	if foot := footer(); !strings.Contains(foot, "acknowledged") {
		t.Errorf("a on the alarm list after the end: footer %q, want it acknowledged", foot)
	}
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}}); cmd == nil {
		t.Error("q does not quit after the end")
	}
}

// stagedDispatch is the controller as a desk sees it, with the events'
// list held back when the test sets one: the controller ends events one by
// one, each a change the desk may refresh on.
type stagedDispatch struct {
	*control.Controller
	views []control.EventView
}

func (d *stagedDispatch) Events() []control.EventView {
	if d.views != nil {
		return d.views
	}
	return d.Controller.Events()
}

// swapFleet is a fleet whose snapshot the test replaces.
type swapFleet struct {
	s atomic.Pointer[feeds.Snapshot]
}

func (f *swapFleet) Snapshot() *feeds.Snapshot { return f.s.Load() }

// TestSourceEndTellsWhatEnded: when the source ends, the controller ends
// the event in force and the one waiting (no operator did), and the desk
// says so in one line, in the operator's language, beside the header's
// "scenario ended"; the event's page gives the same reason. A session that
// first sees them after the end is told nothing new.
func TestSourceEndTellsWhatEnded(t *testing.T) {
	for _, tc := range []struct {
		lang       string
		line, page string // want, with the end's time for %[1]s
	}{
		{"", "DR-17, DR-18, DR-19, OP-1 ended: the scenario ended at %[1]s", "the scenario ended at %[1]s"},
		{"zh-CN", "DR-17, DR-18, DR-19, OP-1 已结束: 场景已于 %[1]s 结束", "场景已于 %[1]s 结束"},
	} {
		t.Run("lang="+tc.lang, func(t *testing.T) {
			fx := demo(t)
			fleet := &swapFleet{}
			fleet.s.Store(fx.snap)
			ctl, err := control.New(control.Options{Fleet: fleet, Sender: &recordingSender{refuse: map[string]string{}},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ctl.Step(ctx) // DR-17 arrives from the feed, pending
			if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
				t.Fatal(err)
			}
			if err := ctl.Confirm(ctx, "DR-17", control.Actor{Name: "ana", Dispatcher: true}, control.ConfirmOptions{Second: true}); err != nil {
				t.Fatal(err)
			}
			later := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem,
				Start: fx.snap.At.Add(5 * time.Hour), End: fx.snap.At.Add(6 * time.Hour), KW: 1}
			if _, err := ctl.Propose(later, control.OriginOperator, control.Actor{Name: "ana", Dispatcher: true}); err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, tc.lang)
			staged := &stagedDispatch{Controller: ctl}
			opts.Dispatch = staged
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			before := ctl.Events()

			ended := *fx.snap
			ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
			fleet.s.Store(&ended)
			ctl.Step(ctx)
			// First the desk sees the pending events ended, DR-17 still
			// in force; then DR-17 ended too. The line names them all.
			after := ctl.Events()
			staged.views = slices.Clone(before)
			for i, v := range after {
				if v.Event.ID != "DR-17" {
					staged.views[i] = v
				}
			}
			m.Update(SnapshotMsg{Snapshot: &ended})
			staged.views = nil
			m.Update(drChangedMsg{})
			at := fx.snap.At.In(fx.snap.Location).Format("15:04")
			if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, fmt.Sprintf(tc.line, at)) {
				t.Errorf("footer after the end %q, want %q", foot, fmt.Sprintf(tc.line, at))
			}
			runKeys(m, "XX5E")
			if v := ansi.Strip(m.View()); !strings.Contains(v, fmt.Sprintf(tc.page, at)) {
				t.Errorf("DR-17's page after the end lacks %q:\n%s", fmt.Sprintf(tc.page, at), v)
			}

			// Joined after the end: the header says it; no line about
			// events that ended before this session saw them.
			late := New(opts)
			late.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			late.Update(SnapshotMsg{Snapshot: &ended})
			if foot := lastLine(ansi.Strip(late.View())); strings.Contains(foot, "DR-17") {
				t.Errorf("a session that joined after the end is told %q", foot)
			}
		})
	}
}

// TestEndedTriageDoesNotSayPlanning: triage opened after the source has
// ended plans no suggestion, so it must not say one is being planned
// ("suggested: planning…" stayed on screen for good); it says why there is
// none, in the operator's language.
func TestEndedTriageDoesNotSayPlanning(t *testing.T) {
	for _, tt := range []struct{ lang, planning, want string }{
		{"", "planning…", "the scenario has ended: nothing more can be dispatched"},
		{"zh-CN", "规划中…", "场景已结束：无法再调度"},
	} {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			fx := demo(t)
			ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Sender: &recordingSender{refuse: map[string]string{}},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, tt.lang)
			opts.Dispatch = ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			ended := *fx.snap
			ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
			m.Update(SnapshotMsg{Snapshot: &ended})
			runKeys(m, "t")
			v := ansi.Strip(m.View())
			if strings.Contains(v, tt.planning) {
				t.Errorf("triage after the end says a suggestion is being planned:\n%s", v)
			}
			if !strings.Contains(v, tt.want) {
				t.Errorf("triage after the end does not say %q:\n%s", tt.want, v)
			}
		})
	}
}
