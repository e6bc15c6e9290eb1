package tui

import (
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestTriageRanksTheHigherLoadingFirst: triage ranked ▲ HIGH rows by how
// long each had been over its limit, so F10, gone to 125 % of its limit
// five minutes ago and rising, sat below F07, at 118 % for over an hour,
// while the overview's alarm list put F10 first. The feeder to act on
// first is the one furthest over its limit: triage ranks by loading within
// a severity, the alarm list's rule (alarm.WorseFirst), and both agree.
func TestTriageRanksTheHigherLoadingFirst(t *testing.T) {
	fx := newFixture(t, 12, 8, false)
	// Five minutes from 18:43: F10 (limit 2,800 kW) climbs to 125 % of its
	// limit and stays there; the other feeders go on as the day does.
	for m := 18*60 + 43; m <= 18*60+47; m++ {
		fx.clock = day.Add(time.Duration(m) * time.Minute)
		for i, f := range fx.specs {
			kw := math.Round(feederKW(i, f, float64(m)))
			if f.id == "F10" {
				kw = 3500 - float64(18*60+47-m)*20 // rising to 3,500 kW
			}
			if f.stopped > 0 {
				continue
			}
			fx.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: f.id, TS: fx.clock, KW: kw})
		}
		fx.obs = append(fx.obs, fx.fleet.Snapshot())
	}
	fx.snap = fx.obs[len(fx.obs)-1]
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			opts, ctl := testOptions(fx, lang)
			ctl.now = fx.clock
			at := fx.clock.Add(200 * time.Millisecond)
			opts.Now = func() time.Time { return at }
			opts.Alarms = fx.engine(opts.Now)
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.Update(SnapshotMsg{Snapshot: fx.snap})

			// The alarm list's order of the two overloads.
			var listed []string
			for _, a := range worstUnacked(m.board().Alarms) {
				if a.Kind == alarm.KindLoading && a.Severity == alarm.SevHigh {
					listed = append(listed, a.Source)
				}
			}
			if strings.Join(listed, " ") != "F10 F07" {
				t.Fatalf("%s %dx%d: the alarm list ranks the overloads %v, want F10 (125%%) before F07 (118%%): the fixture no longer sets the case up",
					lang, sz.w, sz.h, listed)
			}

			press(m, "t")
			var order []string
			for _, r := range m.triageRows(m.page()) {
				if r.sev == alarm.SevHigh {
					order = append(order, m.snap.Feeders[r.feeder].ID)
				}
			}
			if got := strings.Join(order, " "); got != "F10 F07" {
				t.Errorf("%s %dx%d: triage ranks the ▲ HIGH rows %s, want F10 F07 as the alarm list does", lang, sz.w, sz.h, got)
			}
			// On screen too: F10's row above F07's, the cursor on it.
			screen := ansi.Strip(m.View())
			i10, i07 := strings.Index(screen, "F10 "), strings.Index(screen, "F07 ")
			if i10 < 0 || i07 < 0 || i10 > i07 {
				t.Errorf("%s %dx%d: triage shows F07 above F10 (or not both):\n%s", lang, sz.w, sz.h, screen)
			}
		}
	}
}
