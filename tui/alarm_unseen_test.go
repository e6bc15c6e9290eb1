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
// triage "for ≥… (since ≤18:42)". A desk that saw the overload begin
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
					if view == "t" {
						want = "≥"
					}
					if got := strings.Contains(line, want); got != (tc.name == "joined") {
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
