package tui

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestNewEventBeforeAnyDataSaysWhy: n on a desk still waiting for its feed
// opened an empty form (no scope, no kW, no times); it says why it cannot
// yet, in the desk's language, whole at 80 columns, and opens the form once
// the topology is in.
func TestNewEventBeforeAnyDataSaysWhy(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"", "n: no data yet — a DR event is planned on the feed's fleet"},
		{"zh-CN", "n：尚无数据 — 需求响应事件须基于数据源的车队规划"},
	} {
		for _, w := range []int{80, 160} {
			fx := demo(t)
			ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, c.lang)
			opts.Dispatch, opts.Plan = ctl, ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			m.View()
			pressViewing(m, "n")
			if got := flashed(m); got != c.want {
				t.Errorf("%q %d columns: footer %q, want %q", c.lang, w, footer(m), c.want)
			}
			if m.page().kind == pageEventForm {
				t.Errorf("%q %d columns: n opened the form before any data", c.lang, w)
			}
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			m.View()
			pressViewing(m, "n")
			if m.page().kind != pageEventForm || strings.Contains(footer(m), "✕") {
				t.Errorf("%q %d columns: n with data did not open the form: footer %q", c.lang, w, footer(m))
			}
		}
	}
}
