package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// column is one table column. Widths are in cells; a flex column takes the
// width left over; columns with a larger drop are left out first when the
// table is too narrow (0: never). A column with a least width (least > 0,
// the widest of its title and cells) gives up its padding down to it when
// the table is still too wide with every droppable column left out, so the
// columns after it are not cut at the table's edge. A column with a yield
// rank (yield > 0) is left out, larger rank first, when the table is still
// too wide after that: its cells matter less than the last column's whole
// text (the events list's kind gives way to its state and that state's
// time).
type column struct {
	title string
	w     int
	right bool
	flex  bool
	drop  int
	least int
	yield int
}

// cursorMark marks the selected row in every colour profile, so selection
// is never shown by reverse video alone.
const cursorMark = "▸ "

// layoutColumns fits cols into w cells (after the cursor mark), dropping
// columns by their drop rank, then narrowing those with a least width, then
// leaving out those with a yield rank, and sharing spare width among flex
// columns.
// The result says which of the original columns survive.
func layoutColumns(cols []column, w int) (out []column, keep []int) {
	w -= width(cursorMark)
	keep = make([]int, len(cols))
	for i := range keep {
		keep[i] = i
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = c.w
	}
	// dropRanked drops, while the kept columns are too wide, the one of
	// highest rank (0: never), first of equals first.
	dropRanked := func(rank func(column) int) {
		for keptWidth(keep, widths) > w {
			worst, at := 0, -1
			for j, i := range keep {
				if r := rank(cols[i]); r > worst {
					worst, at = r, j
				}
			}
			if at < 0 {
				break
			}
			keep = append(keep[:at], keep[at+1:]...)
		}
	}
	dropRanked(func(c column) int { return c.drop })
	// Still too wide: the columns that may narrow give up their padding,
	// in order, rather than the last column losing its tail (an earlier
	// pass's "↶ EARLIER PASS" beside an overnight window at 80 columns).
	for _, i := range keep {
		over := keptWidth(keep, widths) - w
		if over <= 0 {
			break
		}
		if l := cols[i].least; l > 0 && l < widths[i] {
			widths[i] -= min(over, widths[i]-l)
		}
	}
	dropRanked(func(c column) int { return c.yield })
	out = make([]column, len(keep))
	flex := 0
	for j, i := range keep {
		out[j] = cols[i]
		out[j].w = widths[i]
		if cols[i].flex {
			flex++
		}
	}
	spare := w - keptWidth(keep, widths)
	if spare > 0 {
		for j := range out {
			if out[j].flex && flex > 0 {
				add := spare / flex
				out[j].w += add
				spare -= add
				flex--
			}
		}
	}
	return out, keep
}

// keptWidth is the width of the kept columns at the widths given (by the
// columns' original index), with a space between each two.
func keptWidth(keep []int, widths []int) int {
	t := 0
	for _, i := range keep {
		t += widths[i]
	}
	return t + len(keep) - 1
}

// tableHeader renders the column titles.
func (m *Model) tableHeader(cols []column, w int) string {
	var b strings.Builder
	b.WriteString("  ")
	for j, c := range cols {
		if j > 0 {
			b.WriteByte(' ')
		}
		if c.right {
			b.WriteString(fitR(c.title, c.w))
		} else {
			b.WriteString(fit(c.title, c.w))
		}
	}
	return m.st.header.Render(fit(b.String(), w))
}

// tableRow renders one row of cells (already chosen by keep) with the
// cursor mark when selected.
func (m *Model) tableRow(cols []column, cells []string, selected bool, w int) string {
	var b strings.Builder
	if selected {
		b.WriteString(cursorMark)
	} else {
		b.WriteString("  ")
	}
	for j, c := range cols {
		if j > 0 {
			b.WriteByte(' ')
		}
		s := ""
		if j < len(cells) {
			s = cells[j]
		}
		if c.right {
			b.WriteString(fitR(s, c.w))
		} else {
			b.WriteString(fit(s, c.w))
		}
	}
	line := fit(b.String(), w)
	if selected {
		// Inner styles end with a reset that would cut the reverse video
		// short; the selected row is one style, its words and glyphs stay.
		return m.st.selected.Render(ansi.Strip(line))
	}
	return line
}

// scroll keeps the cursor within [0, n) and visible in a window of rows.
func scroll(p *page, n, rows int) {
	if n <= 0 {
		p.cursor, p.offset = 0, 0
		return
	}
	p.cursor = max(0, min(p.cursor, n-1))
	if rows <= 0 {
		return
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+rows {
		p.offset = p.cursor - rows + 1
	}
	p.offset = max(0, min(p.offset, n-rows))
}

// pick returns the cells of the kept columns.
func pick(cells []string, keep []int) []string {
	out := make([]string, len(keep))
	for j, i := range keep {
		if i < len(cells) {
			out[j] = cells[i]
		}
	}
	return out
}

// rangeText says which rows are visible, "1–20 of 100,000", and the
// filter that chose them: the breadcrumb that also shows it is the first
// thing a narrow header drops.
func (m *Model) rangeText(p *page, n, rows int) string {
	s := m.tr.t("none")
	if n > 0 {
		last := min(p.offset+rows, n)
		s = thousands(int64(p.offset+1)) + "–" + thousands(int64(last)) + " " + m.tr.t("of") + " " + thousands(int64(n))
	}
	if p.filter != "" {
		s += " · " + m.tr.t("filter") + " " + clean(p.filter)
	}
	return s
}
