package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

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
	clocks := m.headerClocks(now)
	plain := m.badge(clocks[len(clocks)-1].text)

	feedLong, feedWorded, feedShort, feedTiny := m.withJournalMark(m.feedHealth())
	op := ""
	if m.opts.Operator != "" {
		op = m.opts.Operator
		if m.opts.Role != "" {
			op += " (" + m.tr.t(m.opts.Role) + ")"
		}
	}
	opLong, opShort, opName := op, op, m.opts.Operator
	if others := m.othersOnline(m.opts.Operator + " (" + m.opts.Role + ")"); len(others) > 0 {
		opLong = op + " · " + m.tr.t("with") + " " + strings.Join(others, ", ")
		opShort = fmt.Sprintf("%s +%d", op, len(others))
		opName = fmt.Sprintf("%s +%d", m.opts.Operator, len(others))
	}
	name := st.bold.Render("v2gdesk")
	// A damaged recording's marker is worded, then its glyph alone, then
	// gone, before the feed's health goes (paused and frozen at 80 columns);
	// a replay's date goes before each of them.
	for _, mark := range m.damageMarks() {
		for _, clk := range clocks {
			// A simulation's or a live desk's date is had only where
			// the whole header has room for it: at 80 columns the
			// operator's role and the rate's unit outrank it. A
			// replay's date outranks them (headerClocks).
			whole := clk.dated && m.mode() != feeds.ModeReplay
			if line, ok := m.headerCandidate(m.badge(clk.text)+mark, whole, name, site, zone, feedLong, feedWorded, feedShort, feedTiny, opLong, opShort, opName); ok {
				return " " + line
			}
		}
	}
	for _, mark := range m.damageMarks() {
		if line, ok := headerFit(m.w-1, [][]string{{site, plain + mark}}); ok {
			return " " + line
		}
	}
	return fit(" "+clean(site)+"  "+plain, m.w)
}

// headerCandidate returns the first of the header's forms, from the widest,
// that fits the screen with badge as its mode badge; with whole, only the
// widest, every part in full.
func (m *Model) headerCandidate(badge string, whole bool, name, site, zone, feedLong, feedWorded, feedShort, feedTiny, opLong, opShort, opName string) (string, bool) {
	candidates := wordedRate(feedShort, feedWorded, [][]string{
		{name + " · " + site + opt(zone != "", " · "+zone), badge, feedLong, opLong},
		{name + " · " + site + opt(zone != "", " · "+zone), badge, feedLong, opShort},
		{name + " · " + site, badge, feedLong, opShort},
		{name + " · " + site, badge, feedWorded, opShort},
		// The rate's unit outlives the product's name: at 80 columns
		// the local desk read "8,416/s" to keep "v2gdesk ·".
		{site, badge, feedWorded, opShort},
		{name + " · " + site, badge, feedShort, opShort},
		{site, badge, feedShort, opShort},
		// Who is at this screen, and as what, outlives the site's name (a
		// desk knows its site); then the role goes, the name stays. At 80
		// columns the operator went first, and a shared desk's screen
		// said nothing of whose it was.
		{badge, feedShort, opShort},
		{badge, feedShort, opName},
		{badge, feedTiny, opName},
		// The feed's health outlives the site's name: a desk knows its
		// site, not whether its data still flows.
		{badge, feedShort},
		{badge, feedTiny},
	})
	if whole {
		candidates = candidates[:1]
	}
	return headerFit(m.w-1, candidates)
}

// wordedRate puts before each of the header's candidates showing the feed's
// short form (short) the same candidate with the rate's unit worded
// (worded): "25 fr/s" (zh-CN "25 帧/秒") where it fits, "25/s" only where
// it does not, and the unit is the first thing to give way. At 80 columns
// the header said "0/s" though the wide one says "0 帧/秒" and the line had
// the room.
func wordedRate(short, worded string, candidates [][]string) [][]string {
	out := make([][]string, 0, 2*len(candidates))
	for _, parts := range candidates {
		if i := slices.Index(parts, short); i >= 0 && worded != short {
			w := slices.Clone(parts)
			w[i] = worded
			out = append(out, w)
		}
		out = append(out, parts)
	}
	return out
}

// headerFit returns the first of candidates whose parts fit w cells.
func headerFit(w int, candidates [][]string) (string, bool) {
	for _, parts := range candidates {
		for i := range parts {
			parts[i] = clean(parts[i])
		}
		if line, ok := joinSpread(parts, w); ok {
			return line, true
		}
	}
	return "", false
}

// othersOnline returns who else is connected to a shared desk: the labels
// from Options.Online less one equal to self, this operator's own label as
// the SSH desk writes it ("ana (dispatcher)", untranslated), each with its
// role in this operator's language.
func (m *Model) othersOnline(self string) []string {
	if m.opts.Online == nil {
		return nil
	}
	var others []string
	skipped := false
	for _, l := range m.opts.Online() {
		if !skipped && l == self {
			skipped = true
			continue
		}
		others = append(others, m.onlineLabel(l))
	}
	return others
}

// onlineLabel is an SSH desk's label "bo (viewer)" with the role worded
// in this operator's language; a label of another form is kept as it is.
func (m *Model) onlineLabel(l string) string {
	name, role, ok := strings.Cut(strings.TrimSuffix(l, ")"), " (")
	switch {
	case !ok || !strings.HasSuffix(l, ")"):
		return l
	case role == RoleViewer, role == RoleDispatcher, role == RoleAdmin:
		return name + " (" + m.tr.t(role) + ")"
	}
	return l
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
	switch m.mode() {
	case feeds.ModeReplay:
		b = st.badgeReplay.Render("◆ " + m.tr.t("REPLAY"))
	case feeds.ModeSimulation:
		b = st.badgeSim.Render("◆ " + m.tr.t("SIMULATION"))
	default:
		b = st.badgeLive.Render("● " + m.tr.t("LIVE"))
	}
	if x := m.speed(); x > 0 {
		b += " " + speedText(x)
	}
	b += "  " + clock
	if m.sourcePaused() {
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

// speed is how fast the desk's clock runs, for the badge: the speed of
// its own replay or simulation (Options.Control), or, on a --feed, the one
// the simulator or replay serving it said (Snapshot.FeedSpeed); 0 when
// neither says, as on a live feed or an older server, or once the feed is
// gone (feedGoneSince).
func (m *Model) speed() float64 {
	if c, ok := m.opts.Control.(SpeedSetter); ok {
		return c.Speed()
	}
	if m.latest == nil || m.mode() == feeds.ModeLive {
		return 0
	}
	if _, gone := m.feedGoneSince(); gone {
		// The speed a feed gone for a minute said is not how its clock
		// runs now: the simulator has most likely stopped.
		return 0
	}
	return m.latest.FeedSpeed
}

// feedHealth is the feed part of the header: long, short and tiny forms,
// and worded, the short one with the rate's unit in words.
func (m *Model) feedHealth() (long, worded, short, tiny string) {
	st := m.st
	s := m.latest
	if m.loading() {
		// The file is still on its way to the desk: not a lost link.
		pct := ""
		if r, ok := m.reading(); ok && r.Pct >= 0 {
			pct = fmt.Sprintf(" %d%%", r.Pct)
		}
		w := st.stale.Render("◌ " + fmt.Sprintf(m.tr.t("loading %s…"), m.opts.Loading) + pct)
		return m.tr.t("feed") + " " + w, w, w, st.stale.Render("◌ " + m.tr.t("loading…"))
	}
	if long, worded, short, tiny, ok := m.readingHealth(); ok {
		// A seek waits for a part of the file not read yet.
		return long, worded, short, tiny
	}
	if s == nil {
		w := st.stale.Render("○ " + m.tr.t("no data"))
		return m.tr.t("feed") + " " + w, w, w, w
	}
	if s.Stats.Ended {
		e := m.endedText(s) // no link to report: the source is over
		return e, e, e, e
	}
	up := st.ok.Render("● " + m.tr.t("up"))
	if !s.Stats.Connected {
		up = st.high.Render("○ " + m.tr.t("DOWN"))
	}
	upShort := up
	if n, live, down := m.sourceLinks(); n > 1 && live < n {
		// One of several sources down: the merged link is still up.
		word := fmt.Sprintf(m.tr.t("%d of %d up"), live, n)
		if live == 0 {
			up = st.high.Render("○ " + word)
		} else {
			up = st.warn.Render("◐ " + word)
		}
		upShort = up
		up += " (" + strings.Join(down, ", ") + " " + m.tr.t("down") + ")"
	}
	age := "—"
	if !s.Stats.LastFrame.IsZero() {
		age = m.ago(m.pauseAge.age(m.now(), s.Stats.LastFrame, m.sourcePaused()))
	}
	rej := s.Stats.RejectTotal()
	rejText := thousands(int64(rej))
	if rej > 0 {
		rejText = st.warn.Render(rejText)
	}
	rate := s.Stats.FramesPerSec
	if m.now().Sub(s.Stats.LastFrame) > feeds.RateWindow {
		// Nothing for a whole window (paused, or silent): the snapshot's
		// rate is from before; the feed delivers nothing now.
		rate = 0
	}
	fps := thousands(int64(rate + 0.5))
	long = m.tr.t("feed") + " " + up + " · " + fps + " " + m.tr.t("fr/s") + " · " +
		m.tr.t("age") + " " + age + " · " + m.tr.t("rejects") + " " + rejText
	if n := s.Stats.BadCatchUps; n > 0 {
		// catch_up signals ignored (docs/protocol.md, Catch-up): beside the
		// rejects, where a server that signals wrongly shows.
		long += " · " + m.tr.t("bad catch-ups") + " " + st.warn.Render(thousands(int64(n)))
	}
	if n := s.Stats.BadPauses; n > 0 {
		// pause signals ignored (docs/protocol.md, Pause), as for catch_up.
		long += " · " + m.tr.t("bad pauses") + " " + st.warn.Render(thousands(int64(n)))
	}
	if n := s.Stats.Conflations; n > 0 {
		// The desk fell behind and its server sent it the latest of each
		// charger instead of every frame (docs/protocol.md, Conflated):
		// its figures are whole, but frames were left out.
		long += " · " + st.warn.Render(plural(s.Stats.ConflatedFrames, m.tr.t("behind: conflated %s× (%s frame left out)"), m.tr.t("behind: conflated %s× (%s frames left out)"),
			thousands(int64(n)), thousands(int64(s.Stats.ConflatedFrames))))
	}
	if n := s.Stats.BadConflations; n > 0 {
		long += " · " + m.tr.t("bad conflations") + " " + st.warn.Render(thousands(int64(n)))
	}
	tail := " · " + age + " · " + m.tr.t("rej") + " " + rejText
	worded = upShort + " " + fps + " " + m.tr.t("fr/s") + tail
	short = upShort + " " + fps + "/s" + tail
	if m.sourcePaused() {
		// Paused, the snapshot's rate is the last frames' for up to a
		// window (5 s): a rate the paused source is not delivering. The
		// rate goes; the badge beside the stopped clock says paused (every
		// header form keeps it), where a second "paused" here read
		// "❚❚ 已暂停 ● 已连接 已暂停" at 80 columns.
		long = m.tr.t("feed") + " " + up + " · " + m.tr.t("age") + " " + age + " · " + m.tr.t("rejects") + " " + rejText
		worded = upShort + tail
		short = worded
	}
	tiny = upShort + " · " + age // is data flowing, and how old is it
	return long, worded, short, tiny
}

// sourcePaused reports whether the data source is paused: the desk's own
// replay or simulation (Options.Control), or, on a --feed, the simulator
// or replay serving it, which says so in the stream (Snapshot.Paused).
func (m *Model) sourcePaused() bool {
	if c, ok := m.opts.Control.(Pauser); ok && c.Paused() {
		return true
	}
	return m.latest != nil && m.latest.Paused
}

// loading reports whether a replay's recording (Options.Loading) is still
// on its way: the source has delivered nothing yet, nor ended.
func (m *Model) loading() bool {
	if m.opts.Loading == "" {
		return false
	}
	s := m.latest
	return s == nil || (s.Stats.LastFrame.IsZero() && !s.Stats.Ended)
}

// sourceLinks counts the telemetry sources of a merged desk and those up,
// and names those down; n is 0 without Options.Sources.
func (m *Model) sourceLinks() (n, up int, down []string) {
	if m.opts.Sources == nil {
		return 0, 0, nil
	}
	for _, l := range m.opts.Sources() {
		n++
		if l.Up {
			up++
		} else {
			down = append(down, l.Name)
		}
	}
	return n, up, down
}

// tabLine: the views with alarm and event counts, and breadcrumbs.
//
// The trail's last part, the page the operator is on (a charger's or an
// event's id, a filter), is never cut: at 64 columns the tab line read
// "5 Events ◌1  …" on DR-17's page. Where it does not fit beside the tabs
// the trail's higher levels go first (fitCrumbs), then the tabs other than
// the one in view give up their names, the last first ("4 ▲7  5 Events ◌1
// Events › DR-17": the number keys still go there), and a trail that is
// only the view's own name, which its tab already says, goes whole.
func (m *Model) tabLine() string {
	parts := m.crumbParts()
	last := parts[len(parts)-1]
	named := [numViews]bool{}
	for v := range named {
		named[v] = true
	}
	left := m.tabs(named)
	// The room spread leaves right of the tabs: a gap of one cell, and
	// the trail's own trailing space.
	room := func() int { return m.w - 1 - width(left) - 2 }
	crumbs := fitCrumbs(parts, room())
	whole := func() bool { return strings.HasSuffix(crumbs, last) }
	if !whole() && (len(m.stack) > 1 || m.page().filter != "") {
		for v := numViews - 1; v >= 0 && !whole(); v-- {
			if viewID(v) == m.stack[0].view {
				continue
			}
			named[v] = false
			left = m.tabs(named)
			crumbs = fitCrumbs(parts, room())
		}
	}
	if crumbs == "" || !whole() {
		return " " + fit(left, m.w-1)
	}
	return " " + spread(left, m.st.crumb.Render(crumbs)+" ", m.w-1)
}

// tabs is the tab line's tabs, each view's number, its name where named
// says so, and its counts.
func (m *Model) tabs(named [numViews]bool) string {
	st := m.st
	b := m.alarms.Board()
	var tabs []string
	for v := range numViews {
		// The count's glyph carries its own colour, so it is appended after
		// the tab's style is applied: lipgloss underlines rune by rune and
		// would cut an escape sequence inside the label in pieces.
		style := st.tab
		if viewID(v) == m.stack[0].view {
			style = st.tabActive
		}
		label := strconv.Itoa(int(v) + 1)
		if named[v] {
			label += " " + m.tr.t(viewNames[v])
		}
		tab := style.Render(label)
		switch viewID(v) {
		case viewAlarms:
			if n := b.Counts.Unack; n > 0 {
				// The glyph of the worst of those counted: a returned,
				// unacknowledged HIGH is still a ▲ to acknowledge, not ✓.
				tab += " " + m.sevGlyph(b.Counts.HighestUnack) + style.Render(thousands(int64(n)))
			}
		case viewEvents:
			inForce, waiting := m.activeEvents()
			if inForce > 0 {
				tab += " " + style.Render("●"+thousands(int64(inForce)))
			}
			if waiting > 0 {
				// In the warning style: a decision is due, and nothing
				// is being done about the event until it is taken.
				tab += " " + m.st.warn.Render("◌"+thousands(int64(waiting)))
			}
		}
		tabs = append(tabs, tab)
	}
	return strings.Join(tabs, "  ")
}

// crumbs is the breadcrumb trail of the navigation stack, whole.
func (m *Model) crumbs() string { return strings.Join(m.crumbParts(), crumbSep) }

// crumbParts are the parts of the breadcrumb trail, each cleaned of
// control characters (a filter is typed text).
func (m *Model) crumbParts() []string {
	parts := []string{m.tr.t(viewNames[m.stack[0].view])}
	for _, p := range m.stack {
		switch p.kind {
		case pageList:
		case pageTriage:
			parts = append(parts, m.tr.t("Triage"))
		case pageEventForm:
			// As the form's title says: editing DR-17 read "Events ›
			// DR-17 › new DR event" above "edit DR event DR-17".
			label := m.tr.t("new DR event")
			if m.form != nil && m.form.replaces != "" {
				label = m.tr.t("edit DR event")
			}
			parts = append(parts, label)
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
	for i, p := range parts {
		parts[i] = clean(p)
	}
	return parts
}

// activeEvents counts DR events in force at the snapshot's time, and
// waiting, those within their window still waiting for a dispatcher's
// decision. An event the desk dispatches is in force while it is active,
// its hand-back after the window included; one still pending is not,
// whatever its window says: nothing has been sent for it (a pending
// preview counted, and the tab read "●2" over one event sent and one not).
// A feed's event the desk does not dispatch is in force within its window.
func (m *Model) activeEvents() (inForce, waiting int) {
	if m.snap == nil {
		return 0, 0
	}
	for _, e := range m.events() {
		inWindow := !m.snap.At.Before(e.Start) && m.snap.At.Before(e.End)
		switch {
		case e.dr == nil:
			if inWindow {
				inForce++
			}
		case e.dr.State == control.StateActive:
			inForce++
		case e.dr.State == control.StatePending && inWindow:
			waiting++
		}
	}
	return inForce, waiting
}
