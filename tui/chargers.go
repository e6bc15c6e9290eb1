package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// chargerIndex returns the chargers a page lists: indices into the
// snapshot's topology order, or idx == nil with n = every charger when
// there is neither feeder nor filter (no index is built for 100,000 rows
// then). A feeder's page lists them in its sort order (chargersort.go),
// the others in topology order.
// The index is cached on the page for the snapshot, filter and order.
func (m *Model) chargerIndex(p *page, feeder string) (idx []int, n int) {
	s := m.snap
	if feeder == "" && p.filter == "" {
		return nil, s.NumChargers()
	}
	key := feeder + "\x00" + p.filter
	if p.kind == pageFeeder {
		key += "\x00" + strconv.Itoa(p.sortCol) + strconv.FormatBool(p.desc)
	}
	if p.idxSeq == s.Seq && p.idxKey == key {
		return p.idx, len(p.idx)
	}
	f := parseChargerFilter(p.filter)
	idx = p.idx[:0]
	for i, total := 0, s.NumChargers(); i < total; i++ {
		c := s.ChargerAt(i)
		if feeder != "" && c.Feeder != feeder {
			continue
		}
		if !f.match(&c) {
			continue
		}
		idx = append(idx, i)
	}
	switch {
	case sortedByKW(p):
		m.sortChargersByKW(idx, p.desc)
	case p.kind == pageFeeder && p.desc:
		slices.Reverse(idx)
	}
	p.idx, p.idxSeq, p.idxKey = idx, s.Seq, key
	return idx, len(idx)
}

// chargerFilter is a parsed charger filter: "feeder:F07 state:fault cp-04"
// (feeder and state may be shortened to f: and s:; state matches a prefix;
// other words match within the charger id).
type chargerFilter struct {
	feeder string
	state  string
	words  []string
}

func parseChargerFilter(s string) chargerFilter {
	var f chargerFilter
	for _, raw := range strings.Fields(s) {
		w := strings.ToLower(raw)
		switch {
		// The feeder as typed, to name it if the site has none such
		// (it matches regardless of case).
		case strings.HasPrefix(w, "feeder:"):
			f.feeder = raw[len("feeder:"):]
		case strings.HasPrefix(w, "f:"):
			f.feeder = raw[len("f:"):]
		case strings.HasPrefix(w, "state:"):
			f.state = strings.TrimPrefix(w, "state:")
		case strings.HasPrefix(w, "s:"):
			f.state = strings.TrimPrefix(w, "s:")
		default:
			f.words = append(f.words, w)
		}
	}
	return f
}

// filterStates are the states a filter's state: matches a prefix of.
var filterStates = []string{"available", "charging", "discharging", "suspended", "faulted", "offline", "stale", "unknown"}

// cannotMatch says which part of the filter no charger of snapshot s can
// match, "" when every part can: a state no charger can be in (a slip,
// "charing") or a feeder the site does not have. An empty list then says
// why, not only that nothing matches, which reads the same as a state
// nobody is in now.
func (f chargerFilter) cannotMatch(s *feeds.Snapshot, t func(string) string) string {
	if f.state != "" && !slices.ContainsFunc(filterStates, func(st string) bool { return strings.HasPrefix(st, f.state) }) {
		return fmt.Sprintf(t("no state begins with %q (%s)"), f.state, strings.Join(filterStates, ", "))
	}
	if f.feeder != "" && !slices.ContainsFunc(s.Feeders, func(fd feeds.FeederState) bool { return strings.EqualFold(fd.ID, f.feeder) }) {
		return fmt.Sprintf(t("no feeder %q"), f.feeder)
	}
	return ""
}

func (f chargerFilter) match(c *feeds.ChargerStatus) bool {
	if f.feeder != "" && !strings.EqualFold(c.Feeder, f.feeder) {
		return false
	}
	if f.state != "" {
		st := "unknown"
		switch {
		case c.Stale:
			st = "stale"
		case c.Seen:
			st = string(c.Last.State)
		}
		if !strings.HasPrefix(st, f.state) {
			return false
		}
	}
	for _, w := range f.words {
		if !strings.Contains(strings.ToLower(c.ID), w) {
			return false
		}
	}
	return true
}

func (m *Model) chargerColumns(withFeeder bool) []column {
	t := m.tr.t
	cols := []column{
		{title: t("charger"), w: 10},
		{title: t("feeder"), w: 6, drop: 1},
		{title: t("state"), w: 14},
		{title: t("kW"), w: 7, right: true},
		// Narrow, the EV's SoC and departure go first (the charger's
		// page has them): at 80 columns the list dropped the last ack,
		// what a dispatcher watches the chargers list for under an event.
		{title: t("SoC"), w: 5, right: true, drop: 4},
		{title: t("departure"), w: 11, right: true, drop: 5},
		{title: t("setpoint kW"), w: 11, right: true, drop: 2},
		{title: t("last ack"), w: 20, drop: 3, flex: true},
	}
	if !withFeeder {
		cols = append(cols[:1], cols[2:]...)
	}
	return cols
}

// chargerTable renders the rows of a charger list visible in h lines: only
// those rows are read from the snapshot, however many there are.
func (m *Model) chargerTable(p *page, idx []int, n, w, h int, withFeeder bool) []string {
	all := m.chargerColumns(withFeeder)
	chargerSortArrow(p, all)
	cols, keep := layoutColumns(all, w)
	ackAt := slices.Index(keep, len(all)-1) // the last ack's column, if kept
	out := []string{m.tableHeader(cols, w)}
	visible := h - 1
	scroll(p, n, visible)
	p.visible = visible
	for r := p.offset; r < n && len(out) < h; r++ {
		i := r
		if idx != nil {
			i = idx[r]
		}
		c := m.snap.ChargerAt(i)
		cells := m.chargerCells(&c)
		if !withFeeder {
			cells = append(cells[:1], cells[2:]...)
		}
		if ackAt >= 0 {
			cells[len(cells)-1] = ackFit(cells[len(cells)-1], cols[ackAt].w)
		}
		out = append(out, m.tableRow(cols, pick(cells, keep), r == p.cursor, w))
	}
	if n == 0 {
		line := m.tr.t("no chargers match")
		if why := parseChargerFilter(p.filter).cannotMatch(m.snap, m.tr.t); why != "" {
			line += ": " + why
		}
		// Wrapped, not cut: the list of states is what to type instead.
		for _, l := range wrapLines([]string{line}, w-2) {
			out = append(out, "  "+l)
		}
	}
	return padLines(out, w, h)
}

// chargerCells are a charger's cells in chargerColumns order.
func (m *Model) chargerCells(c *feeds.ChargerStatus) []string {
	cells := []string{c.ID, c.Feeder, m.chargerState(c), "—", "—", "—", "—", "—"}
	if !c.Seen {
		return cells
	}
	l := &c.Last
	// One look-up in the guard per row, for the setpoint and the ack.
	o, haveO := m.latestSetpoint(c.ID)
	cells[3] = kw1(l.KW)
	if l.SoC != nil {
		cells[4] = pct(*l.SoC * 100)
	}
	if l.Departure != nil {
		cells[5] = dayTime(*l.Departure, m.snap.At, m.loc())
	}
	if l.SetpointKW != nil {
		cells[6] = kw1(*l.SetpointKW)
	} else if kw, ok := appliedInForce(o, haveO, m.snap.At); ok {
		// Applied, not in the charger's telemetry (the simulator's and
		// most adapters' frames carry none): the column read "—" under
		// a DR event while the charger's page said "0.0 kW · valid to
		// 19:35", and an on-call engineer watching the setpoints go
		// out saw none in the list.
		cells[6] = strconv.FormatFloat(kw, 'f', 1, 64)
	}
	cells[7] = m.lastAckOf(c, o, haveO, false)
	return cells
}

// appliedInForce is the power of a charger's latest setpoint by the guard (o,
// when ok) if it was applied and is still valid at now.
func appliedInForce(o adapters.Outcome, ok bool, now time.Time) (float64, bool) {
	if !ok || !o.Result.Status.Applied() || !now.Before(o.Setpoint.ValidUntil) {
		return 0, false
	}
	return o.Result.AppliedKW, true
}

// lastAck is a charger's latest answer to a setpoint as the list and its
// page both word it: the guard's latest result (Guard.Latest) when it is
// newer than the ack the telemetry carries, since the guard answered every
// setpoint whatever its adapter (a timeout reads "△ timed out 18:04", an
// answer after it "✓ accepted late 7.0 kW 18:04", at the answer's time)
// and a feed acks only those sent over it; else the telemetry's ack; "—" when
// neither has one. A desk without a guard shows the telemetry's. One map
// look-up in the guard per call: the list asks for its visible rows only.
func (m *Model) lastAck(c *feeds.ChargerStatus, withUnit bool) string {
	o, ok := m.latestSetpoint(c.ID)
	return m.lastAckOf(c, o, ok, withUnit)
}

// lastAckOf is lastAck with the guard's latest setpoint for c already
// looked up (o, when ok).
func (m *Model) lastAckOf(c *feeds.ChargerStatus, o adapters.Outcome, ok, withUnit bool) string {
	if ok && (c.LastAck == nil || o.Result.At.After(c.LastAck.TS)) {
		if o.Result.Status == adapters.StatusTimeout {
			// △, not ✕: with no answer the charger may hold it; ✕ is for
			// a setpoint not in force (refused, failed).
			return "△ " + m.tr.t("timed out") + " " + hhmm(o.Result.At, m.loc())
		}
		return m.ackText(&feeds.AckFrame{Status: feeds.AckStatus(o.Result.Status), AppliedKW: o.Result.AppliedKW, TS: o.Result.At}, withUnit, o.Late)
	}
	if c.LastAck != nil {
		return m.ackText(c.LastAck, withUnit, false)
	}
	return "—"
}

// ackText is an ack as glyph, status word, applied power and time; the
// power in kW when withUnit (the tables' columns have no room for it).
// late marks an answer that came after the setpoint was reported timeout.
func (m *Model) ackText(a *feeds.AckFrame, withUnit, late bool) string {
	g := "✓"
	switch a.Status {
	case feeds.AckClamped, feeds.AckStatus(adapters.StatusUnverified):
		// Unverified: written, but what the charger holds was not seen.
		g = "△"
	case feeds.AckRejected, feeds.AckFailed:
		g = "✕"
	}
	word := m.tr.t(string(a.Status))
	if late {
		word = fmt.Sprintf(m.tr.t("%s late"), word)
	}
	s := g + " " + word + " " + kw1(a.AppliedKW)
	if withUnit {
		s += " kW"
	}
	if !a.TS.IsZero() {
		s += " " + hhmm(a.TS, m.loc())
	}
	return s
}

// chargerState is a charger's state as glyph and word.
func (m *Model) chargerState(c *feeds.ChargerStatus) string {
	st := m.st
	switch {
	case !c.Seen:
		return st.stale.Render("? " + m.tr.t("unknown"))
	case c.Stale:
		return st.stale.Render("○ " + m.tr.t("STALE"))
	}
	w := m.tr.t(string(c.Last.State))
	switch c.Last.State {
	case feeds.StateCharging:
		return "↑ " + w
	case feeds.StateDischarging:
		return st.ok.Render("↓ " + w)
	case feeds.StateSuspended:
		return "‖ " + w
	case feeds.StateFaulted:
		return st.fault.Render("✕ " + w)
	case feeds.StateOffline:
		return st.stale.Render("○ " + w)
	}
	return "· " + w
}

// chargersView is view 3: every charger, virtualised.
func (m *Model) chargersView(p *page, w, h int) []string {
	idx, n := m.chargerIndex(p, "")
	inner := h - 2
	lines := m.chargerTable(p, idx, n, w-4, inner, true)
	title := m.tr.t("Chargers") + " · " + m.rangeText(p, n, inner-1)
	if p.filter == "" {
		title += " · " + m.tr.t("/ filter, e.g. feeder:F07 state:fault CP-04")
	}
	return m.box(title, w, h, lines)
}

// chargerDetail is one charger's page.
func (m *Model) chargerDetail(p *page, w, h int) []string {
	c, ok := m.snap.Charger(p.id)
	if !ok {
		return m.box(p.id, w, h, []string{m.tr.t("this charger is no longer in the topology")})
	}
	t := m.tr.t
	cells := m.chargerCells(&c)
	kv := func(k, v string) string { return fit(t(k), 18) + v }
	// Every power on the page carries its unit, as the power line's did
	// and the setpoint's did not ("setpoint 0.0"); "—" has none.
	withKW := func(s string) string {
		if s == "—" {
			return s
		}
		return s + " kW"
	}
	// The list's column, with the unit.
	ack := m.lastAck(&c, true)
	setpoint := withKW(cells[6])
	var notApplied string // the latest setpoint that did not reach the charger, and why
	if o, ok := m.latestSetpoint(c.ID); ok {
		until := o.Setpoint.ValidUntil
		switch {
		case o.Result.Status == adapters.StatusFailed, o.Result.Status == adapters.StatusRejected:
			// The desk's latest setpoint for it did not reach it (its
			// adapter down, the feed that carries it lost): said here,
			// with the adapter's words, or the page read as if the
			// charger followed what the desk asked of it.
			setpoint += " · " + m.st.warn.Render("✕ "+fmt.Sprintf(t("the latest, %s kW, not applied"), kw1(o.Setpoint.KW)))
			notApplied = t(string(o.Result.Status))
			if !o.Result.At.IsZero() {
				notApplied += " " + hhmm(o.Result.At, m.loc())
			}
			if o.Result.Adapter != "" {
				notApplied += " (" + fmt.Sprintf(t("adapter %s"), o.Result.Adapter) + ")"
			}
			if o.Result.Reason != "" {
				notApplied += ": " + o.Result.Reason
			}
		case o.Result.Status == adapters.StatusTimeout && m.snap.At.Before(until):
			// No answer: the charger may hold it all the same (its answer
			// lost), until its validity. The page said nothing, as if
			// the charger followed no setpoint of the desk's.
			setpoint += " · " + m.st.warn.Render("△ "+fmt.Sprintf(t("the latest, %s kW, %s"), kw1(o.Setpoint.KW), m.mayHoldUntil(until)))
		case !o.Result.Status.Applied():
		case m.snap.At.Before(until):
			// cells[6] has the applied power when the telemetry has none
			// (setpointInForce).
			// Acknowledged: in the words the event's page uses for it.
			setpoint += " · " + m.inForceUntil(until)
		case setpoint != "—":
			setpoint += " · " + fmt.Sprintf(t("expired at %s"), hhmm(until, m.loc()))
		}
	}
	lines := []string{
		kv("feeder", c.Feeder),
		kv("state", cells[2]),
		kv("power", withKW(cells[3])),
		kv("max charge", strconv.FormatFloat(c.MaxChargeKW, 'f', 1, 64)+" kW"),
		kv("max discharge", strconv.FormatFloat(c.MaxDischargeKW, 'f', 1, 64)+" kW"),
		kv("plugged", yesNo(m, c.Last.Plugged)),
		kv("SoC", cells[4]),
		kv("departure", cells[5]),
		kv("setpoint", setpoint),
	}
	if notApplied != "" {
		// Wrapped under itself: the adapter's reason is the point, and
		// cut at the box's edge it lost what it said.
		for i, l := range strings.Split(ansi.Wordwrap(notApplied, max(20, w-4-18), ""), "\n") {
			if i == 0 {
				lines = append(lines, kv("not applied", l))
				continue
			}
			lines = append(lines, strings.Repeat(" ", 18)+l)
		}
	}
	lines = append(lines,
		kv("last ack", ack),
		kv("last data", dayTime(c.Last.TS, m.snap.At, m.loc())),
	)
	if c.Last.TargetSoC != nil {
		lines = append(lines, kv("target SoC", pct(*c.Last.TargetSoC*100)))
	}
	if c.Last.BatteryKWh != nil {
		lines = append(lines, kv("battery", strconv.FormatFloat(*c.Last.BatteryKWh, 'f', 1, 64)+" kWh"))
	}
	if c.Adapter != "" {
		lines = append(lines, kv("adapter", c.Adapter))
	}
	if a := c.LastAck; a != nil && a.Reason != "" {
		lines = append(lines, kv("ack reason", a.Reason))
	}
	b := m.board()
	var al []string
	for _, a := range b.Alarms {
		if a.Source == c.ID {
			al = append(al, m.alarmShort(a, w-4))
		}
	}
	if len(al) > 0 {
		lines = append(lines, "", m.st.bold.Render(t("Alarms")))
		lines = append(lines, al...)
	}
	return m.box(t("Charger")+" "+c.ID, w, h, lines)
}

func yesNo(m *Model, b bool) string {
	if b {
		return m.tr.t("yes")
	}
	return m.tr.t("no")
}

// setpointOutcomes is the optional capability of Options.Setpoints to give
// a charger's latest setpoint with its result (*adapters.Guard has it).
type setpointOutcomes interface {
	Latest(charger string) (adapters.Outcome, bool)
}

// latestSetpoint is charger's latest setpoint and its result, by the
// guard the desk's setpoints leave through; false when there is none.
func (m *Model) latestSetpoint(charger string) (adapters.Outcome, bool) {
	so, ok := m.opts.Setpoints.(setpointOutcomes)
	if !ok {
		return adapters.Outcome{}, false
	}
	return so.Latest(charger)
}
