package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestAlarmBeganUnseenSaysSo: a desk that joined a sim's feed at 18:42,
// F07 over its limit since 16:40, listed "F07 loading 118% 18:42" and
// triage "for 0 min (since 18:42)", claiming a start it never saw (the
// feed carries none). Where an alarm gives its start it says "≤18:42";
// triage "for ≥… (since ≤18:42)", or "since before 18:42" just after
// the join. A desk that saw the overload begin
// gives its time bare. English and zh-CN, 160x45 and 80x24: the overview,
// the alarm list (4) and triage (t).
func TestAlarmBeganUnseenSaysSo(t *testing.T) {
	fx := demo(t)
	// The joining desk's engine: its first readings are the fixture's
	// last, F07 at 118%, then the same 31 s on, past the delay-on.
	later := *fx.snap
	later.Seq++
	later.At = later.At.Add(31 * time.Second)
	joined := alarm.NewEngine(alarm.Options{Clock: wallNow})
	joined.Observe(fx.snap)
	joined.Observe(&later)
	if a, ok := joined.Board().Find("loading/F07"); !ok || !a.BeganUnseen {
		t.Fatalf("the joining desk's F07 alarm %+v, want it raised and BeganUnseen", a)
	}
	at := "≤" + hhmm(later.At, fx.snap.Location)
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			for _, tc := range []struct {
				name string
				eng  *alarm.Engine
			}{{"joined", joined}, {"watched", fx.engine(wallNow)}} {
				opts, _ := testOptions(fx, lang)
				opts.Alarms = tc.eng
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.Update(SnapshotMsg{Snapshot: &later})
				for _, view := range []string{"1", "4", "t"} {
					runKeys(m, view)
					line := ""
					for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
						if strings.Contains(l, "F07") && (strings.Contains(l, "118%") || strings.Contains(l, "119%")) {
							line = l
							break
						}
					}
					if line == "" {
						t.Fatalf("%q %dx%d %s view %s: no F07 line:\n%s", lang, sz.w, sz.h, tc.name, view, ansi.Strip(m.View()))
					}
					want := at
					got := strings.Contains(line, want)
					if view == "t" {
						// Just joined: "since before 18:42" (TestTriageJustJoined).
						want = "≤, ≥ or since before"
						got = strings.ContainsAny(line, "≤≥") || strings.Contains(line, "since before") || strings.Contains(line, "之前")
					}
					if got != (tc.name == "joined") {
						t.Errorf("%q %dx%d %s desk, view %s: F07 reads %q; %q in it: %v, want %v", lang, sz.w, sz.h, tc.name, view, line, want, got, !got)
					}
					if tc.name == "watched" && strings.ContainsAny(line, "≤≥") {
						t.Errorf("%q %dx%d watched desk, view %s: F07 reads %q, a start it saw marked unseen", lang, sz.w, sz.h, view, line)
					}
					if width(line) > sz.w {
						t.Errorf("%q %dx%d %s view %s: %d cells: %q", lang, sz.w, sz.h, tc.name, view, width(line), line)
					}
					runKeys(m, "X") // esc
				}
			}
		}
	}
}

// TestTriageJustJoined: a desk that joined mid-overload read "for ≥0.0 s
// (since ≤18:42)" in triage just after joining, a bound of nothing. Within
// its first minute it says the overload was on before the desk read it,
// "since before 18:42, when this desk began reading it", shorter where the
// row has no room, never a duration; a minute on, "for ≥90 s" is a bound
// worth giving and comes back. English and zh-CN, 160x45, 80x24, 64x18.
func TestTriageJustJoined(t *testing.T) {
	fx := demo(t)
	later := *fx.snap
	later.Seq++
	later.At = later.At.Add(31 * time.Second)
	joined := alarm.NewEngine(alarm.Options{Clock: wallNow})
	joined.Observe(fx.snap)
	joined.Observe(&later)
	a, ok := joined.Board().Find("loading/F07")
	if !ok || !a.BeganUnseen {
		t.Fatalf("the joining desk's F07 alarm %+v, want it raised and BeganUnseen", a)
	}
	at := hhmm(a.First, fx.snap.Location)
	minuteOn := later
	minuteOn.Seq++
	minuteOn.At = a.First.Add(90 * time.Second)
	for _, c := range []struct {
		lang, whole, short string
	}{
		{"", "since before " + at + ", when this desk began reading it", "since before " + at},
		{"zh-CN", "始于 " + at + " 之前 (本控制台自那时起读到)", "始于 " + at + " 之前"},
	} {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}, {64, 18}} {
			opts, _ := testOptions(fx, c.lang)
			opts.Alarms = joined
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.Update(SnapshotMsg{Snapshot: &later})
			runKeys(m, "t")
			row := func() string {
				for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
					if strings.Contains(l, "F07") && strings.Contains(l, "118%") {
						return l
					}
				}
				t.Fatalf("%q %dx%d: no F07 row:\n%s", c.lang, sz.w, sz.h, ansi.Strip(m.View()))
				return ""
			}
			line := row()
			if strings.Contains(line, "≥") || strings.Contains(line, "0.0") {
				t.Errorf("%q %dx%d: just joined, F07 reads %q: a duration of the desk's own time", c.lang, sz.w, sz.h, line)
			}
			want := c.short
			switch sz.w {
			case 160:
				want = c.whole
			case 64:
				want = "≤" + at
			}
			if !strings.Contains(line, want) {
				t.Errorf("%q %dx%d: just joined, F07 reads %q, want %q in it", c.lang, sz.w, sz.h, line, want)
			}
			if width(line) > sz.w {
				t.Errorf("%q %dx%d: %d cells: %q", c.lang, sz.w, sz.h, width(line), line)
			}
			m.Update(SnapshotMsg{Snapshot: &minuteOn})
			if line := row(); !strings.Contains(line, "≥90") || strings.Contains(line, "before") || strings.Contains(line, "之前") {
				t.Errorf("%q %dx%d: 90 s after the alarm, F07 reads %q, want its ≥ duration", c.lang, sz.w, sz.h, line)
			}
		}
	}
}
