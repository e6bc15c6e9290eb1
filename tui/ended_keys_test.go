package tui

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
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
