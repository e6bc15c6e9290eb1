package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageStaleFeederIsNotARow: a feeder last heard at 118 % of its
// limit, its reading now stale, was listed and ranked as a "▲ HIGH" row
// with its old figures, as if they were the present. It is named under
// "not judged, stale" with its last loading and that reading's time, and
// is neither a row nor counted over the limit. English and zh-CN, 160x45
// and 80x24.
func TestTriageStaleFeederIsNotARow(t *testing.T) {
	fx := demo(t)
	s := *fx.snap
	s.Feeders = append([]feeds.FeederState(nil), s.Feeders...)
	for i := range s.Feeders {
		fs := &s.Feeders[i]
		fs.KW, fs.LoadingPct, fs.Seen, fs.Stale = fs.LimitKW*0.1, 10, true, false
	}
	fs := &s.Feeders[2]
	fs.KW, fs.LoadingPct, fs.Stale = fs.LimitKW*1.18, 118, true
	fs.TS = s.At.Add(-7 * 60e9)
	id := fs.ID
	for _, tc := range []struct{ lang, want, row string }{
		{"", "not judged, stale: " + id + " (last 118% at " + hhmm(fs.TS, s.Location) + ")", "HIGH"},
		{"zh-CN", "无法判断，数据失联：" + id + " (最后读数 118%，" + hhmm(fs.TS, s.Location) + ")", "高"},
	} {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			opts, _ := testOptions(fx, tc.lang)
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.Update(SnapshotMsg{Snapshot: &s})
			runKeys(m, "t")
			if rows := m.triageRows(m.page()); len(rows) != 0 {
				t.Errorf("%s %dx%d: %d triage rows; want none, the only feeder over is stale", tc.lang, sz.w, sz.h, len(rows))
			}
			v := ansi.Strip(m.View())
			flat := strings.Join(strings.Fields(strings.ReplaceAll(v, "│", " ")), " ")
			if !strings.Contains(flat, strings.Join(strings.Fields(tc.want), " ")) {
				t.Errorf("%s %dx%d: triage lacks %q:\n%s", tc.lang, sz.w, sz.h, tc.want, v)
			}
		}
	}
}
