package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestEventsTabTellsPendingFromInForce: the Events tab's ● counted every
// event within its window, those still pending included: a preview not yet
// confirmed read "5 Events ●1", and with one event sent and one waiting
// "●2", as if both steered chargers. ● counts the events in force; those
// within their window still waiting for a decision are counted apart, ◌.
func TestEventsTabTellsPendingFromInForce(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		ctl := newDRController(t, fx, nil)
		opts, _ := testOptions(fx, lang)
		opts.Dispatch = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		tab := func() string {
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			return lines[1]
		}
		events := m.tr.t("Events")
		if v, _ := ctl.Event("DR-17"); v.State != control.StatePending {
			t.Fatalf("DR-17 is %s, want pending", v.State)
		}
		if got := tab(); !strings.Contains(got, events+" ◌1") || strings.Contains(got, "●") {
			t.Errorf("%s: DR-17 pending in its window: tab line %q, want %q and no ●", lang, got, events+" ◌1")
		}
		runKeys(m, "5EEE") // DR-17 planned, confirmed (twice if large)
		if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
			t.Fatalf("DR-17 is %s, want active", v.State)
		}
		if got := tab(); !strings.Contains(got, events+" ●1") || strings.Contains(got, "◌") {
			t.Errorf("%s: DR-17 sent: tab line %q, want %q and no ◌", lang, got, events+" ●1")
		}
	}
}
