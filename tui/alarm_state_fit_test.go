package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestAlarmStateWordsFit: the zh-CN list cut "RTN UNACK" to "已恢复未…" at
// 80 and 160 columns, so the one state a dispatcher must act on (returned
// to normal, nobody acknowledged it) could not be read. Every state the
// list shows reads whole in its column, English and zh-CN, at both widths.
func TestAlarmStateWordsFit(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			fx := demo(t)
			opts, _ := testOptions(fx, lang)
			eng := opts.Alarms
			// F07 back to normal before anyone acknowledged it; F03 shelved;
			// CP-0005's fault is acknowledged in the fixture; the rest UNACK.
			cleared := easeF07(fx.snap, 50, 2)
			eng.Observe(cleared)
			if err := eng.Shelve("loading/F03", "bo", "crew on site", time.Hour); err != nil {
				t.Fatal(err)
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.Update(SnapshotMsg{Snapshot: cleared})
			runKeys(m, "4")
			screen := ansi.Strip(m.View())
			for _, c := range []struct {
				state   alarm.State
				id, row string // an alarm in that state, and its row
				word    string
			}{
				{alarm.StateUnack, "stale_feed/F12", "F12", "UNACK"},
				{alarm.StateAcked, "fault/CP-0005", "CP-0005", "ACK"},
				{alarm.StateRTNUnack, "loading/F07", "F07", "RTN UNACK"},
				{alarm.StateShelved, "loading/F03", "F03", "SHELVED"},
			} {
				if a, ok := eng.Board().Find(c.id); !ok || a.State != c.state {
					t.Fatalf("%s %v: %s is %v, want %v", lang, size, c.row, a.State, c.state)
				}
				word := m.tr.t(c.word)
				if got := ansi.Strip(m.stateWord(c.state)); got != word {
					t.Errorf("%s: stateWord(%v) %q, want %q", lang, c.state, got, word)
				}
				row := lineWith(screen, c.row+" ")
				if row == "" {
					t.Fatalf("%s %v: no row for %s:\n%s", lang, size, c.row, screen)
				}
				if !strings.Contains(row, " "+word+" ") {
					t.Errorf("%s %v: %s's row %q does not read its state %q whole", lang, size, c.row, row, word)
				}
			}
		}
	}
}
