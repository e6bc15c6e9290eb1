package tui

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// drStateText is a DR event's state in the workflow, glyph and word.
func (m *Model) drStateText(v *control.EventView) string {
	t := m.tr.t
	if v.EarlierPass != nil {
		return m.earlierPassState()
	}
	switch v.State {
	case control.StatePending:
		if v.Busy {
			return m.st.warn.Render("◐ " + t("PLANNING"))
		}
		return m.st.warn.Render("◌ " + t("PENDING"))
	case control.StateActive:
		if v.CancelQueued != nil {
			// Asked for; it runs as soon as the plan in flight is sent.
			return m.st.warn.Render("◐ " + t("CANCEL QUEUED"))
		}
		if v.Alarm != nil && v.Alarm.Active() {
			return m.st.high.Render("▲ " + m.capWords(v.Event.Kind).state)
		}
		if !v.ReleaseNoticeSince.IsZero() && !v.ReleaseAt.IsZero() {
			// The forced release is near: the chargers go back over the
			// limit at this time unless someone acts.
			return m.st.high.Render("▲ " + fmt.Sprintf(t("RELEASE %s"), hhmm(v.ReleaseAt, m.loc())))
		}
		if !v.HandBackSince.IsZero() {
			return m.st.warn.Render("◐ " + t("HANDING BACK"))
		}
		return m.st.ok.Render("● " + t("ACTIVE"))
	case control.StateDeclined:
		return m.st.dim.Render("✕ " + t("DECLINED"))
	case control.StateCancelled:
		return m.st.dim.Render("✕ " + t("CANCELLED"))
	}
	if v.ForcedRelease {
		// Released at the hand-back limit with the scope's charging
		// still enough to overload it: not a quiet end.
		return m.st.warn.Render("△ " + t("ENDED OVER LIMIT"))
	}
	return m.st.dim.Render("✓ " + t("ENDED"))
}

// eventWhat is an event in a few words: "import cap F07 ≤ 3,600 kW 18:00–21:00".
func (m *Model) eventWhat(e feeds.EventFrame) string {
	return m.eventWhatIn(e, m.eventSpan(e.Start, e.End))
}

// eventWhatIn is eventWhat with the window as span gives it.
func (m *Model) eventWhatIn(e feeds.EventFrame, span string) string {
	what := m.kindText(e.Kind) + " " + m.scopeText(e.Scope)
	switch e.Kind {
	case feeds.EventImportCap:
		what += " ≤ " + kw(e.KW) + " kW"
	case feeds.EventShed, feeds.EventExport:
		what += " " + kw(e.KW) + " kW"
	case feeds.EventPrice:
		if e.Price != nil {
			// With its unit: the page's title read "price system 2.50".
			what += " " + ftoa(*e.Price, 2) + " " + priceUnit
		}
	}
	return what + " " + span
}

// dispatchView is one DR event: before anything is sent, its preview
// (before and after curves of its scope, EVs affected, energy shifted, V2G
// export, unmet energy, cost, solve time and certified gap, per-feeder
// change) with enter to confirm; once sent, the progress of the results and
// the scope's measured load against the cap.
func (m *Model) dispatchView(p *page, w, h int) []string {
	t := m.tr.t
	v, ok := m.drEvent(p.id)
	if !ok {
		return m.box(p.id, w, h, []string{t("this event is no longer known")})
	}
	what := m.eventWhat(v.Event)
	if v.EarlierPass != nil {
		what = m.eventWhatIn(v.Event, m.eventWindow(&v))
	}
	title := t("Dispatch preview") + " · " + v.Event.ID + " · " + what
	if v.State != control.StatePending {
		title = t("Dispatch") + " · " + v.Event.ID + " · " + what
	}
	inner := h - 2
	var info []string
	// The state it reached in its pass: the line under it says the pass
	// is an earlier one.
	state := v
	state.EarlierPass = nil
	head := m.drStateText(&state) + " · " + t("from") + " " + t(string(v.Origin))
	if v.ProposedBy != "" {
		head += " (" + m.who(v.ProposedBy) + ")"
	}
	if v.DecidedBy != "" {
		head += " · " + t("by") + " " + m.who(v.DecidedBy) + " " + hhmm(v.Decided, m.loc())
	}
	if v.Reason != "" && v.State.Final() {
		head += " · " + m.reasonText(&v)
	}
	info = append(info, head)
	if v.EarlierPass != nil {
		info = append(info, m.earlierPassLine(&v))
	}
	if q := v.CancelQueued; q != nil && !v.State.Final() {
		info = append(info, m.st.warn.Render(fmt.Sprintf(t("cancel queued by %s at %s: runs when the plan in flight is sent"), q.By, hhmm(q.At, m.loc()))))
	}
	pv := v.Preview
	if pv == nil {
		switch {
		case v.Busy:
			info = append(info, t("planning…"))
		case v.PreviewError != nil:
			info = append(info, m.st.high.Render("✕ "+m.drErrText(v.PreviewError)))
		case v.PreviewErr != "":
			info = append(info, m.st.high.Render("✕ "+v.PreviewErr))
		default:
			info = append(info, t("no preview yet: d to plan"))
		}
		return m.box(title, w, h, wrapLines(info, w-4))
	}
	// "1 EVs short" read as a slip on a page a dispatcher signs off.
	unmet := t("unmet energy %s · %s EVs short (%s avoidable)   cost %s (%s against unmanaged)   solved in %s · certified gap %s")
	if pv.Short == 1 {
		unmet = t("unmet energy %s · %s EV short (%s avoidable)   cost %s (%s against unmanaged)   solved in %s · certified gap %s")
	}
	// The plan's figures, from here to the cap warning, are what a short
	// page gives up first (fitInfo): the lines under them say what the
	// event is doing now and which keys act.
	figFrom := len(info)
	info = append(info,
		fmt.Sprintf(t("EVs affected %s of %s (%s discharging)   energy shifted %s   V2G export %s"),
			thousands(int64(pv.Affected)), thousands(int64(pv.EVs)), thousands(int64(pv.Discharging)), energy(pv.ShiftedKWh), energy(pv.ExportKWh)),
		fmt.Sprintf(unmet,
			energy(pv.UnmetKWh), thousands(int64(pv.Short)), thousands(int64(pv.AvoidableShort)), Yuan(pv.Cost), SignedYuan(pv.CostDelta),
			pv.SolveTime.Round(time.Millisecond), fmt.Sprintf("%.0e", pv.Gap)),
		// Against unmanaged charging (every EV below its target at full
		// power); the plan also moves charging to cheaper hours, so the
		// change can be more than the cap alone needs: the next line
		// says what the event itself changes.
		m.changeLineHead(m.changeHead(&v), pv.FeederDeltaKW, pv.SystemDeltaKW, w-4),
	)
	// The split is there for the preview and every re-plan of a running
	// event (each is made beside a plan without the event); a hand-back
	// plan has none, the window being over (control's handBack says why).
	if now := pv.EventNowKW(); !math.IsNaN(now) {
		line := fmt.Sprintf(t("of which a plan without the event (prices, limits): %s %s kW · the event itself: %s kW, cost %s"),
			m.scopeText(v.Event.Scope), signedKW(pv.PlainNowKW()), signedKW(now), SignedYuan(pv.EventCost()))
		if now >= 0.5 {
			// An event that raises the load now: charging is brought
			// forward out of the slots it will hold down.
			line += " " + broughtForwardText(t, v.Event.Kind)
		}
		info = append(info, line)
	}
	figTo := len(info)
	if pv.CapMissed() && v.HandBackSince.IsZero() {
		// (While handing back the plan's cap is the scope's own limit,
		// and the hand-back line says how far over it release would go.)
		info = append(info, m.st.warn.Render("△ "+fmt.Sprintf(targetWords(t, v.Event.Kind).shortfall, energy(pv.CapShortfallKWh))))
	}
	switch {
	case m.sourceEnded() && !v.State.Final():
		// No key of the page's acts any more: say why instead of listing
		// them (the footer has dropped them too).
		if v.State == control.StateActive {
			info = append(info, m.progressLines(&v)...)
		}
		info = append(info, m.st.dim.Render(m.endedWhy(false)+" · esc "+t("back")))
	case v.State == control.StatePending:
		if m.previewStale(pv) {
			// Its figures are an earlier slot's fleet: said, so they are
			// not read as now's (a viewer's page keeps it until a
			// dispatcher plans again).
			info = append(info, m.st.warn.Render("△ "+fmt.Sprintf(t("planned at %s, for an earlier slot: these figures are not now's"), hhmm(pv.Start, m.loc()))))
		}
		if !m.canAct() {
			info = append(info, m.st.dim.Render(t("viewers cannot confirm a dispatch")+" · esc "+t("back")))
			break
		}
		// How many it sends and how many of them change power: a plan
		// commands every EV it planned, most of them often as they were.
		line := fmt.Sprintf(t("enter confirm and send %s"), setpointsText(t, len(pv.Setpoints), plan.Changing(pv.Setpoints))) + "   "
		if !m.canSend() {
			// A replay plans but has nothing to send through: enter
			// answered "no setpoint sender configured" after offering it.
			// On a line of its own, so the keys that do apply stay whole.
			info = append(info, m.st.warn.Render("△ "+t("preview only: this desk has no setpoint sender, nothing can be sent")))
			line = ""
		} else if u := m.unrouted(pv); len(u.ids) > 0 {
			// As `v2gdesk dispatch --yes` says before sending; enter is
			// not offered when it would send nothing.
			info = append(info, m.unroutedLine(u))
			if u.none() {
				line = ""
			}
		}
		conflict := m.inForceConflict(&v)
		if conflict != "" {
			// enter would only be refused: it read "enter confirm and
			// send 79 setpoints" under the line saying so, and asked
			// for a large dispatch's second enter before the refusal.
			line = ""
		}
		line += "e " + t("edit") + "   c " + t("decline") + "   d " + t("plan again")
		if back := "   esc " + t("back"); ansi.StringWidth(line+back) <= w-4 {
			line += back // the footer has it too: the first to go when narrow
		}
		if conflict != "" {
			info = append(info, m.st.warn.Render("△ "+conflict))
		}
		if v.NeedsSecond && m.canSend() && conflict == "" {
			warn := fmt.Sprintf(t("large dispatch: moves %s MW, needs a second confirmation"), ftoa(v.MovedKW/1000, 1))
			if m.armed == v.Event.ID {
				warn = fmt.Sprintf(t("large dispatch (%s MW): enter again to confirm"), ftoa(v.MovedKW/1000, 1))
			}
			info = append(info, m.st.warn.Render("△ "+warn))
		}
		info = append(info, line)
	case v.State == control.StateActive:
		info = append(info, m.progressLines(&v)...)
		if !v.HandBackSince.IsZero() {
			// The window is over but releasing the chargers now would
			// overload the scope: say why they are still held.
			since := v.HandBackSince.In(m.loc()).Format("15:04")
			if v.ReleaseNoticeSince.IsZero() {
				info = append(info, m.st.warn.Render("△ "+fmt.Sprintf(t("handing back since %s: if released now, %s"), since, m.handBackWhy(v.HandBack))))
			} else {
				// The release notice below gives the same figures.
				info = append(info, m.st.warn.Render("△ "+fmt.Sprintf(t("handing back since %s"), since)))
			}
			info = append(info, m.releaseLines(&v)...)
			if l := m.handBackFeedGone(&v); l != "" {
				info = append(info, l)
			}
		}
		if m.canAct() {
			keys := "c " + m.cancelHint(v.Event.ID, v.Progress) + "    esc " + t("back")
			// Offered as the footer offers it (extendNoUse): x after the
			// scenario day's end only says it would change nothing.
			if !v.HandBackSince.IsZero() && !v.ForcedRelease && m.extendNoUse(v) == "" {
				keys = "x " + t("extend the hand-back") + "    " + keys
			}
			info = append(info, keys)
		}
	default:
		info = append(info, m.progressLines(&v)...)
	}
	top, figures, tail := info[:figFrom], info[figFrom:figTo], info[figTo:]
	info = m.fitInfo(top, figures, tail, w-4, inner)
	chartH := inner - len(info)
	if chartH > 0 && chartH < minDispatchChart {
		// Too little room for a chart, yet some: the plan's last figures
		// give way to the smallest chart rather than leave the lines
		// blank (80x24 left 3 or 4 of them under a page without one).
		if fitted := m.fitInfo(top, figures, tail, w-4, inner-minDispatchChart); len(fitted) <= inner-minDispatchChart {
			info, chartH = fitted, inner-len(fitted)
		}
	}
	if chartH < minDispatchChart {
		return m.box(title, w, h, info)
	}
	var lines []string
	if v.Event.Scope != feeds.ScopeSystem && chartH >= 16 {
		// The scope above, the system below it.
		scopeH := chartH * 3 / 5
		lines = append(m.dispatchChart(&v, false, w-4, scopeH), m.dispatchChart(&v, true, w-4, chartH-scopeH)...)
	} else {
		lines = m.dispatchChart(&v, v.Event.Scope == feeds.ScopeSystem, w-4, chartH)
	}
	return m.box(title, w, h, append(lines, info...))
}

// minDispatchChart is the fewest lines a dispatch page's chart is drawn
// in: its legend, three plot rows, the time axis and its hours. Three, as
// the cap's line takes a row of its own between the loads over it and
// those under it (chartScale): with two, at 64x18, the preview drew no cap
// line, the one thing on it the event asks.
const minDispatchChart = 6

// inForceConflict says, on a pending event's preview, which event in force
// its confirmation would conflict with (the controller refuses an event
// whose window overlaps an active one on the same scope, or either on the
// system), and that enter will be refused until that one ends or is
// cancelled; "" when there is none. The preview offered enter, and only the
// refusal after it named the event in force.
func (m *Model) inForceConflict(v *control.EventView) string {
	if s := m.conflictRefusal(v); s != "" {
		return s + ": " + m.tr.t("enter is refused until it ends or is cancelled")
	}
	return ""
}

// conflictRefusal is the refusal the controller gives a confirmation of v
// while an event in force overlaps it ("conflicts with T-F10-1821 (import
// cap F10), confirmed by local at 18:40:00"), worded as the footer words
// that refusal; "" when no event in force overlaps v.
func (m *Model) conflictRefusal(v *control.EventView) string {
	for i := range m.dr {
		o := &m.dr[i]
		if o.Event.ID == v.Event.ID || o.State != control.StateActive || !control.Overlaps(o.Event, v.Event) {
			continue
		}
		if s, ok := m.controlErrText(&control.ActiveConflictError{Other: o.Event, By: o.DecidedBy, At: o.Decided.In(m.loc())}); ok {
			return s
		}
	}
	return ""
}

// fitInfo wraps the page's lines at w cells into at most rows: the head
// (the event's state), the plan's figures, then the tail (the cap warning,
// the progress, measured against the cap, the keys). When they do not fit
// the figures give way, their last lines first, for one line saying how
// many are left out: the box cut the page from the bottom, and at 64x18 (or
// 80x24 with a system event's reasons) an active event lost "▲ cap missed
// since" and its cancel key to the preview's cost and solve time.
func (m *Model) fitInfo(head, figures, tail []string, w, rows int) []string {
	head, figures, tail = wrapLines(head, w), wrapLines(figures, w), wrapLines(tail, w)
	if over := len(head) + len(figures) + len(tail) - rows; over > 0 && len(figures) > 0 {
		keep := max(0, len(figures)-over-1)
		left := len(figures) - keep
		figures = append(figures[:keep:keep], m.st.dim.Render(fit(plural(left, m.tr.t("… %d more line: a taller terminal shows it"), m.tr.t("… %d more lines: a taller terminal shows them"), left), w)))
	}
	return append(append(head, figures...), tail...)
}

// wrapLines wraps each line at w cells (at least 10), keeping its styles
// and never breaking at a hyphen (a charger id is one word, "CP-0125"):
// cut instead, "nothing is sent before a dispatcher confirms" lost its end
// at 80 columns. A figure keeps its unit, and a short field (the page's
// fields are set apart by three spaces) stays whole: at 80 columns the page
// read "V2G export" at the end of one line and "196 kWh" at the start of the
// next, and "would take F10 to 1,856" above "kW (122%)". So does a short
// part of a long field, between its " · ".
func wrapLines(lines []string, w int) []string {
	w = max(10, w)
	var out []string
	for _, l := range lines {
		// An indented line wraps under itself: at 80 columns "  next
		// re-plan 18:45, the next slot (15 kW over is within the 30 kW"
		// went on with "tolerance)" at the box's edge, read as a line of
		// its own.
		indent := ""
		if mm := leadingSpaces.FindStringSubmatch(l); mm != nil && len(mm[0])-len(mm[1]) < w/2 {
			indent = strings.Repeat(" ", len(mm[0])-len(mm[1]))
			l = mm[1] + l[len(mm[0]):]
		}
		// ansi.Wordwrap breaks after any hyphen: the page ended a line
		// with "CP-" and began the next with "0125" (and "2e-" above
		// "05"). A no-break hyphen in its place keeps an id whole; the
		// screen gets the hyphen back.
		l = strings.ReplaceAll(l, "-", nbHyphen)
		l = figureUnit.ReplaceAllString(l, "${1}\u00a0${2}")
		l = moneyAfter.ReplaceAllString(l, "${1}\u00a0${2}")
		fields := strings.Split(l, "   ")
		for i, f := range fields {
			// A label and its figure stay together whatever the field's
			// width, where it fits the line: at 64 columns "energy
			// shifted" ended a line and "542 kWh" began the next.
			if fw := ansi.StringWidth(f); fw <= w/3 || fw <= w-len(indent) && labelFigure(f) {
				fields[i] = strings.ReplaceAll(f, " ", "\u00a0")
				continue
			}
			// A long field's parts (set apart by " · ") stay whole the
			// same way: at 80 columns the zh-CN page ended a line with
			// "求解" and began the next with "76ms".
			parts := strings.Split(f, " · ")
			for j, p := range parts {
				if pw := ansi.StringWidth(p); pw <= w/3 || pw <= w-len(indent) && labelFigure(p) {
					parts[j] = strings.ReplaceAll(p, " ", "\u00a0")
				}
			}
			fields[i] = strings.Join(parts, " · ")
		}
		// So does a short aside in brackets: at 80 columns the preview
		// read "cost ¥86 (−¥383 against" above "unmanaged)".
		for i, f := range fields {
			fields[i] = aside.ReplaceAllStringFunc(f, func(a string) string {
				if ansi.StringWidth(a) > w/3 {
					return a
				}
				return strings.ReplaceAll(a, " ", "\u00a0")
			})
		}
		// ansi.Wordwrap does not break at a no-break space; the screen
		// gets ordinary spaces back.
		l = ansi.Wordwrap(strings.Join(fields, "   "), w-len(indent), "")
		parts := strings.Split(unbreakable.Replace(l), "\n")
		for i := 1; i < len(parts); i++ {
			// A break in the spaces between two fields left the rest
			// of them at the start of the next line, a column off.
			parts[i] = leadingSpaces.ReplaceAllString(parts[i], "$1")
		}
		parts = carryStyle(parts)
		for i := range parts {
			parts[i] = indent + parts[i]
		}
		out = append(out, parts...)
	}
	return out
}

// labelFigure reports whether field is a label and one figure after it,
// its unit joined to it ("energy shifted 542\u00a0kWh", "solved in 76ms"):
// words without a figure, then the only word that begins with one. The
// label says what the figure is; apart, neither reads.
func labelFigure(field string) bool {
	// Split at plain spaces only: the no-break one joins a unit to its
	// figure (strings.Fields would split there too).
	words := strings.FieldsFunc(ansi.Strip(field), func(r rune) bool { return r == ' ' })
	if len(words) < 2 {
		return false
	}
	for i, wd := range words {
		if startsWithFigure(wd) != (i == len(words)-1) {
			return false
		}
	}
	return true
}

// startsWithFigure reports whether word begins with a figure, after a sign
// or a currency ("542", "−39", "¥9", "≤3,600").
func startsWithFigure(word string) bool {
	for _, r := range word {
		switch {
		case r >= '0' && r <= '9':
			return true
		case strings.ContainsRune("+-−¥≤≥~≈", r):
			continue
		}
		return false
	}
	return false
}

// nbHyphen is the no-break hyphen wrapLines puts for a hyphen while it
// wraps: one cell wide, as the hyphen is, and not a place to break.
const nbHyphen = "\u2011"

// unbreakable gives back the spaces and hyphens wrapLines kept from breaking.
var unbreakable = strings.NewReplacer("\u00a0", " ", nbHyphen, "-")

// leadingSpaces is the spaces a line starts with, after its styles.
var leadingSpaces = regexp.MustCompile("^((?:\x1b\\[[0-9;:]*m)*) +")

// sgrSeq is a Select Graphic Rendition sequence: a style set or reset.
var sgrSeq = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// carryStyle makes each of a wrapped line's parts whole in its styles:
// ansi.Wordwrap leaves a style set on one part open until the reset on a
// later one, and the box's border in between (its own style and reset)
// ended it, so the second half of a wrapped warning lost its colour. A
// part ends with a reset where a style is still open, and the next opens
// it again.
func carryStyle(parts []string) []string {
	open := ""
	for i, p := range parts {
		p = open + p
		for _, seq := range sgrSeq.FindAllString(p[len(open):], -1) {
			if seq == "\x1b[0m" || seq == "\x1b[m" {
				open = ""
			} else {
				open += seq
			}
		}
		if open != "" {
			p += "\x1b[0m"
		}
		parts[i] = p
	}
	return parts
}

// aside is a bracketed aside without brackets inside ("(−¥383 against
// unmanaged)"), which wrapLines keeps on one line when it is short.
var aside = regexp.MustCompile(`\([^()]*\)`)

// figureUnit is a figure and the unit after it ("1,856 kW", "4 h"), which
// wrapLines keeps on one line.
var figureUnit = regexp.MustCompile(`([0-9]) (kWh|kW|MWh|MW|min|h)\b`)

// moneyAfter is a sum of money and the word before it ("cost +¥1"), which
// wrapLines keeps on one line: at 100 columns the page ended a line with
// "the event itself: −30 kW, cost" and began the next with "+¥1".
var moneyAfter = regexp.MustCompile(`(\S) ([+\-−]?¥)`)

// dispatchChart draws the event's scope (or, with system, the whole
// system) over the window and an hour around it: before (unmanaged) dotted,
// after (planned) solid and the cap; once sent, the scope's measured load
// solid against the plan dotted.
func (m *Model) dispatchChart(v *control.EventView, system bool, w, h int) []string {
	t := m.tr.t
	pv := v.Preview
	loc := m.loc()
	day := dayStart(pv.Start, loc)
	from := max(0, int(pv.Start.Sub(day).Hours())-1)
	// A window may cross midnight (an overnight cap from 22:00 to 02:00):
	// the chart then runs on into the next day, at most a day wide.
	to := min(from+24, int(math.Ceil(v.Event.End.Sub(day).Hours()))+1)
	if to <= from {
		to = from + 3
	}
	start := day.Add(time.Duration(from) * time.Hour)
	n := (to - from) * 60
	before, after := pv.ScopeCurves()
	label := v.Event.Scope
	if system {
		before, after, label = pv.Before.System, pv.After.System, t("system")
	}
	perMinute := func(vals []float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			at := start.Add(time.Duration(i) * time.Minute)
			k := int(at.Sub(pv.Start) / pv.Slot)
			out[i] = math.NaN()
			if at.Before(pv.Start) || k >= len(vals) {
				continue
			}
			out[i] = vals[k]
		}
		return out
	}
	c := dayChart{st: &m.st, t: t, fromHour: from, hours: to - from, bands: m.opts.TimeOfUse,
		limitFrom: int(v.Event.Start.Sub(start) / time.Minute), limitTo: int(v.Event.End.Sub(start) / time.Minute)}
	capLegend := ""
	if !system || v.Event.Scope == feeds.ScopeSystem {
		// What the event asks of the scope, drawn over its window: an
		// import cap's line, an export's at minus the export (a load of
		// −1,500 kW is 1,500 kW of net export), a shed's the unmanaged
		// load less the shed, slot by slot (docs/dispatch.md, Events).
		// The export and shed pages drew none.
		switch v.Event.Kind {
		case feeds.EventImportCap:
			c.limit = v.Event.KW
			capLegend = m.st.limit.Render("┄") + " " + m.capLabel(v) + " " + kw(v.Event.KW) + " kW"
		case feeds.EventExport:
			c.limit = -v.Event.KW
			capLegend = m.st.limit.Render("┄") + " " + targetLegend(t, v.Event.Kind, v.Event.KW)
		case feeds.EventShed:
			base := perMinute(before)
			c.target = make([]float64, n)
			for i := range c.target {
				c.target[i] = math.NaN()
				if i >= c.limitFrom && i < c.limitTo {
					c.target[i] = base[i] - v.Event.KW
				}
			}
			capLegend = m.st.limit.Render("⠒ ⠒") + " " + targetLegend(t, v.Event.Kind, v.Event.KW)
		}
		if l := m.handBackLimit(v, system); l > 0 && c.limitTo < n {
			// After the window a hand-back holds the chargers to the
			// scope's own limit (docs/dispatch.md, Hand-back): drawn on
			// from the window's end, dashed, so the plan's curve there
			// is read against the limit it keeps, not against nothing.
			if c.target == nil {
				c.target = make([]float64, n)
				for i := range c.target {
					c.target[i] = math.NaN()
				}
			}
			for i := max(0, c.limitTo); i < n; i++ {
				c.target[i] = l
			}
			c.targetLabel = l
			capLegend += "  " + m.st.limit.Render("⠒ ⠒") + " " + fmt.Sprintf(t("limit %s kW"), kw(l))
		}
	}
	if v.State == control.StatePending || len(v.Track) == 0 || (system && v.Event.Scope != feeds.ScopeSystem) {
		c.series = []chartSeries{
			{vals: perMinute(before), dotted: true, style: m.st.plan},
			{vals: perMinute(after), style: m.st.measured},
		}
		c.legend = []string{label, m.st.plan.Render("⠁⠁") + " " + t("unmanaged"), m.st.measured.Render("⣿") + " " + t("planned")}
		c.ask = capLegend
		return c.render(w, h)
	}
	meas := make([]float64, n)
	for i := range meas {
		meas[i] = math.NaN()
	}
	for _, p := range v.Track {
		if i := int(p.At.Sub(start) / time.Minute); i >= 0 && i < n {
			meas[i] = p.MeasuredKW
		}
	}
	c.series = []chartSeries{
		{vals: perMinute(after), dotted: true, style: m.st.plan},
		{vals: meas, style: m.st.measured},
	}
	c.legend = []string{label, m.st.measured.Render("⣿") + " " + t("measured"), m.st.plan.Render("⠁⠁") + " " + t("plan")}
	c.ask = capLegend
	return c.render(w, h)
}

// handBackLimit is the import limit a handing-back event holds its scope
// to after its window, for the chart of the event's own scope; 0 when the
// event is not handing back or the limit is unknown.
func (m *Model) handBackLimit(v *control.EventView, system bool) float64 {
	if v.HandBackSince.IsZero() || (system && v.Event.Scope != feeds.ScopeSystem) {
		return 0
	}
	if v.HandBack.LimitKW > 0 {
		return v.HandBack.LimitKW
	}
	return m.scopeLimitKW(v.Event.Scope)
}

// capLabel names the event's cap in the chart's legend: "cap", or while
// handing back "window's cap". The line is drawn over the window only, and
// after it the chargers are held to the scope's own import limit, which
// the progress line gives ("limit 1,510 kW"): a bare "cap 1,400 kW" read
// as if the window's cap still held (docs/dispatch.md, Hand-back).
func (m *Model) capLabel(v *control.EventView) string {
	if !v.HandBackSince.IsZero() {
		return m.tr.t("window's cap")
	}
	return m.tr.t("cap")
}

// capWords are the progress line's words for an event of kind k, in the
// desk's language (targetwords.go).
func (m *Model) capWords(k feeds.EventKind) capWords { return targetWords(m.tr.t, k) }

// progressLines say what became of the setpoints and where the scope is
// against its cap.
func (m *Model) progressLines(v *control.EventView) []string {
	t := m.tr.t
	pr := v.Progress
	if v.Plans == 0 && pr.Sent == 0 && len(v.Track) == 0 {
		// Never sent (declined, or its window ended unconfirmed): the
		// page read "plan 0 () at —: 0 of 0 answered: none yet".
		return nil
	}
	var parts []string
	for _, s := range adapters.Statuses() {
		if n := pr.ByStatus[s]; n > 0 {
			parts = append(parts, thousands(int64(n))+" "+t(string(s)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, t("none yet"))
	}
	if pr.Late > 0 {
		// Reported timed out, then answered by the equipment: counted
		// under its answer, and said, since the answer came late.
		parts[len(parts)-1] += " " + fmt.Sprintf(t("(%s of them answered late)"), thousands(int64(pr.Late)))
	}
	why := v.LastWhy
	if v.State == control.StateActive && !v.HandBackSince.IsZero() {
		// The "△ handing back since …" line under it says how far over
		// its limit releasing would take the scope: said in both, the
		// page read "plan 6 (window over; if released now, charging would
		// take F10 to 1,856 kW (122%) at 22:50 (limit 1,510 kW)) at 22:50".
		why.HandBack = control.HandBack{}
	}
	whyNow, done, sent := m.whyText(why), thousands(int64(pr.Done)), thousands(int64(pr.Sent))
	if v.State.Final() {
		whyNow = m.whyTextThen(why)
	}
	line := fmt.Sprintf(t("plan %d (%s) at %s: %s of %s answered: %s"), v.Plans, whyNow, hhmm(v.LastPlan, m.loc()), done, sent, strings.Join(parts, " · "))
	if strings.ContainsAny(whyNow, "()") {
		// A why with brackets of its own (an ended hand-back's figures,
		// "… 4,218 kW (111%) at 19:00 (limit 3,800 kW)") follows the
		// plan's time instead: in brackets it read "(… (limit 3,800
		// kW)) at 18:42".
		line = fmt.Sprintf(t("plan %d at %s, %s: %s of %s answered: %s"), v.Plans, hhmm(v.LastPlan, m.loc()), whyNow, done, sent, strings.Join(parts, " · "))
	}
	lines := []string{line}
	if v.State == control.StateActive {
		if l := m.feedCarriesNothing(); l != "" {
			lines = append(lines, l)
		}
	}
	noneApplied := v.State == control.StateActive && ReachedNone(pr)
	switch {
	case pr.HeldAsked > 0 && pr.Held == 0 && v.State == control.StateActive && noneApplied:
		// Asked to hold, but the hold went out on the path that failed
		// (the feed that carries the setpoints is the one lost, or the
		// adapter is down): "last import limit kept" would be what the
		// desk asked, not what the chargers do (docs/operations.md,
		// "Feed lost during an event").
		lines = append(lines, m.st.high.Render("✕ "+plural(pr.HeldAsked, t("%s charger on stale data since %s (last heard %s) is not held: none of this plan's setpoints was applied (below)"),
			t("%s chargers on stale data since %s (last heard %s) are not held: none of this plan's setpoints was applied (below)"),
			thousands(int64(pr.HeldAsked)), hhmm(pr.HeldSince, m.loc()), hhmm(pr.HeldLastHeard, m.loc()))+"; "+m.lapseText(pr)))
	case pr.Held > 0 && v.State == control.StateActive:
		// The feed is lost for them: the event still steers them, at the
		// last limit, and the dispatcher sees for how long it has been
		// blind (docs/operations.md, "Feed lost during an event"). Held
		// counts the holds the equipment acknowledged, not those asked.
		held := plural(pr.Held, t("%s charger held on stale data since %s (last heard %s): last import limit kept, no discharge"),
			t("%s chargers held on stale data since %s (last heard %s): last import limit kept, no discharge"),
			thousands(int64(pr.Held)), hhmm(pr.HeldSince, m.loc()), hhmm(pr.HeldLastHeard, m.loc()))
		if !pr.HeldUntil.IsZero() {
			held += "; " + m.inForceUntil(pr.HeldUntil)
		}
		lines = append(lines, m.st.warn.Render("△ "+held))
	case noneApplied:
		// Every setpoint of the plan failed: the plan line's counts say
		// so, this says what it means for the chargers.
		lines = append(lines, m.st.high.Render("✕ "+plural(pr.Sent, t("this plan's %s setpoint was not applied (below)"), t("none of this plan's %s setpoints was applied (below)"), thousands(int64(pr.Sent)))+"; "+m.lapseText(pr)))
	}
	if v.State == control.StateActive && pr.HeldUnknown > 0 && !pr.HeldUntil.IsZero() {
		// Sent and not answered: the charger may have taken its hold
		// (its answer lost), so it is neither held nor not held. Counted
		// as not held, the page said "their hold was not applied" of
		// chargers that may well keep it until its validity.
		lines = append(lines, m.st.warn.Render("△ "+plural(pr.HeldUnknown, t("%s charger on stale data: hold sent, %s"), t("%s chargers on stale data: hold sent, %s"),
			thousands(int64(pr.HeldUnknown)), m.mayHoldUntil(pr.HeldUntil))))
	}
	if n := HoldsNotApplied(pr); n > 0 && v.State == control.StateActive && !noneApplied {
		// Some holds were refused or not sent while others, or the
		// plan's other setpoints, were applied: those chargers are not
		// held, and the held line above counts only the others.
		lines = append(lines, m.st.warn.Render("✕ "+plural(n, t("%s charger on stale data is not held: its hold is not in force (refused, failed or not sent; below)"),
			t("%s chargers on stale data are not held: their hold is not in force (refused, failed or not sent; below)"), thousands(int64(n)))))
	}
	if v.State == control.StateActive && pr.HeldFull > 0 {
		// What the plan assumed of the held chargers whose latest
		// setpoint was not acknowledged when it was made: back on
		// unmanaged charging once their last acknowledged setpoint
		// lapses, unseen. Said, so a dispatcher reads why the chargers
		// still heard got less than the cap seems to leave them.
		lines = append(lines, m.st.warn.Render("△ "+plural(pr.HeldFull, t("%[1]s charger on stale data, latest setpoint not acknowledged: planned as if drawing %[2]s kW from %[3]s"),
			t("%[1]s chargers on stale data, latest setpoint not acknowledged: planned as if drawing %[2]s kW from %[3]s"),
			thousands(int64(pr.HeldFull)), loadKW(pr.HeldFullKW), hhmm(pr.HeldFullFrom, m.loc()))))
	}
	if v.State == control.StateActive && pr.Unanswered > pr.HeldUnknown && !pr.UnansweredUntil.IsZero() {
		// The plan line counts them "timeout": said here what that
		// means for the chargers, as the holds' line says it of theirs.
		// Holds included; when they are all holds, the line above
		// said it already (both read "20 chargers … no answer").
		lines = append(lines, m.st.warn.Render("△ "+plural(pr.Unanswered, t("%s charger: latest setpoint sent, %s"), t("%s chargers: latest setpoint sent, %s"),
			thousands(int64(pr.Unanswered)), m.mayHoldUntil(pr.UnansweredUntil))))
	}
	if reasons := notApplied(pr.Failed, t); len(reasons) > 0 {
		label := t("not applied")
		if m.tr.m != nil {
			// The chargers' and adapters' reasons are theirs, in English.
			label = t("not applied (the adapters' words)")
		}
		lines = append(lines, m.st.warn.Render("  "+label+": "+strings.Join(reasons, " · ")))
	}
	if n := len(v.Track); n > 0 {
		last := v.Track[n-1]
		s := fmt.Sprintf(t("%s measured %s kW"), m.scopeText(v.Event.Scope), loadKW(last.MeasuredKW))
		// The event's first plan and no measurement since it was sent:
		// the load before its setpoints (a paused clock brings none), not
		// what they did. Judged against the cap, a dispatcher who confirmed
		// on a paused desk read "△ over the cap by 234 kW … still over
		// after it: read what was not applied" beside "73 accepted".
		before := !last.Stale && v.Plans <= 1 && !v.LastPlan.IsZero() && !last.MeasuredAt.IsZero() && !last.MeasuredAt.After(v.LastPlan)
		switch {
		case before:
			s = fmt.Sprintf(t("%s measured %s kW at %s, before its setpoints took effect"), m.scopeText(v.Event.Scope), loadKW(last.MeasuredKW), hhmm(last.MeasuredAt, m.loc()))
		case last.Stale:
			// Not the load now: said so, and not judged against the cap
			// (a lost feed read "measured 1,810 kW · △ over the cap by
			// 285 kW · re-planned at once" for as long as it was lost).
			s = fmt.Sprintf(t("%s last measured %s kW at %s"), m.scopeText(v.Event.Scope), loadKW(last.MeasuredKW), hhmm(last.MeasuredAt, m.loc()))
		case v.State.Final():
			// The event's last reading, not the load now: a page of an
			// event cancelled at 23:13 read "F10 measured 1,530 kW · △
			// over the limit by 20 kW" at 23:26, F10 then at 1,695 kW.
			s = fmt.Sprintf(t("%s measured %s kW at %s, as the event ended"), m.scopeText(v.Event.Scope), loadKW(last.MeasuredKW), hhmm(last.At, m.loc()))
		}
		w := m.capWords(v.Event.Kind)
		if !math.IsNaN(last.CapKW) {
			s += " · " + fmt.Sprintf(w.target, loadKW(w.sign*last.CapKW))
		}
		switch {
		case before:
			// Not judged: the next measurement says what the setpoints did.
		case last.Stale:
			s += " · " + m.st.warn.Render("○ "+t("STALE: no data since, the cap is not judged"))
			if v.Alarm != nil && v.Alarm.Active() {
				s += " · " + m.st.high.Render("▲ "+fmt.Sprintf(w.missed, hhmm(v.Alarm.Since, m.loc())))
			}
		case v.Alarm != nil && v.Alarm.Active():
			s += " · " + m.st.high.Render("▲ "+fmt.Sprintf(w.missed, hhmm(v.Alarm.Since, m.loc())))
		case !math.IsNaN(last.CapKW) && math.Round(last.MeasuredKW) > math.Round(last.CapKW):
			// Over the cap but not yet for long enough to alarm: the
			// operator sees it now, not "OK". Judged in whole kW, as the
			// figures read: 1,510 against a cap of 1,510 is not over it.
			s += " · " + m.st.warn.Render("△ "+fmt.Sprintf(w.over, kw(math.Round(last.MeasuredKW)-math.Round(last.CapKW))))
		case !math.IsNaN(last.CapKW):
			s += " · " + m.st.ok.Render("✓ "+t("OK"))
		case !v.HandBackSince.IsZero():
			// Handing back: held against the scope's own limit.
			if limit := m.scopeLimitKW(v.Event.Scope); limit > 0 {
				s += " · " + t("limit") + " " + kw(limit) + " kW"
				if math.Round(last.MeasuredKW) > math.Round(limit) {
					s += " · " + m.st.warn.Render("△ "+fmt.Sprintf(t("over the limit by %s kW"), kw(math.Round(last.MeasuredKW)-math.Round(limit))))
				} else {
					s += " · " + m.st.ok.Render("✓ "+t("OK"))
				}
			}
		}
		lines = append(lines, s)
		if !before {
			lines = append(lines, m.nextPlanLines(v)...)
		}
	}
	switch {
	case pr.Dropped > 0:
		// The simulator started its day over (a seek back) and dropped
		// them: "expire at their validity" told the dispatcher they were
		// still in force.
		s := plural(pr.Dropped, t("%s setpoint dropped by the simulator's restart at %s: not in force"), t("%s setpoints dropped by the simulator's restart at %s: none in force"),
			thousands(int64(pr.Dropped)), hhmm(pr.DroppedAt, m.loc()))
		if pr.Released+pr.ReleaseFailed > 0 {
			s = plural(pr.Released, t("released %s charger; %s failed"), t("released %s chargers; %s failed"), thousands(int64(pr.Released)), thousands(int64(pr.ReleaseFailed))) + "; " + s
		}
		lines = append(lines, s)
	case pr.ReleaseUnsupported > 0 && pr.Released+pr.ReleaseFailed == 0:
		// "released 0 chargers; 176 expire…" read as a failure to release.
		if n, unknown := m.stillValidSplit(v.Event.ID, pr, pr.ReleaseUnsupported); n > 0 {
			lines = append(lines, plural(n, t("this adapter cannot release: %s setpoint expires at its validity, by %s"), t("this adapter cannot release: %s setpoints expire at their validity, by %s"),
				thousands(int64(n)), m.validBy(pr))+m.unknownOf(unknown, pr))
		} else {
			lines = append(lines, fmt.Sprintf(t("this adapter cannot release: none of its setpoints is still valid (the last expired at %s)"), m.validByTime(pr)))
		}
	case pr.Released+pr.ReleaseUnsupported+pr.ReleaseFailed > 0:
		n, unknown := m.stillValidSplit(v.Event.ID, pr, pr.ReleaseUnsupported)
		format := pluralForm(pr.Released, pluralForm(n, t("released %s charger; %s expires at its validity; %s failed"), t("released %s charger; %s expire at their validity; %s failed")),
			pluralForm(n, t("released %s chargers; %s expires at its validity; %s failed"), t("released %s chargers; %s expire at their validity; %s failed")))
		lines = append(lines, fmt.Sprintf(format,
			thousands(int64(pr.Released)), thousands(int64(n)), thousands(int64(pr.ReleaseFailed)))+m.unknownOf(unknown, pr))
	}
	switch {
	case v.Error != nil:
		lines = append(lines, m.st.warn.Render("△ "+m.drErrText(v.Error)))
	case v.Err != "":
		lines = append(lines, m.st.warn.Render("△ "+v.Err))
	}
	return lines
}

// changeLine is the page's line of what the plan changes now, per feeder
// and for the system, in lines of w cells: every feeder in id order where
// that fits (in one line on a narrow page, two on a wide one), else the
// largest changes first, how many more feeders, and the system. A
// system-wide event's twelve feeders took four lines at 80 columns and
// left the page no room for its chart. w <= 0 lists every feeder.
func (m *Model) changeLine(deltas map[string]float64, system float64, w int) string {
	return m.changeLineHead(m.tr.t("change now against unmanaged charging")+": ", deltas, system, w)
}

// changeHead is the words before the change line's figures on event v's
// page: "change now …" while the event is pending or running, and, once it
// has ended, been cancelled or declined, the last plan's change at the time
// it was planned. An ended event's page read "change now against unmanaged
// charging: F10 −377 kW" long after its end, the last plan's figure as if
// it were the feeder's now.
func (m *Model) changeHead(v *control.EventView) string {
	if !v.State.Final() || v.Preview == nil {
		return m.tr.t("change now against unmanaged charging") + ": "
	}
	return fmt.Sprintf(m.tr.t("the last plan's change at %s against unmanaged charging"), hhmm(v.Preview.Start, m.loc())) + ": "
}

// changeLineHead is changeLine with head before its figures.
func (m *Model) changeLineHead(head string, deltas map[string]float64, system float64, w int) string {
	t := m.tr.t
	ids := make([]string, 0, len(deltas))
	for id, d := range deltas {
		if math.Abs(d) >= 0.5 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	sys := t("system") + " " + signedKW(system) + " kW"
	list := func(ids []string, more int) string {
		parts := make([]string, 0, len(ids)+2)
		for _, id := range ids {
			// A no-break space: wrapLines keeps a feeder with its figure.
			parts = append(parts, id+"\u00a0"+signedKW(deltas[id])+" kW")
		}
		switch {
		case more == 1:
			parts = append(parts, t("+1 more feeder"))
		case more > 1:
			parts = append(parts, fmt.Sprintf(t("+%d more feeders"), more))
		}
		return head + strings.Join(append(parts, sys), " · ")
	}
	full := list(ids, 0)
	if w <= 0 {
		return full
	}
	big := append([]string(nil), ids...)
	sort.SliceStable(big, func(i, j int) bool { return math.Abs(deltas[big[i]]) > math.Abs(deltas[big[j]]) })
	// Narrow, one line if it holds a feeder besides the system, else two;
	// wide, two. The two-line budget leaves room for what breaking at
	// words and keeping figures with their units can lose.
	budgets := []int{2*w - 16}
	if w < 100 {
		budgets = []int{w, 2*w - 16}
	}
	for _, b := range budgets {
		if ansi.StringWidth(full) <= b {
			return full
		}
		for k := len(big) - 1; k >= 1; k-- {
			if l := list(big[:k], len(big)-k); ansi.StringWidth(l) <= b {
				return l
			}
		}
	}
	return list(big[:min(1, len(big))], len(big)-min(1, len(big)))
}

// Yuan is an amount of money: "¥1,234", "−¥4" (a plan that earns more
// from V2G export than it pays for charging costs less than nothing). The
// command line writes money with it too, so both say the same.
func Yuan(v float64) string {
	if v < -0.5 {
		return "−¥" + kw(-v)
	}
	return "¥" + kw(v)
}

// SignedYuan is a change of cost with its sign before the currency, as
// Yuan writes a negative amount: "+¥40", "−¥607".
func SignedYuan(v float64) string {
	if v < -0.5 {
		return "−¥" + kw(-v)
	}
	return "+¥" + kw(v)
}

// signedKW is a change with its sign: "+40", "−1,120" (loadKW's minus).
func signedKW(v float64) string {
	if v < -0.5 {
		return loadKW(v)
	}
	return "+" + kw(v)
}

// overCapKW is by how much v's scope is over its cap by the latest
// track point, in whole kW as the page shows it, and whether it is over
// at all; never while handing back (held against the limit, not the cap).
func overCapKW(v *control.EventView) (float64, bool) {
	if len(v.Track) == 0 || !v.HandBackSince.IsZero() {
		return 0, false
	}
	last := v.Track[len(v.Track)-1]
	if math.IsNaN(last.CapKW) || last.Stale {
		return 0, false
	}
	over := math.Round(last.MeasuredKW) - math.Round(last.CapKW)
	return over, over > 0
}

// nextPlanLines say, under a scope measured past what its event asks
// (over a cap or a shed target, short of an export target), when the
// controller re-plans the event by itself and what the dispatcher does if
// that does not bring it back, in the event's words (targetWords): "over
// the cap by 17 kW" alone left them wondering whether anything would
// happen. None when the scope is within its target or nothing will
// re-plan it.
func (m *Model) nextPlanLines(v *control.EventView) []string {
	over, ok := overCapKW(v)
	if !ok || v.NextPlan.IsZero() {
		return nil
	}
	words := m.capWords(v.Event.Kind).next
	when := hhmm(v.NextPlan, m.loc())
	next := words.readDataFor(v.Event.Scope)
	// The controller re-plans early for the target only when the plan of
	// this slot meets it (control's Step); otherwise an early re-plan is
	// for drifting off the plan. Said as the target, a system export its
	// plan could not reach read "(short by more than the 346 kW
	// tolerance: re-planned at once)" beside "the export cannot be fully
	// delivered".
	last := v.Track[len(v.Track)-1]
	planMeets := math.IsNaN(last.PlannedKW) || last.PlannedKW <= last.CapKW+v.ToleranceKW
	var s string
	switch {
	case v.NextPlanEarly && over > v.ToleranceKW && planMeets:
		s = fmt.Sprintf(words.atOnce, when, kw(v.ToleranceKW))
	case v.NextPlanEarly:
		s = fmt.Sprintf(m.tr.t("next re-plan %s (off its plan: re-planned at once)"), when)
		if over > v.ToleranceKW {
			next = words.callBack
		}
	case over > v.ToleranceKW:
		// The controller does not re-plan for the target when its own
		// plan says it cannot be met: "at once" would be a promise it
		// does not keep.
		s = fmt.Sprintf(words.cannotHold, when)
		next = words.callBack
	default:
		o, tol := kwApart(over, v.ToleranceKW)
		s = fmt.Sprintf(words.withinTolerance, when, o, tol)
	}
	return []string{m.st.warn.Render("  " + s), m.st.warn.Render("  " + next)}
}

// kwApart formats a power over a cap (whole kW, as "over the cap by N kW"
// has it) and the tolerance it is within, the tolerance with one decimal
// when whole kW would read the same: "30 kW over is within the 30 kW
// tolerance" (30 against 30.2) reads as a contradiction.
func kwApart(over, tol float64) (string, string) {
	if kw(over) == kw(tol) && over < tol {
		return kw(over), ftoa(tol, 1)
	}
	return kw(over), kw(tol)
}

// inForceOverLine is triage's line under "none: T-F10 in force" when the
// feeder is past that event's target (over its cap, short of its export):
// when the event re-plans next and where to follow it; "" when it is
// within it.
func (m *Model) inForceOverLine(v control.EventView) string {
	over, ok := overCapKW(&v)
	if !ok || v.NextPlan.IsZero() {
		return ""
	}
	return m.st.warn.Render("△ " + fmt.Sprintf(m.capWords(v.Event.Kind).next.triage,
		m.scopeText(v.Event.Scope), v.Event.ID, kw(over), hhmm(v.NextPlan, m.loc())))
}

// suggestionLines are triage's suggested action for the feeder under the
// cursor, with the key that proposes it, and for a suggestion that asks
// more than the usual margin under the limit, a second line saying it is
// the most the plugged-in EVs can do.
func (m *Model) suggestionLines(feeder string) []string {
	t := m.tr.t
	if v, ok := m.eventInForce(feeder); ok {
		// A new cap on it would be refused on confirming ("conflicts with
		// another dispatch"): triage suggested one all the same, as if
		// nothing were holding the feeder.
		lines := []string{m.st.dim.Render(t("suggested") + ": " + fmt.Sprintf(t("none: %s in force (%s)"), v.Event.ID, m.eventWhat(v.Event)))}
		if l := m.inForceOverLine(v); l != "" {
			lines = append(lines, l)
		}
		return lines
	}
	sg, ok := m.suggest[feeder]
	switch {
	case !ok && m.suggesting != feeder && m.sourceEnded():
		// Nothing is planned once the source has ended (maybeSuggest):
		// "planning…" would stay on screen for good.
		return []string{m.st.dim.Render(m.endedWhy(false))}
	case !ok || m.suggesting == feeder && sg.s == nil:
		return []string{m.st.dim.Render(t("suggested") + ": " + t("planning…"))}
	case sg.err != nil:
		return []string{m.st.warn.Render("△ " + t("suggested") + ": " + m.drErrText(sg.err))}
	}
	s := sg.s
	format := pluralForm(s.Chargers, pluralForm(s.Short, t("cap %s at %s%% until %s → %s charger, −%s kW, %s EV short"), t("cap %s at %s%% until %s → %s charger, −%s kW, %s EVs short")),
		pluralForm(s.Short, t("cap %s at %s%% until %s → %s chargers, −%s kW, %s EV short"), t("cap %s at %s%% until %s → %s chargers, −%s kW, %s EVs short")))
	text := fmt.Sprintf(format,
		feeder, ftoa(s.Pct, 0), m.suggestionUntil(s.Event), thousands(int64(s.Chargers)), kw(s.ReduceKW), thousands(int64(s.Short)))
	if m.canAct() && !m.sourceEnded() {
		text += "   [p] " + t("propose")
	}
	lines := []string{m.st.bold.Render(t("suggested") + ": " + text)}
	// What the forecast rests on, last: two desks that know different
	// things about the day suggest different caps for the same minute.
	var basis []string
	if b := m.suggestionBasisLine(s.Basis); b != "" {
		basis = []string{b}
	}
	var note string
	switch {
	case !s.Limited:
		return append(lines, basis...)
	case s.Pct > 100:
		note = t("the most the plugged-in EVs can shed; the rest needs manual switching")
	default:
		note = fmt.Sprintf(t("the most the plugged-in EVs can shed (%s%% is out of reach)"), ftoa(control.SuggestPct, 0))
	}
	// A cap the EVs can only hold above the HIGH alarm's clearing point
	// (its threshold less the deadband, the engine's Level rule) leaves
	// the ▲ HIGH on after the dispatch does all it was asked: said, so
	// the alarm still standing is not read as the dispatch failing. Only
	// of a feeder that is ▲ HIGH: under a △ WARN row it spoke of an alarm
	// that was not on (and that a cap under the threshold keeps off).
	if clear := m.highClearPct(); s.Pct > clear && m.triageSev(feeder) >= alarm.SevHigh {
		note += "; " + fmt.Sprintf(t("▲ HIGH stays on: it clears at %s%% of the limit"), ftoa(clear, 0))
	}
	return append(append(lines, m.st.warn.Render("△ "+note)), basis...)
}

// suggestionUntil is when the suggested cap planned as ev ends as the desk
// will see it: its end, bounded to suggestMaxLength (boundedSuggestion),
// or, when that falls after the scenario day, the day's end, when the desk
// ends every event in force, with the planned end beside it. Near midnight
// triage offered "until 00:35 (+1 d)" on a day that stops at 00:00, a time
// that never comes.
func (m *Model) suggestionUntil(ev feeds.EventFrame) string {
	bounded, planned := boundedSuggestion(ev)
	if dayEnd, ok := m.scenarioDayEnd(); ok && bounded.End.After(dayEnd) {
		return fmt.Sprintf(m.tr.t("%s, the day's end (planned to %s)"), hhmm(dayEnd, m.loc()), hhmm(ev.End, m.loc()))
	}
	if !planned.IsZero() {
		return m.boundedUntil(bounded.End, planned)
	}
	return m.clockTime(ev.End)
}

// highClearPct is the loading, in percent of the limit, at or under which
// a feeder's ▲ HIGH loading alarm clears: its threshold less the deadband.
func (m *Model) highClearPct() float64 {
	_, high := m.alarms.Thresholds()
	return high - m.alarms.DeadbandPct()
}

// energy formats kWh, as MWh from 1,000 kWh.
func energy(v float64) string {
	if math.Abs(v) >= 1000 {
		return mwh(v)
	}
	return kw(v) + " kWh"
}

// scopeText names a scope on screen: a feeder's id, or "system" in the
// operator's language.
func (m *Model) scopeText(scope string) string {
	if scope == feeds.ScopeSystem {
		return m.tr.t("system")
	}
	return scope
}

// handBackWhy says why a hand-back still holds the chargers, from the
// controller's latest check: "charging would take F07 to 4,100 kW (102%) at
// 18:15 (limit 4,000 kW)", in the operator's language; empty before the
// first check.
func (m *Model) handBackWhy(h control.HandBack) string { return h.Text(m.whyWords()) }

// scopeLimitKW is the import limit of scope (a feeder's id or the system)
// in the latest snapshot; 0 when unknown.
func (m *Model) scopeLimitKW(scope string) float64 {
	if m.snap == nil {
		return 0
	}
	if scope == feeds.ScopeSystem {
		return m.snap.System.ImportLimitKW
	}
	if f, ok := m.snap.Feeder(scope); ok {
		return f.LimitKW
	}
	return 0
}

// releaseLines say when a hand-back's chargers are released at the
// latest, and who extended it; once the controller has given notice of
// that release (Options.ReleaseNotice ahead), how far over its limit their
// charging would take the scope then, in the alarm's style, and what the
// dispatcher can do (on a line of its own: a wrapped line loses its style).
func (m *Model) releaseLines(v *control.EventView) []string {
	t := m.tr.t
	if v.ReleaseAt.IsZero() {
		return nil
	}
	if !v.ReleaseNoticeSince.IsZero() {
		lines := []string{m.st.high.Render("▲ " + m.releaseDueText(v.Event.ID, v.ReleaseAt, v.HandBack))}
		switch {
		case !m.canAct() || m.sourceEnded():
		case m.extendNoUse(*v) != "":
			// The day ends first: x would change nothing.
			lines = append(lines, m.st.high.Render("  "+t("call the network control room")))
		default:
			lines = append(lines, m.st.high.Render("  "+t("call the network control room, or x to extend the hand-back")))
		}
		return lines
	}
	s := fmt.Sprintf(t("%s, whatever their charging then does"), control.ReleasedByText(m.whyWords(), v.ReleaseAt))
	if end, ok := m.scenarioDayEnd(); ok && v.ReleaseAt.After(end) {
		// The hand-back limit falls after the scenario day: the day's
		// end comes first and ends the event, releasing its chargers
		// (docs/operations.md); its own time would never come.
		s = fmt.Sprintf(t("chargers will be released at %s when the scenario day ends (the hand-back limit, %s, is after it)"),
			hhmm(end, m.loc()), hhmm(v.ReleaseAt, m.loc()))
	}
	if v.Extended > 0 {
		s += " · " + fmt.Sprintf(t("hand-back extended by %s (%s)"), hoursText(v.Extended.Hours(), t), m.who(v.ExtendedBy))
	}
	return []string{s}
}

// scenarioDayEnd is when a simulated day ends, at the local midnight after
// the latest snapshot (the simulator holds or stops there, and the desk ends
// every event in force); false on a replay or a live feed, whose end the
// desk does not know ahead.
func (m *Model) scenarioDayEnd() (time.Time, bool) {
	if m.mode() != feeds.ModeSimulation || m.snap == nil {
		return time.Time{}, false
	}
	return chartDay(m.snap, m.loc()).AddDate(0, 0, 1), true
}

// releaseDueText is the notice of a forced release: "DR-17: chargers
// released at 01:00 (in 25 min), though charging would take F10 to 2,058
// kW (136%) at 00:45 (limit 1,510 kW)", in the operator's language; the
// time left is by the fleet's clock. Worded by the controller's
// control.ReleaseDue.Text, as the journal's notice is.
func (m *Model) releaseDueText(id string, at time.Time, h control.HandBack) string {
	r := control.ReleaseDue{At: at, HandBack: h, Now: at}
	if m.snap != nil {
		r.Now = m.snap.At
	}
	// "DR-17: " as the event's id is written everywhere, in any language.
	return id + ": " + r.Text(m.whyWords())
}

// releaseDueShort is releaseDueText for a narrow line, figures kept and
// words dropped: "OP-1: chargers released at 22:54 · F10 to 2,190 kW (145%,
// limit 1,510 kW)".
func (m *Model) releaseDueShort(id string, at time.Time, h control.HandBack) string {
	t := m.tr.t
	s := id + ": " + control.ReleaseDue{At: at, Now: at}.Text(m.whyWords())
	if h.PeakAt.IsZero() {
		return s
	}
	scope := h.Scope
	if scope == feeds.ScopeSystem {
		scope = t("the system")
	}
	return s + " · " + fmt.Sprintf(t("%s to %s kW (%s, limit %s kW)"), scope, kw(h.PeakKW), Pct(100*h.PeakKW/h.LimitKW), kw(h.LimitKW))
}

// releaseDueFit is the notice of a forced release in w cells: in full,
// else short.
func (m *Model) releaseDueFit(id string, at time.Time, h control.HandBack, w int) string {
	if s := m.releaseDueText(id, at, h); width(s) <= w {
		return s
	}
	return m.releaseDueShort(id, at, h)
}

// releaseNotices are the notices of the forced releases to come, one line
// each (cut to w cells), for the overview and the events list: they must
// be seen from wherever the dispatcher is, not only on the event's page.
func (m *Model) releaseNotices(w int) []string {
	var out []string
	for i := range m.dr {
		v := &m.dr[i]
		if v.State != control.StateActive || v.ReleaseNoticeSince.IsZero() || v.ReleaseAt.IsZero() {
			continue
		}
		out = append(out, fit(m.st.high.Render("▲ "+m.releaseDueFit(v.Event.ID, v.ReleaseAt, v.HandBack, w-2)), w))
	}
	return out
}

// cancelHint is what cancelling an active event does, as its key says it:
// release the chargers, or, when their adapter cannot (the simulator's
// in-process adapter), let their setpoints expire at their validity.
func (m *Model) cancelHint(id string, pr control.Progress) string {
	t := m.tr.t
	n, unknown := m.stillValidSplit(id, pr, pr.Unreleasable)
	switch {
	case pr.Unreleasable >= pr.Holding && pr.Unreleasable > 0 && n == 0:
		// Counted, they read "176 setpoints expire … by 18:35 (already
		// expired)": none is in force to expire.
		return fmt.Sprintf(t("cancel the event; none of its setpoints is still valid (the last expired at %s)"), m.validByTime(pr))
	case n == 0 && pr.Unanswered > 0:
		// Released with the others: a charger that may hold a setpoint
		// is let go too, and the dispatcher who read "no answer" on the
		// page is told so.
		return fmt.Sprintf(t("cancel the event and release the chargers, the %s with no answer too"), thousands(int64(pr.Unanswered)))
	case n == 0:
		return t("cancel the event and release the chargers")
	case pr.Unreleasable >= pr.Holding:
		return plural(n, t("cancel the event; this adapter cannot release: %s setpoint expires at its validity, by %s"), t("cancel the event; this adapter cannot release: %s setpoints expire at their validity, by %s"),
			thousands(int64(n)), m.validBy(pr)) + m.unknownOf(unknown, pr)
	}
	return plural(n, t("cancel the event and release the chargers; %s cannot be released: its setpoint expires by %s"), t("cancel the event and release the chargers; %s cannot be released: their setpoints expire by %s"),
		thousands(int64(n)), m.validBy(pr)) + m.unknownOf(unknown, pr)
}

// unknownOf says how many of the setpoints a line counts got no answer,
// " (6 of them: no answer: may hold it until 18:35)": they expire at
// their validity like the others, but nobody knows whether their chargers
// took them. "" when none.
func (m *Model) unknownOf(unknown int, pr control.Progress) string {
	if unknown <= 0 {
		return ""
	}
	until := pr.UnansweredUntil
	if until.IsZero() {
		until = pr.ValidUntil
	}
	return " " + fmt.Sprintf(m.tr.t("(%s of them: %s)"), thousands(int64(unknown)), m.mayHoldUntil(until))
}

// validByTime is the latest validity of an event's setpoints on the site's
// clock, unmarked: for a line that already says it has passed.
func (m *Model) validByTime(pr control.Progress) string {
	if pr.ValidUntil.IsZero() {
		return "—"
	}
	return m.clockTime(pr.ValidUntil)
}

// validBy is when the latest setpoint of an event's chargers expires,
// marked when that is already past on the site's clock: after sends that
// failed for a while (an adapter down, holds refused) the latest accepted
// setpoint can be older than the slot, and "expire by 18:05" at 18:40
// would send a dispatcher waiting for something that has happened.
func (m *Model) validBy(pr control.Progress) string {
	if pr.ValidUntil.IsZero() {
		return "—"
	}
	s := m.clockTime(pr.ValidUntil)
	if now := m.siteNow(); !now.IsZero() && !pr.ValidUntil.After(now) {
		s += " " + m.tr.t("(already expired)")
	}
	return s
}
