package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestOneLineAlarmSummaryIsSingleSpaced: the overview's one-line alarm
// summary (the compact layout's "Alarms ▲ HIGH F07 loading…") kept the
// alarms list's column padding, "F07 loading  96%", "F07 负载率  96%":
// noise in a sentence. It reads single-spaced in both languages, and the
// alarms list keeps its figures in one column (the "%" of a 96% row under
// that of a three-digit row); the list's filter finds "F07 loading 96%".
func TestOneLineAlarmSummaryIsSingleSpaced(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		opts, _ := testOptions(fx, lang)
		eased := easeF07(fx.snap, 96, 1)
		opts.Alarms.Observe(eased)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(SnapshotMsg{Snapshot: eased})
		line := lineWith(ansi.Strip(m.View()), m.tr.t("Alarms")+"  ")
		want := strings.Replace(m.tr.t("%s loading %s"), "%s", "F07", 1)
		want = strings.Replace(want, "%s", "96%", 1)
		if !strings.Contains(line, want) {
			t.Errorf("%q: the one-line alarm summary %q lacks %q, single-spaced", lang, line, want)
		}

		// The list: every loading row's "%" in one column.
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		runKeys(m, "4")
		col, rows := -1, 0
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			at := strings.Index(l, m.tr.t("loading")+" ")
			if at < 0 || !strings.Contains(l, "%") {
				continue
			}
			c := width(l[:at]) + width(l[at:at+strings.Index(l[at:], "%")])
			if col >= 0 && c != col {
				t.Errorf("%q: the alarms list's figures are out of line, %% at %d and %d:\n%s", lang, col, c, l)
			}
			col = c
			rows++
		}
		if rows < 2 {
			t.Errorf("%q: %d loading rows in the alarms list, want at least 2 to compare", lang, rows)
		}

		// The filter matches what a sentence says: "loading 96%".
		runKeys(m, "/"+strings.ToLower(want)+"E")
		if l := lineWith(ansi.Strip(m.View()), "F07"); !strings.Contains(l, "96%") {
			t.Errorf("%q: the filter %q does not find F07's alarm:\n%s", lang, want, ansi.Strip(m.View()))
		}
	}
}
