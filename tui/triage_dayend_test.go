package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageSuggestionEndsWithTheDay: near midnight on a simulated day
// triage suggested "cap F07 at 95% until 00:35 (+1 d)", a time the day,
// which stops at 00:00 and ends every event in force there, never reaches.
// It says the cap ends with the day, and what it was planned to. One that
// ends before the day's end keeps its own time. English and zh-CN, 160x45
// and 80x24.
func TestTriageSuggestionEndsWithTheDay(t *testing.T) {
	cases := []struct {
		lang, want, not string
	}{
		{"", "until 00:00, the day's end (planned to 00:35)", "00:35 (+1 d)"},
		{"zh-CN", "直到 00:00 仿真日结束时 (计划至 00:35)", "00:35 (+1 天)"},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			for _, end := range []time.Time{day.AddDate(0, 0, 1).Add(35 * time.Minute), day.Add(21 * time.Hour)} {
				fx := demo(t)
				opts, _ := testOptions(fx, tc.lang)
				opts.Dispatch = newDRController(t, fx, nil)
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				m.suggest = map[string]suggestion{"F07": {at: fx.snap.At, s: &control.Suggestion{
					Event: feeds.EventFrame{ID: "T-F07-1842", Kind: feeds.EventImportCap, Scope: "F07", Start: end.Add(-3 * time.Hour), End: end, KW: 3800},
					Pct:   95, Chargers: 12, ReduceKW: 180,
				}}}
				runKeys(m, "t")
				s := ansi.Strip(m.View())
				flat := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
				pastDay := end.After(day.AddDate(0, 0, 1))
				switch has := strings.Contains(flat, strings.Join(strings.Fields(tc.want), " ")); {
				case pastDay && !has:
					t.Errorf("%s %dx%d: triage lacks %q:\n%s", tc.lang, sz.w, sz.h, tc.want, s)
				case !pastDay && has:
					t.Errorf("%s %dx%d: a cap ending at 21:00 says it ends with the day:\n%s", tc.lang, sz.w, sz.h, s)
				case !pastDay && !strings.Contains(flat, "21:00"):
					t.Errorf("%s %dx%d: a cap ending at 21:00 lost its end:\n%s", tc.lang, sz.w, sz.h, s)
				}
				if strings.Contains(flat, tc.not) {
					t.Errorf("%s %dx%d: triage offers %q, a time the scenario day never reaches:\n%s", tc.lang, sz.w, sz.h, tc.not, s)
				}
			}
		}
	}
}
