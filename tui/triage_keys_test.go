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
