package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// lostSnapshot is the fixture's snapshot as a link loss leaves it: every
// charger stale, so every V2G figure 0 with its plugged chargers counted
// in StalePlugged; with partial, only F07 has some stale and keeps the
// figures of its fresh ones.
func lostSnapshot(fx *fixture, partial bool) *feeds.Snapshot {
	s := *fx.snap
	s.Feeders = slices.Clone(fx.snap.Feeders)
	s.V2G = feeds.V2GCapacity{}
	for i := range s.Feeders {
		f := &s.Feeders[i]
		switch {
		case !partial:
			f.V2G = feeds.V2GCapacity{StalePlugged: f.Plugged}
		case f.ID == "F07":
			f.V2G.StalePlugged = 2
		}
		s.V2G.DischargeKW += f.V2G.DischargeKW
		s.V2G.ImportReducibleKW += f.V2G.ImportReducibleKW
		s.V2G.EnergyAboveNeedKWh += f.V2G.EnergyAboveNeedKWh
		s.V2G.Plugged += f.V2G.Plugged
		s.V2G.Bidirectional += f.V2G.Bidirectional
		s.V2G.StalePlugged += f.V2G.StalePlugged
		s.V2G.Unheard += f.V2G.Unheard
	}
	return &s
}

// screenLine is the first line of m's screen holding every one of parts.
func screenLine(m *Model, parts ...string) string {
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return l
		}
	}
	return ""
}

// TestV2GUnknownIsNotZero: during a link loss the feeder rows read "V2G 0,
// flex kW 0" and the V2G box "can discharge now 0.0 MW", which a dispatcher
// reads as "none available" where it is not known. With every plugged
// charger stale those figures read "—"; with some of a feeder's stale, the
// figure of the fresh ones is marked "○" (a floor), as a stale feeder's
// standing alarm is. In English and zh-CN, at 160x45 and 80x24, on the
// overview, the feeders view and a feeder's page.
func TestV2GUnknownIsNotZero(t *testing.T) {
	unknownCells := regexp.MustCompile(`\s—\s+—\s`)
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m, fx, _ := newTestModel(t, lang, size[0], size[1])
			tr := m.tr.t
			m.Update(SnapshotMsg{Snapshot: lostSnapshot(fx, false)})
			if size[0] >= 100 {
				for _, label := range []string{"can discharge now", "import reducible", "energy above needs"} {
					if l := screenLine(m, tr(label)); !strings.Contains(l, fit(tr(label), 19)+" —") {
						t.Errorf("%q %v: V2G box line %q, want %q", lang, size, l, tr(label)+" … —")
					}
				}
				if l := screenLine(m, " F07 ", "4,735"); !unknownCells.MatchString(l) {
					t.Errorf("%q %v: F07's row during a link loss %q, want V2G and flex kW as —", lang, size, l)
				}
			} else if l := screenLine(m, tr("V2G")+"  "); !strings.Contains(l, tr("discharge")+" —") || !strings.Contains(l, tr("reducible")+" —") {
				t.Errorf("%q %v: V2G line %q, want discharge and reducible as —", lang, size, l)
			}
			pressViewing(m, "2jjjjjjE") // F07's page
			for _, label := range []string{"can discharge now", "import reducible", "V2G plugged"} {
				if size[0] < 100 {
					break // the compact page leaves these figures out
				}
				if l := screenLine(m, tr(label)+" "); !strings.Contains(l, tr(label)+" —") {
					t.Errorf("%q %v: F07's page %q, want %q", lang, size, l, tr(label)+" —")
				}
			}

			// Two of F07's plugged chargers stale: its figures are those of
			// the fresh ones, marked; a feeder whose chargers are all fresh
			// reads as ever.
			m, fx, _ = newTestModel(t, lang, size[0], size[1])
			m.Update(SnapshotMsg{Snapshot: lostSnapshot(fx, true)})
			if size[0] < 100 {
				continue // the compact table has no V2G or flex column
			}
			f07, _ := fx.snap.Feeder("F07")
			want := kw(f07.V2G.ImportReducibleKW) + " ○"
			if l := screenLine(m, " F07 ", "4,735"); !strings.Contains(l, want) || strings.Count(l, "○") != 2 {
				t.Errorf("%q %v: F07's row with 2 stale chargers %q, want its V2G and %q marked ○", lang, size, l, want)
			}
			for _, f := range fx.snap.Feeders {
				if f.ID == "F07" || f.Stale || f.V2G.Partial() {
					continue
				}
				if l := screenLine(m, " "+f.ID+" "); l != "" && strings.Contains(l, "○") {
					t.Errorf("%q %v: %s, no charger stale, reads %q", lang, size, f.ID, l)
				}
			}
			if l := screenLine(m, tr("can discharge now")); !strings.Contains(l, mw(lostSnapshot(fx, true).V2G.DischargeKW)+" ○") {
				t.Errorf("%q %v: V2G box %q, want the fresh chargers' figure marked ○", lang, size, l)
			}
		}
	}
}
