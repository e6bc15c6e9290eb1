package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestQuitWithAnotherSessionOpenAsksNothing: ana is logged in twice and
// confirmed DR-17 in her first session. Quitting either session leaves
// DR-17 in front of her in the other, so q quits at once: her second
// session was asked "q again quits; DR-17 keeps running on F07 under the
// controller", as though quitting left it unattended. Once the other has
// closed, the last session is asked, about the event the closed one
// confirmed.
func TestQuitWithAnotherSessionOpenAsksNothing(t *testing.T) {
	for _, tc := range []struct {
		name     string
		session  uint64
		sessions int
		want     string // the first q's question; "": q quits at once
	}{
		{"the other session, the first still open", 2, 2, ""},
		{"the confirming session, the second still open", 1, 2, ""},
		{"the other session, alone now", 2, 1, "q again quits; DR-17 keeps running on F07 under the controller"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := demo(t)
			ctl := newDRController(t, fx, nil)
			ctx := context.Background()
			if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
				t.Fatal(err)
			}
			ana := control.Actor{Name: "ana", Dispatcher: true, Session: 1}
			if err := ctl.Confirm(ctx, "DR-17", ana, control.ConfirmOptions{Second: true}); err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, "")
			opts.Dispatch, opts.Session = ctl, tc.session
			opts.OwnSessions = func() int { return tc.sessions }
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}})
			quit := false
			if cmd != nil {
				_, quit = cmd().(tea.QuitMsg)
			}
			foot := strings.TrimSpace(ansi.Strip(lastLine(m.View())))
			if tc.want == "" {
				if !quit || strings.Contains(foot, "q again quits") {
					t.Errorf("the first q: quit %v, footer %q; want it to quit at once, asking nothing", quit, foot)
				}
				return
			}
			if quit || !strings.Contains(foot, tc.want) {
				t.Errorf("the first q: quit %v, footer %q; want it asked %q", quit, foot, tc.want)
			}
		})
	}
}
