package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestEasedAlarmShowsItsPeak: the night dispatcher's F10 went from 119 %
// to 96 % before anyone acknowledged it, and the list then read
// "△ WARN … 96% UNACK" with nothing of the overload. It reads the current
// level with the peak beside it, "△ WARN  high  F07 loading  96% (▲118%)",
// in the list, the overview's box and at 80 columns, English and zh-CN;
// returned to normal it reads the peak ("▲ HIGH F07 loading was 118%").
func TestEasedAlarmShowsItsPeak(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			fx := demo(t)
			opts, _ := testOptions(fx, lang)
			eng := opts.Alarms
			eased := easeF07(fx.snap, 96, 1)
			eng.Observe(eased)
			a, _ := eng.Board().Find("loading/F07")
			if a.Severity != alarm.SevWarn || a.Peak != alarm.SevHigh || a.PeakValue < 110 {
				t.Fatalf("engine: %v peak %v %.0f, want WARN, peak HIGH over 110", a.Severity, a.Peak, a.PeakValue)
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.Update(SnapshotMsg{Snapshot: eased})
			peak := "(▲" + pct(a.PeakValue) + ")"
			now := fitR(pct(96), 4)

			over := ansi.Strip(m.View())
			if !strings.Contains(over, peak) {
				t.Errorf("%s %v: the overview does not show F07's peak %q:\n%s", lang, size, peak, over)
			}
			runKeys(m, "4")
			list := ansi.Strip(m.View())
			row := lineWith(list, "F07")
			want := fmt.Sprintf(m.tr.t("%s loading %s"), "F07", now) + " " + peak
			if !strings.Contains(row, "△ "+m.tr.t("WARN")) || !strings.Contains(row, want) {
				t.Errorf("%s %v: F07's row %q, want △ WARN and %q", lang, size, row, want)
			}
			if size[0] == 160 && !strings.Contains(row, " "+m.tr.t("high")+" ") {
				t.Errorf("%s %v: F07's row %q is not high priority", lang, size, row)
			}

			// Back to normal, still unacknowledged: what it reached.
			cleared := easeF07(eased, 50, 2)
			eng.Observe(cleared)
			m.Update(SnapshotMsg{Snapshot: cleared})
			row = lineWith(ansi.Strip(m.View()), "F07")
			was := fmt.Sprintf(m.tr.t("%s loading was %s"), "F07", fitR(pct(a.PeakValue), 4))
			if !strings.Contains(row, "▲ "+m.tr.t("HIGH")) || !strings.Contains(row, was) || !strings.Contains(row, m.tr.t("RTN UNACK")) {
				t.Errorf("%s %v: returned F07's row %q, want ▲ HIGH, %q, RTN UNACK", lang, size, row, was)
			}
		}
	}
}

// easeF07 is s a minute (times step) later with F07 at pct.
func easeF07(s *feeds.Snapshot, pct float64, step int) *feeds.Snapshot {
	c := *s
	c.Seq += uint64(1000 * step)
	c.At = s.At.Add(time.Duration(step) * time.Minute)
	c.Feeders = slices.Clone(s.Feeders)
	for i := range c.Feeders {
		if f := &c.Feeders[i]; f.ID == "F07" {
			f.LoadingPct, f.KW, f.TS = pct, f.LimitKW*pct/100, c.At
		}
	}
	return &c
}

// TestStillHighAlarmShowsItsPeak: an overload that eased but stayed over
// the limit read "▲ HIGH … F07 loading 105%" with nothing of the 118 % it
// had reached, where one that eased to WARN showed its peak: the operator
// could not see how far over the feeder went. A HIGH loading below its
// peak reads "F07 loading 105% (▲118%)" in the list and the overview, at
// 160 and 80 columns, English and zh-CN; at its peak, or within the
// rounding of it, or once acknowledged, it reads no peak.
func TestStillHighAlarmShowsItsPeak(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			fx := demo(t)
			opts, _ := testOptions(fx, lang)
			eng := opts.Alarms
			at, _ := eng.Board().Find("loading/F07")
			if at.Severity != alarm.SevHigh || at.PeakValue < 110 {
				t.Fatalf("fixture: F07 %v at %.1f%%, want HIGH over 110", at.Severity, at.PeakValue)
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			step := 0
			show := func(loading float64) (alarm.Alarm, string, string) {
				t.Helper()
				step++
				s := easeF07(fx.snap, loading, step)
				eng.Observe(s)
				m.Update(SnapshotMsg{Snapshot: s})
				a, _ := eng.Board().Find("loading/F07")
				over := ansi.Strip(m.View())
				runKeys(m, "4")
				row := lineWith(ansi.Strip(m.View()), "F07")
				runKeys(m, "1")
				return a, over, row
			}
			what := func(v float64) string { return fmt.Sprintf(m.tr.t("%s loading %s"), "F07", fitR(pct(v), 4)) }

			// At its peak: nothing beside the figure.
			_, _, row := show(at.PeakValue)
			if strings.Contains(row, "(▲") || !strings.Contains(row, what(at.PeakValue)) {
				t.Errorf("%s %v: F07 at its peak reads %q, want %q and no peak", lang, size, row, what(at.PeakValue))
			}
			// Eased within the rounding of its peak: the same figure twice
			// would say nothing.
			if near := math.Floor(at.PeakValue); near < at.PeakValue {
				_, _, row = show(near)
				if strings.Contains(row, "(▲") {
					t.Errorf("%s %v: F07 at %.2f%%, peak %.2f%%, reads %q: the same figure twice", lang, size, near, at.PeakValue, row)
				}
			}

			a, over, row := show(105)
			if a.Severity != alarm.SevHigh || a.State != alarm.StateUnack {
				t.Fatalf("engine: F07 %v %v at 105%%, want HIGH UNACK", a.Severity, a.State)
			}
			want := what(105) + " (▲" + pct(a.PeakValue) + ")"
			if !strings.Contains(row, "▲ "+m.tr.t("HIGH")) || !strings.Contains(row, want) {
				t.Errorf("%s %v: F07 eased but still over reads %q, want ▲ HIGH and %q", lang, size, row, want)
			}
			if l := lineWith(over, what(105)); l != "" && !strings.Contains(l, want) {
				t.Errorf("%s %v: the overview reads F07 as %q, want %q", lang, size, l, want)
			} else if l == "" && size[0] == 160 {
				t.Errorf("%s %v: the overview's alarm box does not list F07:\n%s", lang, size, over)
			}

			// Acknowledged: the alarm follows its level, no peak.
			if err := eng.Ack("loading/F07", "ana"); err != nil {
				t.Fatal(err)
			}
			_, _, row = show(104)
			if strings.Contains(row, "(▲") || !strings.Contains(row, what(104)) {
				t.Errorf("%s %v: acknowledged F07 reads %q, want %q and no peak", lang, size, row, what(104))
			}
		}
	}
}
