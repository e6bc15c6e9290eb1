package tui

import "github.com/charmbracelet/x/ansi"

// A footer notice stays until the next key, and the terminal may be
// resized under it: worded once for the width it appeared at, a notice set
// at 160 columns lost its tail at 80 (the simulator's restart line, the
// seek back's). A notice with a shorter wording keeps both, and the footer
// picks one for its width each time it is drawn (noticeForWidth).

// narrowNotice is the footer notice long's shorter wording, short, for a
// footer of lines lines too narrow for long.
type narrowNotice struct {
	long, short string
	lines       int
}

// setNoticeFit shows long as the notice, worded short on a footer of lines
// lines too narrow for it.
func (m *Model) setNoticeFit(long, short string, lines int) {
	m.setNotice(long)
	m.noticeNarrow = narrowNotice{long: long, short: short, lines: lines}
}

// noticeForWidth is the notice text, the flash, in the wording that fits
// the footer's width now.
func (m *Model) noticeForWidth(text string) string {
	n := m.noticeNarrow
	if n.long == "" || text != n.long || m.w <= 0 {
		return text
	}
	room := m.w - 5 // the footer's " △ " and margin
	if n.lines > 1 {
		room = n.lines * (m.w - 6)
	}
	if ansi.StringWidth(text) > room {
		return n.short
	}
	return text
}

// shortNotice is the shorter wording of notice text, text itself when it
// has none.
func (m *Model) shortNotice(text string) string {
	if n := m.noticeNarrow; n.long != "" && n.long == text {
		return n.short
	}
	return text
}
