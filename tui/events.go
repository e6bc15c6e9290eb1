package tui

import (
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// eventRows returns indices into snap.Events that pass the page's filter.
func (m *Model) eventRows(p *page) []int {
	f := strings.ToLower(p.filter)
	var rows []int
	for i, e := range m.snap.Events {
		if f != "" && !strings.Contains(strings.ToLower(e.ID+" "+string(e.Kind)+" "+e.Scope+" "+e.Source), f) {
			continue
		}
		rows = append(rows, i)
	}
	return rows
}

// eventState is a DR event's state at the snapshot's time, glyph and word.
func (m *Model) eventState(e *feeds.EventFrame) string {
	at := m.snap.At
	switch {
	case at.Before(e.Start):
		return "◌ " + m.tr.t("SCHEDULED")
	case at.Before(e.End):
		return m.st.warn.Render("● " + m.tr.t("ACTIVE"))
	}
	return m.st.dim.Render("✓ " + m.tr.t("ENDED"))
}

// eventsView is view 5: the DR events known from the feed.
func (m *Model) eventsView(p *page, w, h int) []string {
	t := m.tr.t
	rows := m.eventRows(p)
	all := []column{
		{title: t("event"), w: 10},
		{title: t("kind"), w: 10},
		{title: t("scope"), w: 7},
		{title: t("window"), w: 17},
		{title: t("kW"), w: 8, right: true},
		{title: t("price"), w: 6, right: true, drop: 2},
		{title: t("source"), w: 10, flex: true, drop: 1},
		{title: t("state"), w: 12},
	}
	inner := h - 2
	cols, keep := layoutColumns(all, w-4)
	lines := []string{m.tableHeader(cols, w-4)}
	scroll(p, len(rows), inner-1)
	p.visible = inner - 1
	loc := m.loc()
	for r := p.offset; r < len(rows) && len(lines) < inner; r++ {
		e := &m.snap.Events[rows[r]]
		price := "—"
		if e.Price != nil {
			price = strings.TrimRight(strings.TrimRight(ftoa(*e.Price, 2), "0"), ".")
		}
		scope := e.Scope
		if scope == feeds.ScopeSystem {
			scope = t("system")
		}
		cells := []string{e.ID, t(string(e.Kind)), scope,
			dayTime(e.Start, m.snap.At, loc) + "–" + hhmm(e.End, loc), kw(e.KW), price, e.Source, m.eventState(e)}
		lines = append(lines, m.tableRow(cols, pick(cells, keep), r == p.cursor, w-4))
	}
	if len(rows) == 0 {
		lines = append(lines, "  "+t("no DR events known"))
	}
	title := t("DR events") + " · " + t("from the feed")
	if len(rows) > 0 {
		title += " · " + m.rangeText(p, len(rows), inner-1)
	}
	return m.box(title, w, h, lines)
}
