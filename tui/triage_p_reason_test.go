package tui

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestTriagePSaysTheRightReason: a viewer's p in triage after the day had
// ended read "p: triage suggests nothing now", as if waiting might bring a
// suggestion. The reason that would refuse it with one on screen comes
// first: the day has ended; then that a viewer cannot propose; only a
// dispatcher on a running day is told triage suggests nothing. English and
// zh-CN.
func TestTriagePSaysTheRightReason(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, c := range []struct {
			role  string
			ended bool
			want  string
		}{
			{RoleViewer, true, "the scenario has ended: nothing more can be dispatched"},
			{RoleDispatcher, true, "the scenario has ended: nothing more can be dispatched"},
			{RoleViewer, false, "viewers cannot do that"},
			{RoleDispatcher, false, "p: triage suggests nothing now"},
		} {
			fx := demo(t)
			ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Sender: &recordingSender{refuse: map[string]string{}},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, lang)
			opts.Dispatch, opts.Role = ctl, c.role
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			// The night's end: every feeder well under its warning, so
			// triage lists none and p is bound to nothing there.
			quiet := *fx.snap
			quiet.Feeders = slices.Clone(fx.snap.Feeders)
			for i := range quiet.Feeders {
				f := &quiet.Feeders[i]
				f.LoadingPct, f.KW = 40, f.LimitKW*0.4
			}
			quiet.Stats.Ended = c.ended
			if c.ended {
				quiet.Stats.EndedAt = quiet.At
			}
			m.Update(SnapshotMsg{Snapshot: &quiet})
			runKeys(m, "t")
			if n := len(m.triageRows(m.page())); n != 0 {
				t.Fatalf("triage lists %d feeders, want none", n)
			}
			runKeys(m, "p")
			want := m.tr.t(c.want)
			if got := ansi.Strip(m.View()); !strings.Contains(got, want) {
				t.Errorf("%s %s ended=%v: p in triage does not say %q:\n%s", lang, c.role, c.ended, want, lastLine(got))
			}
		}
	}
}
