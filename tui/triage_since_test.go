package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestTriageTimesAnOverloadFromItsLimit: triage's "for" on a ▲ HIGH row
// counted from the loading alarm's first time, which is the warning's: F10
// over its limit for two minutes after ninety near it read "▲ HIGH F10 101%
// · for 93 min", and ranked above a feeder over its limit for 25. It counts
// from the minute the feeder went over its limit and stayed there; the
// alarm list keeps the warning's time as the alarm's first.
func TestTriageTimesAnOverloadFromItsLimit(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, fx, _ := newTestModel(t, lang, 160, 45)
		a, ok := m.board().Find("loading/F07")
		if !ok || !a.Active {
			t.Fatal("the fixture's F07 has no active loading alarm")
		}
		f, _ := fx.snap.Feeder("F07")
		// The minute F07 went over its limit and stayed over it, by its
		// history: the alarm's first time is earlier, when it passed 90%.
		var over time.Time
		for at := a.First.Truncate(time.Minute); at.Before(fx.snap.At); at = at.Add(time.Minute) {
			v := f.History.Range(at, at.Add(time.Minute))[0]
			switch {
			case v < f.LimitKW:
				over = time.Time{}
			case over.IsZero():
				over = at
			}
		}
		if over.IsZero() || !over.After(a.First) {
			t.Fatalf("F07 went over its limit at %v, its alarm began at %v: the fixture no longer tells them apart", over, a.First)
		}
		press(m, "t")
		var row string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "F07") && strings.Contains(l, "4,000 kW") {
				row = l
			}
		}
		loc := m.loc()
		want := hhmm(over, loc)
		if !strings.Contains(row, want) || strings.Contains(row, hhmm(a.First, loc)) {
			t.Errorf("%s: F07's triage row %q, want it over its limit since %s (its alarm's first, %s, is the warning's)",
				lang, row, want, hhmm(a.First, loc))
		}
		if dur := m.ago(fx.snap.At.Sub(over)); !strings.Contains(row, dur) {
			t.Errorf("%s: F07's triage row %q does not say it has been over its limit for %s", lang, row, dur)
		}
	}
}
