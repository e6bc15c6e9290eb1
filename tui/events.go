package tui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// knownEvent is a DR event and where the desk learnt of it.
type knownEvent struct {
	feeds.EventFrame
	operator bool               // entered by an operator, not from the feed
	dr       *control.EventView // the dispatch workflow's view, when there is one
}

// events lists the DR events known: the dispatch workflow's when the desk
// has one (it takes in the feed's events too), else those from the feed
// and from operators, by start time.
func (m *Model) events() []knownEvent {
	var out []knownEvent
	if m.opts.Dispatch != nil {
		for i := range m.dr {
			v := &m.dr[i]
			out = append(out, knownEvent{EventFrame: v.Event, operator: v.Origin != control.OriginFeed, dr: v})
		}
		return out
	}
	for _, e := range m.snap.Events {
		out = append(out, knownEvent{EventFrame: e})
	}
	if m.opts.Events != nil {
		for _, e := range m.opts.Events.OperatorEvents() {
			out = append(out, knownEvent{EventFrame: e, operator: true})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	}
	return out
}

// eventRows returns indices into events that pass the page's filter.
func (m *Model) eventRows(p *page, evs []knownEvent) []int {
	f := strings.ToLower(p.filter)
	var rows []int
	for i, e := range evs {
		// The source as shown matches too: a zh-CN filter "电网" finds
		// the grid operator's events. So do the kind and the state as
		// the rows show them: "import cap" and "pending" matched nothing
		// (the kind matched only as the protocol spells it, import_cap).
		if f != "" && !strings.Contains(strings.ToLower(e.ID+" "+string(e.Kind)+" "+m.kindText(e.Kind)+" "+e.Scope+" "+
			e.Source+" "+m.sourceText(&evs[i])+" "+ansi.Strip(m.eventState(&evs[i]))), f) {
			continue
		}
		rows = append(rows, i)
	}
	return rows
}

// eventState is a DR event's state: the dispatch workflow's when known,
// else by the snapshot's time; glyph and word.
func (m *Model) eventState(k *knownEvent) string {
	if k.dr != nil {
		return m.drStateText(k.dr)
	}
	e := &k.EventFrame
	at := m.snap.At
	switch {
	case at.Before(e.Start):
		return "◌ " + m.tr.t("SCHEDULED")
	case at.Before(e.End):
		return m.st.warn.Render("● " + m.tr.t("ACTIVE"))
	}
	return m.st.dim.Render("✓ " + m.tr.t("ENDED"))
}

// The events table's kW and price columns, by their place in eventsView's
// columns.
const (
	eventsKWCol    = 4
	eventsPriceCol = 5
)

// eventKWCell is an event's kW cell: a price event has none ("—"), and
// with withPrice, its price and unit instead ("0.31 ¥/kWh"), for a table
// with no room for the price column.
func eventKWCell(e *knownEvent, withPrice bool) string {
	if e.Kind != feeds.EventPrice {
		return kw(e.KW)
	}
	if withPrice && e.Price != nil {
		return priceText(*e.Price) + " " + priceUnit
	}
	return "—"
}

// priceText is a price event's price in ¥/kWh, without trailing zeros.
func priceText(p float64) string {
	return strings.TrimRight(strings.TrimRight(ftoa(p, 2), "0"), ".")
}

// eventsView is view 5: the DR events known, from the feed and from
// operators.
func (m *Model) eventsView(p *page, w, h int) []string {
	t := m.tr.t
	evs := m.events()
	rows := m.eventRows(p, evs)
	// The state column is as wide as its widest word: "▲ RELEASE 01:00"
	// must not lose its time.
	// So is the window: an overnight one's day mark ("23:00–21:02 (+1 d)")
	// is what tells it from a window that ends before it starts.
	stateW, windowW := 12, 17
	// Where even that leaves no room (an earlier pass's overnight event at
	// 80 columns: "11-26 23:00–02:00 (+1 d)" beside "↶ EARLIER PASS"),
	// the id, kind, scope and kW give up their padding before the state
	// loses its tail (a triage event's id, "T-F07-2300", fills its own).
	idW, kindW, scopeW, kwLeast := width(t("event")), width(t("kind")), width(t("scope")), width(t("kW"))
	// At 64 and 70 columns even that is too wide: the window gives up its
	// padding down to its widest, and the kind goes, before the state is
	// cut ("● ACT…", "▲ RELEASE …" without its time).
	windowLeast := width(t("window"))
	for i := range evs {
		e := &evs[i]
		stateW = max(stateW, width(m.eventState(e)))
		windowLeast = max(windowLeast, width(m.knownWindow(e)))
		windowW = max(windowW, windowLeast)
		idW = max(idW, width(e.ID))
		kindW = max(kindW, width(m.kindText(e.Kind)))
		scopeW = max(scopeW, width(m.scopeText(e.Scope)))
		kwLeast = max(kwLeast, width(eventKWCell(e, false)))
	}
	all := []column{
		{title: t("event"), w: 10, least: idW},
		{title: t("kind"), w: 10, least: kindW, yield: 1},
		{title: t("scope"), w: 7, least: scopeW},
		{title: t("window"), w: windowW, least: windowLeast},
		{title: t("kW"), w: 8, right: true, least: kwLeast},
		{title: t("price") + " " + priceUnit, w: 11, right: true, drop: 2},
		{title: t("source"), w: 10, flex: true, drop: 1},
		{title: t("from"), w: 8, drop: 3},
		{title: t("state"), w: stateW},
	}
	inner := h - 2
	cols, keep := layoutColumns(all, w-4)
	// A price event has no kW: its kW cell gives its price, with the unit,
	// where the price column has no room (80 columns read "0" under kW and
	// no price at all), so the column is as wide as the widest such.
	priceInKW := !slices.Contains(keep, eventsPriceCol)
	if priceInKW {
		kwW := all[eventsKWCol].w
		for i := range evs {
			kwW = max(kwW, width(eventKWCell(&evs[i], true)))
		}
		if kwW > all[eventsKWCol].w {
			all[eventsKWCol].w, all[eventsKWCol].least = kwW, kwW
			cols, keep = layoutColumns(all, w-4)
		}
	}
	lines := []string{m.tableHeader(cols, w-4)}
	// A forced release to come is said under the table, whatever row the
	// cursor is on; the rows give way to it (at most half the box).
	notices := m.releaseNotices(w - 4)
	notices = notices[:min(len(notices), max(0, (inner-1)/2))]
	inner -= len(notices)
	// The events of earlier passes of the day come last (control's
	// order), under a line naming the seek back that left them there: a
	// line per seek, which the rows give way to.
	headings := 0
	var lastPass *control.EarlierPass
	for _, i := range rows {
		if ep := passOf(&evs[i]); ep != nil && (lastPass == nil || *ep != *lastPass) {
			headings++
			lastPass = ep
		}
	}
	rowsH := max(1, inner-1-headings)
	scroll(p, len(rows), rowsH)
	p.visible = rowsH
	lastPass = nil
	for r := p.offset; r < len(rows) && len(lines) < inner; r++ {
		e := &evs[rows[r]]
		if ep := passOf(e); ep != nil && (lastPass == nil || *ep != *lastPass) {
			lastPass = ep
			if len(lines) >= inner-1 {
				break
			}
			lines = append(lines, "  "+fit(m.earlierPassHeading(ep), w-6))
		}
		from := t("feed")
		switch {
		case e.dr != nil && e.dr.ProposedBy != "" && e.operator:
			from = m.who(e.dr.ProposedBy) // who: the column is for it
		case e.operator:
			from = t("operator")
		}
		price := "—"
		if e.Price != nil {
			price = priceText(*e.Price)
		}
		source := m.sourceText(e)
		cells := []string{e.ID, m.kindText(e.Kind), m.scopeText(e.Scope),
			m.knownWindow(e), eventKWCell(e, priceInKW), price, source, from, m.eventState(e)}
		lines = append(lines, m.tableRow(cols, pick(cells, keep), r == p.cursor, w-4))
	}
	switch {
	case len(rows) == 0 && p.filter != "":
		lines = append(lines, "  "+fmt.Sprintf(t("no DR event matches the filter %q (esc clears it)"), clean(p.filter)))
	case len(rows) == 0:
		lines = append(lines, "  "+t("no DR events known"))
	}
	if len(notices) > 0 {
		for len(lines) < inner {
			lines = append(lines, "")
		}
		lines = append(lines, notices...)
	}
	title := t("DR events")
	if len(rows) > 0 || p.filter != "" {
		title += " · " + m.rangeText(p, len(rows), rowsH)
	}
	return m.box(title, w, h, lines)
}

// passOf is the earlier pass of the day e belongs to, or nil.
func passOf(e *knownEvent) *control.EarlierPass {
	if e.dr == nil {
		return nil
	}
	return e.dr.EarlierPass
}

// knownWindow is e's window as the events list gives it: dated when e is
// of an earlier pass of the day (eventWindow).
func (m *Model) knownWindow(e *knownEvent) string {
	if e.dr != nil {
		return m.eventWindow(e.dr)
	}
	return m.eventSpan(e.Start, e.End)
}
