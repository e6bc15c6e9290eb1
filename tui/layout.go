package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// viewNames are the top-level views in tab order (translated on display).
var viewNames = [numViews]string{"Overview", "Feeders", "Chargers", "Alarms", "Events"}

// View renders the whole screen: header, tab line, body, footer. Every line
// is exactly the terminal's width, so borders meet whatever the language.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.w < minWidth || m.h < minHeight {
		return m.tooSmall()
	}
	m.syncKeys()
	lines := make([]string, 0, m.h)
	lines = append(lines, m.headerLine(), m.tabLine())
	lines = append(lines, m.body(m.w, m.bodyRows())...)
	lines = append(lines, m.footerLine())
	return strings.Join(lines, "\n")
}

// bodyRows is the height left for the current view.
func (m *Model) bodyRows() int { return max(0, m.h-3) }

func (m *Model) compact() bool { return m.w < compactBelow }

func (m *Model) body(w, h int) []string {
	if m.showHelp {
		return m.helpScreen(w, h)
	}
	if m.snap == nil || !m.snap.HaveTopology {
		return m.waiting(w, h)
	}
	p := m.page()
	switch p.kind {
	case pageFeeder:
		return m.feederDetail(p, w, h)
	case pageCharger:
		return m.chargerDetail(p, w, h)
	case pageTriage:
		return m.triageView(p, w, h)
	case pageDispatch:
		return m.dispatchView(p, w, h)
	case pageEventForm:
		return m.formView(w, h)
	}
	switch p.view {
	case viewFeeders:
		return m.feedersView(p, w, h)
	case viewChargers:
		return m.chargersView(p, w, h)
	case viewAlarms:
		return m.alarmsView(p, w, h)
	case viewEvents:
		return m.eventsView(p, w, h)
	}
	return m.overview(p, w, h)
}

// waiting is the body before the first hello.
func (m *Model) waiting(w, h int) []string {
	msg := m.tr.t("waiting for the feed…")
	if m.feedEnded {
		msg = m.tr.t("the feed has ended")
	}
	if m.snap != nil && !m.snap.Stats.Connected && m.snap.Stats.LastError != "" {
		msg += " (" + m.snap.Stats.LastError + ")"
	}
	lines := make([]string, h)
	for i := range lines {
		lines[i] = strings.Repeat(" ", w)
	}
	if h > 0 {
		lines[h/2] = lipgloss.PlaceHorizontal(w, lipgloss.Center, msg)
		lines[h/2] = fit(lines[h/2], w)
	}
	return lines
}

// tooSmall is the whole screen when the terminal is below the minimum.
func (m *Model) tooSmall() string {
	msg := []string{
		m.tr.t("terminal too small"),
		fmt.Sprintf("%d×%d < %d×%d", m.w, m.h, minWidth, minHeight),
		m.tr.t("q quit"),
	}
	lines := make([]string, m.h)
	top := max(0, (m.h-len(msg))/2)
	for i := range lines {
		s := ""
		if j := i - top; j >= 0 && j < len(msg) {
			s = msg[j]
		}
		lines[i] = fit(lipgloss.PlaceHorizontal(m.w, lipgloss.Center, s), m.w)
	}
	return strings.Join(lines, "\n")
}

// headerLine: site and zone, mode badge with its clock, feed health,
// operator. Parts shorten, then drop, as the width shrinks.
func (m *Model) headerLine() string {
	st := m.st
	s := m.snap
	site, zone := "—", ""
	if s != nil && s.Site != "" {
		site = s.Site
	}
	if s != nil && s.Location != nil {
		zone = s.Location.String()
	}
	now := m.siteNow().In(m.loc())
	badge := m.badge(now.Format("15:04:05"))

	feedLong, feedShort := m.feedHealth()
	op := ""
	if m.opts.Operator != "" {
		op = m.opts.Operator
		if m.opts.Role != "" {
			op += " (" + m.tr.t(m.opts.Role) + ")"
		}
	}
	name := st.bold.Render("v2gdesk")
	candidates := [][]string{
		{name + " · " + site + opt(zone != "", " · "+zone), badge, feedLong, op},
		{name + " · " + site, badge, feedLong, op},
		{name + " · " + site, badge, feedShort, op},
		{site, badge, feedShort, op},
		{site, badge, feedShort},
		{site, badge},
	}
	for _, parts := range candidates {
		for i := range parts {
			parts[i] = clean(parts[i])
		}
		if line, ok := joinSpread(parts, m.w-1); ok {
			return " " + line
		}
	}
	return fit(" "+clean(site)+"  "+badge, m.w)
}

func opt(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// joinSpread lays parts across w cells with at least three spaces between
// them, the last flush right; ok is false when they do not fit.
func joinSpread(parts []string, w int) (string, bool) {
	var nonEmpty []string
	total := 0
	for _, p := range parts {
		if p != "" {
			nonEmpty = append(nonEmpty, p)
			total += width(p)
		}
	}
	gaps := len(nonEmpty) - 1
	if gaps < 0 {
		return strings.Repeat(" ", w), true
	}
	spare := w - total
	if spare < 3*gaps {
		return "", false
	}
	var b strings.Builder
	for i, p := range nonEmpty {
		b.WriteString(p)
		if i < gaps {
			g := spare / gaps
			if i < spare%gaps {
				g++
			}
			b.WriteString(strings.Repeat(" ", g))
		}
	}
	return b.String(), true
}

// badge is the mode badge: glyph, word, speed and clock; PAUSED and FROZEN
// follow when they apply.
func (m *Model) badge(clock string) string {
	st := m.st
	var b string
	switch m.opts.Mode {
	case feeds.ModeReplay:
		b = st.badgeReplay.Render("◆ " + m.tr.t("REPLAY"))
	case feeds.ModeSimulation:
		b = st.badgeSim.Render("◆ " + m.tr.t("SIMULATION"))
	default:
		b = st.badgeLive.Render("● " + m.tr.t("LIVE"))
	}
	if c, ok := m.opts.Control.(SpeedSetter); ok {
		b += " " + speedText(c.Speed())
	}
	b += "  " + clock
	if c, ok := m.opts.Control.(Pauser); ok && c.Paused() {
		b += " " + st.paused.Render("❚❚ "+m.tr.t("PAUSED"))
	}
	if m.frozen {
		// Say which moment the frozen display shows.
		at := ""
		if m.snap != nil {
			at = " " + m.snap.At.In(m.loc()).Format("15:04:05")
		}
		b += " " + st.frozen.Render("❄ "+m.tr.t("FROZEN")+at)
	}
	return b
}

// feedHealth is the feed part of the header, long and short forms.
func (m *Model) feedHealth() (long, short string) {
	st := m.st
	s := m.latest
	if s == nil {
		w := st.stale.Render("○ " + m.tr.t("no data"))
		return m.tr.t("feed") + " " + w, w
	}
	up := st.ok.Render("● " + m.tr.t("up"))
	if !s.Stats.Connected {
		up = st.high.Render("○ " + m.tr.t("DOWN"))
	}
	age := "—"
	if !s.Stats.LastFrame.IsZero() {
		age = m.ago(m.now().Sub(s.Stats.LastFrame))
	}
	rej := s.Stats.RejectTotal()
	rejText := thousands(int64(rej))
	if rej > 0 {
		rejText = st.warn.Render(rejText)
	}
	fps := thousands(int64(s.Stats.FramesPerSec + 0.5))
	long = m.tr.t("feed") + " " + up + " · " + fps + " " + m.tr.t("fr/s") + " · " +
		m.tr.t("age") + " " + age + " · " + m.tr.t("rejects") + " " + rejText
	short = up + " " + fps + "/s · " + age + " · " + m.tr.t("rej") + " " + rejText
	return long, short
}

// tabLine: the views with alarm and event counts, and breadcrumbs.
func (m *Model) tabLine() string {
	st := m.st
	b := m.alarms.Board()
	var tabs []string
	for v := range numViews {
		label := fmt.Sprintf("%d %s", v+1, m.tr.t(viewNames[v]))
		switch viewID(v) {
		case viewAlarms:
			if n := b.Counts.Unack; n > 0 {
				label += " " + m.sevGlyph(b.Counts.Highest) + thousands(int64(n))
			}
		case viewEvents:
			if n := m.activeEvents(); n > 0 {
				label += " ●" + thousands(int64(n))
			}
		}
		if viewID(v) == m.stack[0].view {
			tabs = append(tabs, st.tabActive.Render(label))
		} else {
			tabs = append(tabs, st.tab.Render(label))
		}
	}
	return " " + spread(strings.Join(tabs, "  "), st.crumb.Render(clean(m.crumbs()))+" ", m.w-1)
}

// crumbs is the breadcrumb trail of the navigation stack.
func (m *Model) crumbs() string {
	parts := []string{m.tr.t(viewNames[m.stack[0].view])}
	for _, p := range m.stack {
		switch p.kind {
		case pageList:
		case pageTriage:
			parts = append(parts, m.tr.t("Triage"))
		default:
			parts = append(parts, p.id)
		}
	}
	if len(m.stack) == 1 && m.stack[0].view == viewOverview {
		parts = append(parts, m.tr.t("System"))
	}
	if f := m.page().filter; f != "" {
		parts = append(parts, "/"+f)
	}
	return strings.Join(parts, " › ")
}

// activeEvents counts DR events in force at the snapshot's time.
func (m *Model) activeEvents() int {
	if m.snap == nil {
		return 0
	}
	n := 0
	for _, e := range m.events() {
		if !m.snap.At.Before(e.Start) && m.snap.At.Before(e.End) {
			n++
		}
	}
	return n
}

// footerLine: the prompt when editing, else short help and the flash.
func (m *Model) footerLine() string {
	st := m.st
	if m.input != inputNone {
		var prompt, hint string
		switch m.input {
		case inputFilter:
			prompt, hint = "/", m.tr.t("enter keep · esc clear")
		case inputCommand:
			prompt, hint = ":", m.tr.t("enter run · esc cancel")
		case inputShelve:
			prompt, hint = m.tr.t("shelve")+" "+m.shelveID+" · "+m.tr.t("reason")+": ", m.tr.t("enter shelve · esc cancel")
		case inputForm:
			return " " + spread(st.input.Render(m.tr.t("new DR event")), st.dim.Render(m.tr.t("tab next field · ←/→ choose · enter propose · esc cancel"))+" ", m.w-1)
		}
		return " " + spread(st.input.Render(prompt+string(m.text))+"▏", st.dim.Render(hint)+" ", m.w-1)
	}
	right := ""
	if m.flash != "" && m.now().Before(m.flashUntil) {
		if m.flashErr {
			right = st.flashErr.Render("✕ " + m.flash)
		} else {
			right = st.flashOK.Render(m.flash)
		}
	}
	if right == "" {
		// The DR event in force, when the key help leaves room for it.
		m.help.Width = 0
		if ev := m.eventSummary(); ev != "" && width(m.help.ShortHelpView(m.keys.ShortHelp()))+width(ev)+4 <= m.w {
			right = ev
		}
	}
	helpW := m.w - 1
	if right != "" {
		helpW = max(10, m.w-1-width(right)-2)
	}
	m.help.Width = helpW
	left := m.help.ShortHelpView(m.keys.ShortHelp())
	return " " + spread(fit(left, min(width(left), helpW)), clean(right)+" ", m.w-1)
}

// syncKeys enables the bindings that apply to the current screen, so the
// footer shows only keys that do something here.
func (m *Model) syncKeys() {
	p := m.page()
	_, pauser := m.opts.Control.(Pauser)
	_, speeder := m.opts.Control.(SpeedSetter)
	alarms := p.kind == pageList && p.view == viewAlarms
	m.keys.Pause.SetEnabled(pauser)
	m.keys.Faster.SetEnabled(speeder)
	m.keys.Slower.SetEnabled(speeder)
	m.keys.Ack.SetEnabled(alarms && m.canAct())
	m.keys.Shelve.SetEnabled(alarms && m.canAct())
	m.keys.Unshelve.SetEnabled(alarms && m.canAct())
	m.keys.Sort.SetEnabled(m.sortColumns(p) > 0)
	m.keys.Reverse.SetEnabled(m.sortColumns(p) > 0)
	m.keys.Filter.SetEnabled(m.hasFilter(p))
	m.keys.Back.SetEnabled(len(m.stack) > 1 || p.filter != "")
	m.keys.Enter.SetEnabled(p.kind != pageCharger)
	m.keys.Triage.SetEnabled(p.kind != pageTriage)
	m.syncDispatchKeys(p)
}

// box draws lines inside a rounded border of w x h cells with the title in
// the top edge. Content is padded or cut to fit exactly.
func (m *Model) box(title string, w, h int, lines []string) []string {
	if w < 4 || h < 2 {
		return padLines(nil, max(w, 0), max(h, 0))
	}
	bs := m.st.border
	inner := w - 4
	out := make([]string, 0, h)
	t := ""
	if title != "" {
		t = " " + fit(title, min(width(title), w-6)) + " "
	}
	out = append(out, bs.Render("╭─")+m.st.title.Render(t)+bs.Render(strings.Repeat("─", max(0, w-3-width(t)))+"╮"))
	side := bs.Render("│")
	for i := 0; i < h-2; i++ {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		out = append(out, side+" "+fit(s, inner)+" "+side)
	}
	out = append(out, bs.Render("╰"+strings.Repeat("─", w-2)+"╯"))
	return out
}

// beside joins two columns of lines side by side.
func beside(a, b []string) []string {
	n := max(len(a), len(b))
	out := make([]string, n)
	wa := 0
	if len(a) > 0 {
		wa = width(a[0])
	}
	for i := range out {
		l, r := strings.Repeat(" ", wa), ""
		if i < len(a) {
			l = a[i]
		}
		if i < len(b) {
			r = b[i]
		}
		out[i] = l + r
	}
	return out
}

// helpScreen is `?`: the full key map and the palette commands.
func (m *Model) helpScreen(w, h int) []string {
	// The full list shows every key, also those that do nothing here.
	groups := m.keys.allEnabled().FullHelp()
	if m.opts.Dispatch == nil {
		groups = groups[:len(groups)-1] // the DR keys do nothing without a Dispatcher
	}
	var cols []string
	for _, g := range groups {
		cols = append(cols, m.help.FullHelpView([][]key.Binding{g}))
	}
	var lines []string
	row := lipgloss.JoinHorizontal(lipgloss.Top, interleave(cols, "    ")...)
	if width(row) <= w-4 {
		lines = strings.Split(row, "\n")
	} else {
		left := lipgloss.JoinHorizontal(lipgloss.Top, interleave(cols[:2], "    ")...)
		right := lipgloss.JoinHorizontal(lipgloss.Top, interleave(cols[2:], "    ")...)
		lines = append(strings.Split(left, "\n"), "")
		lines = append(lines, strings.Split(right, "\n")...)
	}
	var cmds []string
	for _, c := range paletteCommands {
		cmds = append(cmds, fit(":"+c.usage, 19)+" "+m.st.desc.Render(m.tr.t(c.desc)))
	}
	if len(lines)+len(cmds)+4 > h-2 {
		// Short terminal: the commands in two columns.
		half := (len(cmds) + 1) / 2
		cw := (w - 4) / 2
		var two []string
		for i := 0; i < half; i++ {
			r := ""
			if i+half < len(cmds) {
				r = cmds[i+half]
			}
			two = append(two, fit(cmds[i], cw)+r)
		}
		cmds = two
	}
	lines = append(lines, "", m.st.bold.Render(m.tr.t("Commands (:)")))
	lines = append(lines, cmds...)
	lines = append(lines, m.st.dim.Render(m.tr.t("Status is glyph and word: ▲ HIGH  △ WARN  ✕ FAULT  ○ STALE  ✓ OK")))
	return m.box(m.tr.t("Keys")+" · "+m.tr.t("? or esc to close"), w, h, lines)
}

func interleave(cols []string, sep string) []string {
	var out []string
	for i, c := range cols {
		if i > 0 {
			out = append(out, sep)
		}
		out = append(out, c)
	}
	return out
}

// sevGlyph is a severity's glyph alone (for counts in the tab line).
func (m *Model) sevGlyph(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return m.st.high.Render("▲")
	case alarm.SevWarn:
		return m.st.warn.Render("△")
	case alarm.SevFault:
		return m.st.fault.Render("✕")
	case alarm.SevStale:
		return m.st.stale.Render("○")
	}
	return m.st.ok.Render("✓")
}

// sevText is a severity as glyph and word, never colour alone.
func (m *Model) sevText(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return m.st.high.Render("▲ " + m.tr.t("HIGH"))
	case alarm.SevWarn:
		return m.st.warn.Render("△ " + m.tr.t("WARN"))
	case alarm.SevFault:
		return m.st.fault.Render("✕ " + m.tr.t("FAULT"))
	case alarm.SevStale:
		return m.st.stale.Render("○ " + m.tr.t("STALE"))
	}
	return m.st.ok.Render("✓ " + m.tr.t("OK"))
}

// ago formats an age with its unit translated.
func (m *Model) ago(d time.Duration) string {
	n, u := ago(d)
	return n + " " + m.tr.t(u)
}

// eventSummary is the DR event in force (or the next one) in a few words,
// for the footer: "DR-17 import cap F07 ≤ 3,600 kW 18:00–21:00 · active".
func (m *Model) eventSummary() string {
	if m.snap == nil {
		return ""
	}
	at := m.snap.At
	evs := m.events()
	for _, state := range []string{"active", "next"} {
		for i := range evs {
			e := &evs[i]
			inForce := !at.Before(e.Start) && at.Before(e.End)
			if (state == "active") != inForce || (state == "next" && !at.Before(e.Start)) {
				continue
			}
			word := m.tr.t(state)
			if e.dr != nil {
				// The workflow's state: a declined event is not in force.
				if e.dr.State.Final() {
					continue
				}
				word = m.tr.t(string(e.dr.State))
			}
			scope := e.Scope
			if scope == feeds.ScopeSystem {
				scope = m.tr.t("system")
			}
			what := m.kindText(e.Kind) + " " + scope
			switch e.Kind {
			case feeds.EventImportCap:
				what += " ≤ " + kw(e.KW) + " kW"
			case feeds.EventShed, feeds.EventExport:
				what += " " + kw(e.KW) + " kW"
			}
			return e.ID + " " + what + " " + hhmm(e.Start, m.loc()) + "–" + hhmm(e.End, m.loc()) + " · " + word
		}
	}
	return ""
}

// kindText is a DR event kind in words.
func (m *Model) kindText(k feeds.EventKind) string {
	if k == feeds.EventImportCap {
		return m.tr.t("import cap")
	}
	return m.tr.t(string(k))
}
