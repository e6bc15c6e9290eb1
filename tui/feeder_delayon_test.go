package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestFeederOverLimitNeverOKBeforeItsAlarm: a desk whose alarms have not
// yet run a loading alarm's 30 s delay-on (it joined a paused feed, whose
// clock stands still) shows a feeder over its limit as ▲ HIGH, and one
// near it as △ WARN, in the feeders list and on the feeder's page, as
// triage and `status` do; they read "✓ OK" beside 119%.
func TestFeederOverLimitNeverOKBeforeItsAlarm(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	opts.Alarms = alarm.NewEngine(alarm.Options{Clock: wallNow}) // nothing observed: no alarm raised
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "2")
		screen := ansi.Strip(m.View())
		warn, high := m.alarms.Thresholds()
		checked := 0
		for _, fs := range fx.snap.Feeders {
			if fs.Stale || !fs.Seen {
				continue // ○ STALE, ○ NO DATA: another test's
			}
			var row string
			for _, l := range strings.Split(screen, "\n") {
				if strings.HasPrefix(strings.TrimLeft(l, "│ ▸"), fs.ID+" ") {
					row = l
				}
			}
			if row == "" {
				continue // below the fold at 80x24
			}
			want := "✓ OK"
			switch {
			case fs.LoadingPct >= high:
				want = "▲ HIGH"
			case fs.LoadingPct >= warn:
				want = "△ WARN"
			}
			if want != "✓ OK" {
				checked++
			}
			if !strings.Contains(row, want) {
				t.Errorf("%dx%d: %s at %.0f%%, no alarm raised yet: row %q, want %s", size[0], size[1], fs.ID, fs.LoadingPct, row, want)
			}
		}
		if checked == 0 {
			t.Fatalf("%dx%d: no feeder of the fixture is near or over its limit; the test checks nothing", size[0], size[1])
		}
	}
}

// TestFeederFilterFindsWhatTheRowShows: before its alarm is raised, "/high"
// on the feeders finds a feeder the row shows ▲ HIGH, and "/ok" does not;
// the filter read the alarm board, and "ok" found F07 at 118%.
func TestFeederFilterFindsWhatTheRowShows(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	opts.Alarms = alarm.NewEngine(alarm.Options{Clock: wallNow})
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, "2/highE")
	if screen := ansi.Strip(m.View()); !strings.Contains(screen, "F07 ") {
		t.Errorf("/high does not find F07 (118%%, ▲ HIGH on its row):\n%s", screen)
	}
	m = New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, "2/okE")
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, "│ ▸"), "F07 ") {
			t.Errorf("/ok finds F07 at 118%%: %q", l)
		}
	}
}

// TestOverviewAlarmsNotOKBesideUnalarmedOverloads: with no alarm raised
// yet, the overview's alarm box (160 columns) and line (80) name the
// feeders near or over their limit instead of "✓ OK", in both languages.
func TestOverviewAlarmsNotOKBesideUnalarmedOverloads(t *testing.T) {
	fx := demo(t)
	for _, tc := range []struct{ lang, want string }{
		{"", "feeders near or over their limit"}, {"zh-CN", "条馈线接近或超过限值"},
	} {
		opts, _ := testOptions(fx, tc.lang)
		eng := alarm.NewEngine(alarm.Options{Clock: wallNow})
		opts.Alarms = eng
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			// The fixture's fault and stale alarms, raised at once, shelved:
			// the box would list them, and the line be about them.
			for _, a := range eng.Board().Alarms {
				if a.Kind == alarm.KindLoading {
					t.Fatalf("%s raised already; the test wants none yet", a.ID)
				}
				if a.State != alarm.StateShelved {
					if err := eng.Shelve(a.ID, "ana", "test", time.Hour); err != nil {
						t.Fatal(err)
					}
				}
			}
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			screen := ansi.Strip(m.View())
			var said string
			for _, l := range strings.Split(screen, "\n") {
				if strings.Contains(l, tc.want) {
					said = l
				}
			}
			if said == "" || !strings.Contains(said, "▲") {
				t.Errorf("%s %dx%d: no ▲ line naming the feeders near or over their limit:\n%s", tc.lang, size[0], size[1], screen)
			}
		}
	}
}
