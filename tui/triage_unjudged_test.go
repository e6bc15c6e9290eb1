package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageSaysWhatItCannotJudge: on an OCPP-only desk whose one feeder
// has no limit and no data, triage said "✓ OK every feeder is under 90% of
// its limit", a claim about data it does not have. A feeder without a
// limit, without data or stale is named as not judged and never counted
// OK; the OK line counts only the feeders it judged. English and zh-CN,
// 160x45 and 80x24.
func TestTriageSaysWhatItCannotJudge(t *testing.T) {
	fx := demo(t)
	quiet := func(mod func(fs []feeds.FeederState) []feeds.FeederState) *feeds.Snapshot {
		s := *fx.snap
		fs := append([]feeds.FeederState(nil), s.Feeders...)
		for i := range fs {
			fs[i].KW = fs[i].LimitKW * 0.1
			fs[i].LoadingPct, fs[i].Seen, fs[i].Stale = 10, true, false
		}
		s.Feeders = mod(fs)
		return &s
	}
	ocppOnly := quiet(func(fs []feeds.FeederState) []feeds.FeederState {
		f := fs[0]
		f.LimitKW, f.Seen, f.KW, f.LoadingPct = 0, false, 0, 0
		return []feeds.FeederState{f}
	})
	mixed := quiet(func(fs []feeds.FeederState) []feeds.FeederState {
		fs[0].LimitKW, fs[0].LoadingPct = 0, 0
		fs[1].Seen = false
		fs[2].Stale = true
		return fs
	})
	n := len(mixed.Feeders)
	cases := []struct {
		name, lang string
		snap       *feeds.Snapshot
		want, not  []string
	}{
		{"ocpp-only", "", ocppOnly, []string{"not judged, no limit: " + ocppOnly.Feeders[0].ID}, []string{"OK", "every feeder"}},
		{"ocpp-only", "zh-CN", ocppOnly, []string{"无法判断，无上限：" + ocppOnly.Feeders[0].ID}, []string{"所有馈线均低于"}},
		{"mixed", "", mixed, []string{
			fmt.Sprintf("✓ OK %d of %d feeders are under 90%% of their limit", n-3, n),
			"not judged, no limit: " + mixed.Feeders[0].ID,
			"not judged, no data yet: " + mixed.Feeders[1].ID,
			"not judged, stale: " + mixed.Feeders[2].ID,
		}, []string{"every feeder"}},
		{"mixed", "zh-CN", mixed, []string{
			fmt.Sprintf("%d/%d 条馈线低于上限的 90%%", n-3, n),
			"无法判断，尚无数据：" + mixed.Feeders[1].ID,
			"无法判断，数据失联：" + mixed.Feeders[2].ID,
		}, []string{"所有馈线均低于"}},
		{"all judged", "", quiet(func(fs []feeds.FeederState) []feeds.FeederState { return fs }),
			[]string{"✓ OK every feeder is under 90% of its limit"}, []string{"not judged"}},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			opts, _ := testOptions(fx, tc.lang)
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.Update(SnapshotMsg{Snapshot: tc.snap})
			runKeys(m, "t")
			s := ansi.Strip(m.View())
			flat := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
			for _, w := range tc.want {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("%s %s %dx%d: triage lacks %q:\n%s", tc.name, tc.lang, sz.w, sz.h, w, s)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(flat, w) {
					t.Errorf("%s %s %dx%d: triage says %q of feeders it cannot judge:\n%s", tc.name, tc.lang, sz.w, sz.h, w, s)
				}
			}
		}
	}
}

// TestTriageRowsKeepTheUnjudged: with feeders over their limit listed, a
// feeder without a limit is still named as not judged, under the rows.
func TestTriageRowsKeepTheUnjudged(t *testing.T) {
	fx := demo(t)
	s := *fx.snap
	s.Feeders = append([]feeds.FeederState(nil), s.Feeders...)
	i := len(s.Feeders) - 1
	s.Feeders[i].LimitKW, s.Feeders[i].LoadingPct = 0, 0
	for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
		opts, _ := testOptions(fx, "")
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		m.Update(SnapshotMsg{Snapshot: &s})
		runKeys(m, "t")
		v := ansi.Strip(m.View())
		if !strings.Contains(v, "F07") || !strings.Contains(v, "not judged, no limit: "+s.Feeders[i].ID) {
			t.Errorf("%dx%d: triage with rows lacks its unjudged feeder %s:\n%s", sz.w, sz.h, s.Feeders[i].ID, v)
		}
	}
}
