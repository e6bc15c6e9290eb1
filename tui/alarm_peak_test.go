package tui

import (
	"fmt"
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
