package tui

import (
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
