package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpScreen is `?`: the full key map and the palette commands.
func (m *Model) helpScreen(w, h int) []string {
	groups := m.helpGroups()
	// The footer narrows the key help to leave room for a flash; the
	// help screen's columns have the screen's width (they were cut to
	// "…" under a long flash). The footer sets its own width again.
	m.help.Width = 0
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
	lines = append(lines, m.helpLegend(w-4)...)
	// Taller than the terminal: it scrolls (j/k, pgup/pgdn), and the last
	// row says there is more, so nothing is silently cut off.
	if inner := h - 2; len(lines) > inner && inner > 1 {
		m.helpOffset = max(0, min(m.helpOffset, len(lines)-(inner-1)))
		more := fmt.Sprintf(m.tr.t("lines %d–%d of %d · j/k scroll"), m.helpOffset+1, m.helpOffset+inner-1, len(lines))
		lines = append(lines[m.helpOffset:m.helpOffset+inner-1:m.helpOffset+inner-1], m.st.dim.Render(more))
	}
	return m.box(m.tr.t("Keys")+" · "+m.tr.t("? or esc to close"), w, h, lines)
}

// helpGroups is the full key list for `?`: every key, also those that do
// nothing here.
func (m *Model) helpGroups() [][]key.Binding {
	k := m.keys.allEnabled()
	if m.opts.Dispatch == nil {
		groups := k.FullHelp()
		return groups[:len(groups)-1] // the DR keys do nothing without a Dispatcher
	}
	// x shelves on the alarms and extends on a hand-back (never both on one
	// page): one row says both, as two "x" rows read as a clash.
	k.Shelve.SetHelp("x", m.tr.t("shelve / extend hand-back"))
	groups := k.FullHelp()
	last := len(groups) - 1
	groups[last] = slices.DeleteFunc(groups[last], func(b key.Binding) bool {
		return b.Help().Key == k.Extend.Help().Key
	})
	return groups
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
