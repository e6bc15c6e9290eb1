package tui

import (
	"slices"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// rowCount is the number of rows the page's cursor moves over.
func (m *Model) rowCount(p *page) int {
	if m.snap == nil || !m.snap.HaveTopology {
		return 0
	}
	switch p.kind {
	case pageFeeder:
		_, n := m.chargerIndex(p, p.id)
		return n
	case pageCharger, pageDispatch, pageEventForm:
		return 0
	case pageTriage:
		return len(m.triageRows(p))
	}
	switch p.view {
	case viewOverview:
		n := len(m.snap.Feeders)
		if p.visible > 0 {
			n = min(n, p.visible)
		}
		return n
	case viewFeeders:
		return len(m.feederRows(p))
	case viewChargers:
		_, n := m.chargerIndex(p, "")
		return n
	case viewAlarms:
		rows, _ := m.alarmRows(p)
		return len(rows)
	case viewEvents:
		return len(m.eventRows(p, m.events()))
	}
	return 0
}

// sortColumns is how many sort orders the page offers (0: not sortable).
func (m *Model) sortColumns(p *page) int {
	if p.kind == pageList && (p.view == viewOverview || p.view == viewFeeders) {
		return numFeederSorts
	}
	if p.kind == pageFeeder {
		return numChargerSorts
	}
	return 0
}

// drill opens what is under the cursor: a feeder from the feeder tables, a
// charger from the charger tables, an alarm's or event's feeder or charger.
func (m *Model) drill(p *page) {
	if m.snap == nil || !m.snap.HaveTopology {
		return
	}
	switch p.kind {
	case pageFeeder:
		idx, n := m.chargerIndex(p, p.id)
		if p.cursor < n {
			m.push(&page{view: p.view, kind: pageCharger, id: m.snap.ChargerAt(idx[p.cursor]).ID})
		}
		return
	case pageCharger:
		return
	case pageTriage:
		rows := m.triageRows(p)
		if p.cursor < len(rows) {
			m.push(&page{view: p.view, kind: pageFeeder, id: m.snap.Feeders[rows[p.cursor].feeder].ID})
		}
		return
	}
	switch p.view {
	case viewOverview, viewFeeders:
		rows := m.feederRows(p)
		if p.cursor < len(rows) {
			m.push(&page{view: p.view, kind: pageFeeder, id: m.snap.Feeders[rows[p.cursor]].ID})
		}
	case viewChargers:
		idx, n := m.chargerIndex(p, "")
		if p.cursor < n {
			i := p.cursor
			if idx != nil {
				i = idx[p.cursor]
			}
			m.push(&page{view: p.view, kind: pageCharger, id: m.snap.ChargerAt(i).ID})
		}
	case viewAlarms:
		rows, b := m.alarmRows(p)
		if p.cursor >= len(rows) {
			return
		}
		a := b.Alarms[rows[p.cursor]]
		switch {
		case a.Kind == alarm.KindFault || a.Kind == alarm.KindCommLost:
			if _, ok := m.snap.Charger(a.Source); ok {
				m.push(&page{view: p.view, kind: pageCharger, id: a.Source})
			}
		case a.Feeder != "":
			if _, ok := m.snap.Feeder(a.Feeder); ok {
				m.push(&page{view: p.view, kind: pageFeeder, id: a.Feeder})
			}
		}
	case viewEvents:
		evs := m.events()
		rows := m.eventRows(p, evs)
		if p.cursor < len(rows) {
			e := evs[rows[p.cursor]]
			if e.Scope != feeds.ScopeSystem {
				if _, ok := m.snap.Feeder(e.Scope); ok {
					m.push(&page{view: p.view, kind: pageFeeder, id: e.Scope})
				}
			}
		}
	}
}

// home puts the page's cursor on its first row, for a new filter or sort
// order: the cursor starts over rather than hunt for what it was on.
func (p *page) home() { p.cursor, p.offset, p.sel = 0, 0, "" }

// rowList is what a page's cursor moves over: n rows, the id of what row
// r shows (a feeder, charger, alarm or DR event), and, where a lookup is
// cheaper than a scan, the row showing an id (-1: none).
type rowList struct {
	n    int
	id   func(r int) string
	find func(id string) int
}

// listIDs returns the page's rows, computed once.
func (m *Model) listIDs(p *page) rowList {
	if m.snap == nil || !m.snap.HaveTopology {
		return rowList{}
	}
	s := m.snap
	charger := func(idx []int, n int, topology bool) rowList {
		return rowList{n: n,
			id: func(r int) string {
				if idx != nil {
					r = idx[r]
				}
				return s.ChargerAt(r).ID
			},
			// The index is in topology order: a charger is found again
			// by a lookup and a binary search, not a walk of 100,000
			// rows.
			find: func(id string) int {
				at, ok := s.ChargerIndex(id)
				switch {
				case !ok:
					return -1
				case idx == nil:
					return at
				case !topology:
					// A feeder's chargers by power: hundreds, not
					// 100,000, so a walk.
					return slices.Index(idx, at)
				}
				if r, ok := slices.BinarySearch(idx, at); ok {
					return r
				}
				return -1
			}}
	}
	switch p.kind {
	case pageFeeder:
		idx, n := m.chargerIndex(p, p.id)
		return charger(idx, n, !sortedByKW(p) && !p.desc)
	case pageTriage:
		rows := m.triageRows(p)
		return rowList{n: len(rows), id: func(r int) string { return s.Feeders[rows[r].feeder].ID }}
	case pageList:
	default:
		return rowList{}
	}
	switch p.view {
	case viewOverview, viewFeeders:
		rows := m.feederRows(p)
		// The overview's cursor moves over the rows it shows only.
		return rowList{n: min(len(rows), m.rowCount(p)), id: func(r int) string { return s.Feeders[rows[r]].ID }}
	case viewChargers:
		idx, n := m.chargerIndex(p, "")
		return charger(idx, n, true)
	case viewAlarms:
		rows, b := m.alarmRows(p)
		return rowList{n: len(rows), id: func(r int) string { return b.Alarms[rows[r]].ID }}
	case viewEvents:
		evs := m.events()
		rows := m.eventRows(p, evs)
		return rowList{n: len(rows), id: func(r int) string { return evs[rows[r]].ID }}
	}
	return rowList{}
}

// row is the row showing id, -1 when none does.
func (l rowList) row(id string) int {
	if l.find != nil {
		if r := l.find(id); r < l.n {
			return r
		}
		return -1
	}
	for r := range l.n {
		if l.id(r) == id {
			return r
		}
	}
	return -1
}

// pin records what the page's cursor is on.
func (m *Model) pin(p *page) {
	l := m.listIDs(p)
	p.sel = ""
	if p.cursor >= 0 && p.cursor < l.n {
		p.sel = l.id(p.cursor)
	}
}

// follow moves the page's cursor to the row of what it was on (p.sel):
// the rows re-sort and change under it. When that is gone the cursor
// stays at its row, within the list, and is on whatever is there now.
func (m *Model) follow(p *page) {
	l := m.listIDs(p)
	if l.n == 0 {
		p.sel = ""
		return
	}
	// The cheap check first: most of the time nothing moved.
	if p.sel != "" && (p.cursor < 0 || p.cursor >= l.n || l.id(p.cursor) != p.sel) {
		if r := l.row(p.sel); r >= 0 {
			p.cursor = r
			return
		}
	}
	p.cursor = max(0, min(p.cursor, l.n-1))
	p.sel = l.id(p.cursor)
}
