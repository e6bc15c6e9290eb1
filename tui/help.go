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
	lines := packColumns(cols, w-4, "    ")
	var cmds []string
	cmdWidth := 0
	for _, c := range paletteCommands {
		cmd := fit(":"+c.usage, 19) + " " + m.st.desc.Render(m.tr.t(c.desc))
		cmds = append(cmds, cmd)
		cmdWidth = max(cmdWidth, width(cmd))
	}
	if len(lines)+len(cmds)+4 > h-2 && 2*cmdWidth+2 <= w-4 {
		// Short terminal: the commands in two columns, when two fit side
		// by side whole; narrower, one column that scrolls, as cutting
		// each to its first cells ran one into the next ("open a
		// charger:freeze") at 64 columns.
		half := (len(cmds) + 1) / 2
		cw := cmdWidth + 2
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

// packColumns lays the key groups' columns out in w cells: all in one row
// when they fit; else the first two (moving, views) above the rest, as at
// 80 columns; narrower still, in order, as many side by side as fit, a
// blank line between rows. The two rows were the narrowest it knew: under
// 80 columns the DR keys were cut to "n new DR eve…" at the box's edge.
func packColumns(cols []string, w int, sep string) []string {
	join := func(row []string) string { return lipgloss.JoinHorizontal(lipgloss.Top, interleave(row, sep)...) }
	rows := [][]string{cols}
	if width(join(cols)) > w {
		rows = [][]string{cols[:min(2, len(cols))], cols[min(2, len(cols)):]}
	}
	if slices.ContainsFunc(rows, func(r []string) bool { return width(join(r)) > w }) {
		rows = nil
		var row []string
		for _, c := range cols {
			if len(row) > 0 && width(join(append(slices.Clip(row), c))) > w {
				rows = append(rows, row)
				row = nil
			}
			row = append(row, c)
		}
		rows = append(rows, row)
	}
	var lines []string
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, strings.Split(join(r), "\n")...)
	}
	return lines
}
