package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestStaleFeederKeepsItsStaleMark: during a link loss the feeder rows
// whose HIGH alarm was raised before it read "F10 1,794 … 118% ▲ HIGH", as
// if live, beside rows reading "○ STALE". A stale feeder with an alarm
// standing says both: "▲ HIGH ○"; a fresh one reads as before. In English
// and zh-CN, on the overview at 160 and 80 columns.
func TestStaleFeederKeepsItsStaleMark(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, w := range []int{160, 80} {
			m, fx, _ := newTestModel(t, lang, w, 45)
			high := strings.TrimSpace(ansi.Strip(m.sevText(m.triageSev("F07"))))
			row := func() string {
				for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
					if strings.Contains(l, " F07 ") && strings.Contains(l, "4,735") {
						return l
					}
				}
				return ""
			}
			if r := row(); !strings.Contains(r, high) || strings.Contains(r, high+" ○") {
				t.Fatalf("%q %d: F07's fresh row %q, want %q without a stale mark", lang, w, r, high)
			}
			stale := *fx.snap
			stale.Feeders = slices.Clone(fx.snap.Feeders)
			for i := range stale.Feeders {
				if stale.Feeders[i].ID == "F07" {
					stale.Feeders[i].Stale = true
				}
			}
			m.Update(SnapshotMsg{Snapshot: &stale})
			if r := row(); !strings.Contains(r, high+" ○") {
				t.Errorf("%q %d: F07 stale with its alarm standing reads %q, want %q", lang, w, r, high+" ○")
			}
		}
	}
}
