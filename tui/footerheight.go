package tui

// FooterHeight is how many of the screen's last lines the footer takes
// now: one, or two while a message too long for one wraps to a second
// (flashLines). A frame that draws over the bottom of the screen (the SSH
// desk's notices, tui/sshd) covers this many lines at least: covering
// only the last, it left the message's first half above the notice, and
// the two read as one sentence of nonsense.
func (m *Model) FooterHeight() int {
	if !m.sized || m.w < minWidth || m.h < minHeight {
		return 1
	}
	return len(m.footerLines())
}
