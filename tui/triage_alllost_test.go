package tui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestTriageTitleNothingJudged: during a link loss every feeder is stale,
// and triage's title read "0 over limit · 0 near it", all clear, where it
// could judge none. It says so instead; with one feeder still fresh the
// counts stand. English and zh-CN, 160x45 and 80x24.
func TestTriageTitleNothingJudged(t *testing.T) {
	fx := demo(t)
	lost := *fx.snap
	lost.Feeders = slices.Clone(fx.snap.Feeders)
	for i := range lost.Feeders {
		lost.Feeders[i].Stale = true
	}
	oneFresh := lost
	oneFresh.Feeders = slices.Clone(lost.Feeders)
	oneFresh.Feeders[0].Stale = false
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			opts, _ := testOptions(fx, lang)
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.Update(SnapshotMsg{Snapshot: &lost})
			runKeys(m, "t")
			v := ansi.Strip(m.View())
			counts := strings.TrimSpace(strings.Split(m.tr.t("Triage · %s over limit · %s near it"), "%s")[1])
			if want := m.tr.t("Triage · no feeder can be judged"); !strings.Contains(v, want) || strings.Contains(v, counts) {
				t.Errorf("%q %dx%d: every feeder stale, want the title %q and no counts:\n%s", lang, sz.w, sz.h, want, v)
			}
			m.Update(SnapshotMsg{Snapshot: &oneFresh})
			v = ansi.Strip(m.View())
			if !strings.Contains(v, counts) {
				t.Errorf("%q %dx%d: one feeder judged, want the counts %q in the title:\n%s", lang, sz.w, sz.h, counts, v)
			}
		}
	}
}
