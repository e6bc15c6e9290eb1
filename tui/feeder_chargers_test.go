package tui

import (
	"strings"
	"testing"
)

// chargerRows returns the ids and powers of a feeder page's chargers in
// the order the page lists them.
func chargerRows(m *Model) (ids []string, kws []float64) {
	p := m.page()
	idx, n := m.chargerIndex(p, p.id)
	for r := range n {
		c := m.snap.ChargerAt(idx[r])
		ids = append(ids, c.ID)
		kw := 0.0
		if c.Seen {
			kw = c.Last.KW
		}
		kws = append(kws, kw)
	}
	return ids, kws
}

// chargerHeading is the heading line of the page's charger table.
func chargerHeading(m *Model) string {
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, m.tr.t("charger")) && strings.Contains(l, m.tr.t("SoC")) {
			return l
		}
	}
	return ""
}

// TestFeederPageBiggestLoadsFirst: an on-call engineer drilling into an
// overloaded feeder asks which chargers drive its load. The page listed
// them by charger id: on the demo day at 80x24 the six rows shown were all
// "· available 0.0". It opens on the biggest loads first, says so in the
// kW column's heading, and s and r sort it by id and back, as on the
// feeder tables.
func TestFeederPageBiggestLoadsFirst(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, sz.w, sz.h)
			press(m, "2jjjjjjE") // F07, over its limit
			if p := m.page(); p.kind != pageFeeder || p.id != "F07" {
				t.Fatalf("%q %dx%d: on %+v, want F07's page", lang, sz.w, sz.h, p)
			}
			ids, kws := chargerRows(m)
			for r := 1; r < len(kws); r++ {
				if kws[r] > kws[r-1] {
					t.Errorf("%q %dx%d: %s %.1f kW listed below %s %.1f kW", lang, sz.w, sz.h, ids[r], kws[r], ids[r-1], kws[r-1])
				}
			}
			v := m.View()
			first := "▸ CP-0051    ↑ " + m.tr.t("charging")
			if !strings.Contains(v, first) || !strings.Contains(chargerHeading(m), "kW ▼") {
				t.Errorf("%q %dx%d: the page lacks %q first and kW ▼:\n%s", lang, sz.w, sz.h, first, v)
			}
			if !strings.Contains(v, "s "+m.tr.t("sort")) {
				t.Errorf("%q %dx%d: the footer does not offer s:\n%s", lang, sz.w, sz.h, v)
			}

			press(m, "s") // by charger id
			if ids, _ := chargerRows(m); ids[0] != "CP-0049" {
				t.Errorf("%q %dx%d: after s the first row is %s, want CP-0049 (id order)", lang, sz.w, sz.h, ids[0])
			}
			if h := chargerHeading(m); strings.Contains(h, "▼") || strings.Contains(h, "▲") {
				t.Errorf("%q %dx%d: id order shows a sort arrow: %q", lang, sz.w, sz.h, h)
			}
			press(m, "s") // by power again
			press(m, "r") // the smallest (the discharging) first
			_, kws = chargerRows(m)
			for r := 1; r < len(kws); r++ {
				if kws[r] < kws[r-1] {
					t.Errorf("%q %dx%d: after r, %.1f kW listed below %.1f kW", lang, sz.w, sz.h, kws[r], kws[r-1])
				}
			}
			if h := chargerHeading(m); !strings.Contains(h, "kW ▲") {
				t.Errorf("%q %dx%d: after r the heading %q lacks kW ▲", lang, sz.w, sz.h, h)
			}
			if kws[0] >= 0 {
				t.Errorf("%q %dx%d: after r the first row draws %.1f kW, want a discharging charger", lang, sz.w, sz.h, kws[0])
			}
		}
	}
}

// TestFeederPageCursorFindsItsCharger: in power order the rows are not in
// topology order, so the cursor finds the charger it was on by a walk, not
// the binary search the topology-ordered lists use (which missed it).
func TestFeederPageCursorFindsItsCharger(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "2jjjjjjE")
	p := m.page()
	ids, _ := chargerRows(m)
	for r, id := range ids {
		p.cursor, p.sel = 0, id
		if r == 0 {
			p.cursor = len(ids) - 1
		}
		m.follow(p)
		if p.cursor != r || p.sel != id {
			t.Errorf("cursor at %d on %s, want %d on %s", p.cursor, p.sel, r, id)
		}
	}
	// Enter opens the charger under the cursor, whatever the order.
	p.cursor, p.sel = 0, ""
	press(m, "E")
	if q := m.page(); q.kind != pageCharger || q.id != ids[0] {
		t.Errorf("enter on the first row opened %+v, want %s", q, ids[0])
	}
}

// TestChargerFilterHintIsAnExample: the chargers page's title read
// "Chargers · 1–39 of 3,065 · / filter: feeder:F07 state:fault id", which
// an operator took for a filter in force (on F07, faulted only) over a list
// that showed every feeder. It says the words are an example, and goes
// once a filter is typed.
func TestChargerFilterHintIsAnExample(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, sz.w, sz.h)
			press(m, "3")
			title := strings.Split(m.View(), "\n")[2]
			eg := map[string]string{"": "/ filter, e.g. feeder:F07", "zh-CN": "/ 筛选，例如 feeder:F07"}[lang]
			if !strings.Contains(title, eg) || strings.Contains(title, "filter: feeder") || strings.Contains(title, "…") {
				t.Errorf("%q %dx%d: title %q, want the example %q whole", lang, sz.w, sz.h, title, eg)
			}
			m.page().filter = "state:fault"
			if title := strings.Split(m.View(), "\n")[2]; strings.Contains(title, "feeder:F07") {
				t.Errorf("%q %dx%d: with a filter the title still shows the example: %q", lang, sz.w, sz.h, title)
			}
		}
	}
}
