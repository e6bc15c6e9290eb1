package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// viewNames are the top-level views in tab order (translated on display).
var viewNames = [numViews]string{"Overview", "Feeders", "Chargers", "Alarms", "Events"}

// View renders the whole screen: header, tab line, body, footer. Every line
// is exactly the terminal's width, so borders meet whatever the language.
func (m *Model) View() string {
	if !m.sized {
		return "" // the first WindowSizeMsg has not come yet
	}
	if m.w < minWidth || m.h < minHeight {
		return m.tooSmall()
	}
	lines := make([]string, 0, m.h)
	lines = append(lines, m.headerLine(), m.tabLine())
	// The footer first: a message too long for its line takes a second,
	// from the body.
	footer := m.footerLines()
	lines = append(lines, m.body(m.w, max(0, m.bodyRows()+1-len(footer)))...)
	lines = append(lines, footer...)
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
	// The shared alarm list may have changed since the last Update: the
	// mark is drawn on what the next key will act on.
	m.follow(p)
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
	if m.loading() {
		msg = fmt.Sprintf(m.tr.t("loading %s…"), m.opts.Loading)
	}
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
// A terminal that reports no size at all (0x0: `ssh -tt` from a pipe) gets
// the message unpadded: there is no width to centre it in, and an empty
// screen would leave the operator guessing.
func (m *Model) tooSmall() string {
	msg := []string{
		m.tr.t("terminal too small"),
		fmt.Sprintf("%d×%d < %d×%d", m.w, m.h, minWidth, minHeight),
		m.tr.t("q quit"),
	}
	if m.w <= 0 || m.h <= 0 {
		return strings.Join(msg, "\n")
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
		// Cut, not padded: a title cut between fields ("≤ 1,450 kW …")
		// is shorter than its room, and the edge's line runs on after it.
		t = " " + truncateWhole(clean(title), w-6) + " "
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
