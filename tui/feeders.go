package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// Feeder sort orders (s cycles through them).
const (
	feederSortTopology = iota
	feederSortLoading
	feederSortKW
	feederSortFlex
	feederSortPlugged
	feederSortAlarm
	numFeederSorts
)

// Feeder table columns.
const (
	fcID = iota
	fcKW
	fcLimit
	fcLoading
	fcTrend
	fcEVs
	fcV2G
	fcFlex
	fcAlarm
)

// feederSortCol maps a sort order to the column whose title shows it.
var feederSortCol = [numFeederSorts]int{fcID, fcLoading, fcKW, fcFlex, fcEVs, fcAlarm}

// trendWindow is how far back the feeder sparkline looks.
const trendWindow = 6 * time.Hour

func (m *Model) feederColumns(compact bool) []column {
	t := m.tr.t
	if compact {
		return []column{
			{title: t("feeder"), w: 6},
			{title: t("load kW"), w: 8, right: true},
			{title: t("limit kW"), w: 8, right: true}, // the unit at every width
			{title: t("loading"), w: 16, flex: true},
			{title: t("EVs"), w: 5, right: true, drop: 2},
			{title: t("trend"), w: 8, drop: 3},
			{title: t("alarm"), w: 9}, // "▲ SHELVED", "○ NO DATA"
		}
	}
	return []column{
		{title: t("feeder"), w: 7},
		{title: t("load kW"), w: 8, right: true},
		{title: t("limit kW"), w: 8, right: true},
		{title: t("loading"), w: 24, flex: true},
		{title: t("trend 6 h"), w: 14, drop: 3, flex: true},
		{title: t("EVs"), w: 5, right: true, drop: 1},
		{title: t("V2G"), w: 5, right: true, drop: 2},
		{title: t("flex kW"), w: 8, right: true, drop: 1},
		{title: t("alarm"), w: 9},
	}
}

// compactCols maps compact column positions to the wide column ids.
var compactCols = []int{fcID, fcKW, fcLimit, fcLoading, fcEVs, fcTrend, fcAlarm}

// feederRows returns indices into snap.Feeders, filtered and sorted as the
// page asks.
func (m *Model) feederRows(p *page) []int {
	s := m.snap
	b := m.board()
	f := strings.ToLower(p.filter)
	rows := make([]int, 0, len(s.Feeders))
	for i := range s.Feeders {
		fs := &s.Feeders[i]
		if f != "" && !strings.Contains(strings.ToLower(fs.ID), f) &&
			!strings.Contains(strings.ToLower(fs.Name), f) &&
			!strings.Contains(strings.ToLower(ansi.Strip(m.feederStatus(fs, b))), f) {
			continue
		}
		rows = append(rows, i)
	}
	key := func(i int) float64 {
		fs := &s.Feeders[i]
		switch p.sortCol {
		case feederSortLoading:
			if !fs.Seen {
				return math.Inf(-1)
			}
			return fs.LoadingPct
		case feederSortKW:
			return fs.KW
		case feederSortFlex:
			if v2gUnknown(fs.V2G) {
				return math.Inf(-1) // "—", below every known figure
			}
			return fs.V2G.ImportReducibleKW
		case feederSortPlugged:
			return float64(fs.Plugged)
		case feederSortAlarm:
			sev := b.FeederSeverity(fs.ID)
			if sev == alarm.SevNone && !fs.Stale && fs.Seen {
				sev = m.loadingSeverity(fs) // as the row shows it
			}
			return float64(sev)*1000 + fs.LoadingPct
		}
		return float64(-i)
	}
	sort.SliceStable(rows, func(a, c int) bool {
		ka, kc := key(rows[a]), key(rows[c])
		if p.desc {
			return ka > kc
		}
		return ka < kc
	})
	if p.sortCol == feederSortTopology && !p.desc {
		sort.Ints(rows)
	}
	return rows
}

// sortShown reports whether page p's sort i's column is in the current
// layout (the compact feeder table leaves some out; a feeder page's
// charger table always has the charger and kW columns).
func (m *Model) sortShown(p *page, i int) bool {
	if p.kind == pageFeeder || !m.compact() {
		return true
	}
	for _, id := range compactCols {
		if id == feederSortCol[i] {
			return true
		}
	}
	return false
}

// feederTable renders the feeder table for rows into h lines.
func (m *Model) feederTable(p *page, rows []int, w, h int, compact bool) []string {
	all := m.feederColumns(compact)
	// column is where sort order i's column is in this layout (-1: not
	// in it).
	column := func(i int) int {
		sc := feederSortCol[i]
		if !compact {
			return sc
		}
		for j, id := range compactCols {
			if id == sc {
				return j
			}
		}
		return -1
	}
	// A sortable column keeps room for its arrow, whichever order is on,
	// so the table does not shift as s cycles: cut, "load kW ▼" read
	// "load kW…" and hid which way the rows go.
	for i := range numFeederSorts {
		if j := column(i); j >= 0 && j < len(all) {
			all[j].w = max(all[j].w, width(all[j].title)+width(" ▼"))
		}
	}
	if p.sortCol > 0 || p.desc {
		if sc := column(p.sortCol); sc >= 0 && sc < len(all) {
			arrow := " ▲"
			if p.desc {
				arrow = " ▼"
			}
			all[sc].title += arrow
		}
	}
	cols, keep := layoutColumns(all, w)
	out := []string{m.tableHeader(cols, w)}
	visible := h - 1
	scroll(p, len(rows), visible)
	p.visible = visible
	b := m.board()
	now := m.snap.At
	for r := p.offset; r < len(rows) && len(out) < h; r++ {
		fs := &m.snap.Feeders[rows[r]]
		widthOf := func(id int) int {
			for j, k := range keep {
				ci := k
				if compact {
					ci = compactCols[k]
				}
				if ci == id {
					return cols[j].w
				}
			}
			return 0
		}
		cells := map[int]string{
			fcID:    fs.ID,
			fcKW:    "—",
			fcLimit: kw(fs.LimitKW),
			fcEVs:   thousands(int64(fs.Plugged)),
			fcV2G:   m.v2gFigure(fs.V2G, thousands(int64(fs.V2G.Bidirectional))),
			fcFlex:  m.v2gFigure(fs.V2G, kw(fs.V2G.ImportReducibleKW)),
			fcAlarm: m.feederStatus(fs, b),
		}
		if fs.Seen {
			cells[fcKW] = kw(fs.KW)
		}
		if lw := widthOf(fcLoading); lw > 0 {
			cells[fcLoading] = m.loadingBar(fs, lw)
		}
		if tw := widthOf(fcTrend); tw > 0 {
			cells[fcTrend] = spark(fs.History.Range(now.Add(-trendWindow), now), tw, 0, 0)
		}
		ids := keep
		line := make([]string, len(ids))
		for j, k := range ids {
			ci := k
			if compact {
				ci = compactCols[k]
			}
			line[j] = cells[ci]
		}
		out = append(out, m.tableRow(cols, line, r == p.cursor, w))
	}
	if len(rows) == 0 && p.filter != "" {
		// As the chargers and events lists say it: an empty table
		// under its header read as if the feeders were gone.
		out = append(out, "  "+fmt.Sprintf(m.tr.t("no feeder matches the filter %q (esc clears it)"), clean(p.filter)))
	}
	return padLines(out, w, h)
}

// loadingBar is a bar scaled to 125 % of the limit and the percentage, in
// exactly w cells; over the limit the bar takes the severity style.
func (m *Model) loadingBar(fs *feeds.FeederState, w int) string {
	if !fs.Seen || fs.LimitKW <= 0 {
		return fitR("—", w)
	}
	bw := w - 5
	txt := fitR(pct(fs.LoadingPct), 4)
	if bw < 3 {
		return fitR(txt, w)
	}
	s := bar(fs.LoadingPct/125, bw)
	warn, high := m.alarms.Thresholds()
	switch {
	case fs.LoadingPct >= high:
		s = m.st.high.Render(s)
	case fs.LoadingPct >= warn:
		s = m.st.warn.Render(s)
	}
	return s + " " + txt
}

// feederStatus is a feeder's alarm state as glyph and word.
func (m *Model) feederStatus(fs *feeds.FeederState, b *alarm.Board) string {
	sev := b.FeederSeverity(fs.ID)
	if sev == alarm.SevNone && fs.Stale {
		sev = alarm.SevStale
	}
	if sev == alarm.SevNone && !fs.Seen {
		return m.st.stale.Render("○ " + m.tr.t("NO DATA"))
	}
	if sev == alarm.SevNone {
		// A shelved alarm is silenced, the overload is not: never "OK".
		if sh := b.FeederShelved(fs.ID); sh != alarm.SevNone {
			return m.shelvedText(sh)
		}
		// Nor is one the alarm's delay-on has not raised yet: a desk that
		// joined a paused feed (whose clock never runs the 30 s) read
		// "✓ OK" beside 119% for as long as it stayed paused, where
		// triage and `status` said ▲ HIGH.
		sev = m.loadingSeverity(fs)
	}
	if fs.Stale && sev != alarm.SevStale && sev != alarm.SevNone {
		// An alarm raised before the feeder went quiet stands, and its
		// load is the last heard: during a link loss F10's row read
		// "1,794 kW … ▲ HIGH" as if live, beside rows reading "○ STALE".
		return m.sevText(sev) + m.st.stale.Render(" ○")
	}
	return m.sevText(sev)
}

// loadingSeverity is the severity fs's loading is at by the alarms'
// thresholds, as triage judges it, whether or not an alarm is raised.
func (m *Model) loadingSeverity(fs *feeds.FeederState) alarm.Severity {
	warn, high := m.alarms.Thresholds()
	switch {
	case fs.LimitKW <= 0:
		return alarm.SevNone
	case fs.LoadingPct >= high:
		return alarm.SevHigh
	case fs.LoadingPct >= warn:
		return alarm.SevWarn
	}
	return alarm.SevNone
}

// sevWord is a severity's word, for filtering.
func (m *Model) sevWord(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return m.tr.t("HIGH")
	case alarm.SevWarn:
		return m.tr.t("WARN")
	case alarm.SevFault:
		return m.tr.t("FAULT")
	case alarm.SevStale:
		return m.tr.t("STALE")
	}
	return m.tr.t("OK")
}

// feedersView is view 2: every feeder, sortable and filterable.
func (m *Model) feedersView(p *page, w, h int) []string {
	rows := m.feederRows(p)
	inner := h - 2
	lines := m.feederTable(p, rows, w-4, inner, m.compact())
	title := m.tr.t("Feeders") + " · " + m.rangeText(p, len(rows), inner-1)
	return m.box(title, w, h, lines)
}

// feederDetail is a feeder's page: its day curve against its limit, its
// figures, and its chargers.
// feederPageRows is how many charger rows a feeder's page keeps below its
// chart however short the terminal (from 64x18 up).
const feederPageRows = 3

func (m *Model) feederDetail(p *page, w, h int) []string {
	fs, ok := m.snap.Feeder(p.id)
	if !ok {
		return m.box(p.id, w, h, []string{m.tr.t("this feeder is no longer in the topology")})
	}
	loc := m.loc()
	span := m.chartSpan()
	vals := fs.History.Range(span.start, span.end())
	chart := dayChart{
		series:   []chartSeries{{vals: vals, style: m.st.measured}},
		limit:    fs.LimitKW,
		bands:    m.opts.TimeOfUse,
		st:       &m.st,
		t:        m.tr.t,
		legend:   []string{m.st.measured.Render("⣿") + " " + m.tr.t("load"), m.st.limit.Render("┄") + " " + m.tr.t("limit") + " " + kw(fs.LimitKW) + " kW"},
		fromHour: span.fromHour,
		hours:    span.hours,
	}
	b := m.board()
	stats := []string{
		m.tr.t("load") + " " + kw(fs.KW) + " kW · " + pct(fs.LoadingPct),
		m.tr.t("limit") + " " + kw(fs.LimitKW) + " kW",
		m.tr.t("status") + " " + m.feederStatus(&fs, b),
		m.tr.t("chargers") + " " + thousands(int64(fs.Chargers)) + " · " + m.tr.t("plugged") + " " + thousands(int64(fs.Plugged)),
		m.tr.t("V2G plugged") + " " + m.v2gFigure(fs.V2G, thousands(int64(fs.V2G.Bidirectional))),
		m.tr.t("can discharge now") + " " + m.v2gFigure(fs.V2G, kw(fs.V2G.DischargeKW)+" kW"),
		m.tr.t("import reducible") + " " + m.v2gFigure(fs.V2G, kw(fs.V2G.ImportReducibleKW)+" kW"),
		m.tr.t("last data") + " " + hhmm(fs.TS, loc),
	}
	topH := max(11, min(h*45/100, 18))
	// The chargers below keep three rows: at 64x18 the chart took all
	// but their heading, "Chargers on F10 · 1–0 of 267", and enter said
	// the list was empty. The chart gives way down to 8 lines (6 drawn).
	stats1 := 0 // the compact layout's line of figures under the chart
	if m.compact() {
		stats1 = 1
	}
	topH = max(8, min(topH, h-feederPageRows-3-stats1))
	title := m.tr.t("Feeder") + " " + fs.ID
	if fs.Name != "" {
		title += " · " + fs.Name
	}
	var top []string
	if m.compact() {
		top = m.box(title+" · "+m.chartDayTitle(), w, topH, chart.render(w-4, topH-2))
		top = append(top, " "+fit(stats[0]+" · "+stats[1]+" · "+m.feederStatus(&fs, b)+" · "+stats[3], w-1))
	} else {
		sw := 40
		top = beside(m.box(title+" · "+m.chartDayTitle(), w-sw, topH, chart.render(w-sw-4, topH-2)),
			m.box(m.tr.t("Now"), sw, topH, stats))
	}
	rest := h - len(top)
	idx, n := m.chargerIndex(p, fs.ID)
	inner := rest - 2
	lines := m.chargerTable(p, idx, n, w-4, inner, false)
	tt := m.tr.t("Chargers on") + " " + fs.ID + " · " + m.rangeText(p, n, inner-1)
	return append(top, m.box(tt, w, rest, lines)...)
}
