package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/term"
)

// auditHeader is the audit table's header row, its times in zone, which
// both time columns name ("TIME (UTC)", "DATA TIME (UTC)"): a DATA TIME
// without it read 15:04 where the desk had shown 23:04, with nothing to
// say why. TIME is when the record was written (wall time); DATA TIME the simulated or replayed time the desk
// showed then, for records that have one (adapters.Record.DataTS).
func auditHeader(zone string) []string {
	return []string{"SEQ", "TIME (" + zone + ")", "DATA TIME (" + zone + ")", "KIND", "OPERATOR", "CHARGER", "SETPOINT", "KW", "STATUS", "APPLIED", "EVENT", "REASON", "DETAIL"}
}

// Columns of the audit table that fitting may change: left out when no row
// has a value (optional), or cut short (shrinkable, in the order they give
// up their room, each down to its floor).
const (
	colSeq, colTime, colData, colKind, colOperator = 0, 1, 2, 3, 4
	colCharger, colSetpoint, colKW, colStatus      = 5, 6, 7, 8
	colApplied, colEvent, colReason, colDetail     = 9, 10, 11, 12
	auditGap                                       = 2 // spaces between columns
	// The floors: a cut reason or detail still names what it is about,
	// and a cut setpoint id keeps its event and its charger (cutMiddle).
	textFloor, setpointFloor = 16, 16
)

// auditWidth is the width the audit table must fit: the terminal's when
// stdout is one, 0 (no limit) when it is piped or --wide asks for every
// value whole.
func auditWidth(stdout io.Writer, wide bool) int {
	f, ok := fileOf(stdout)
	if wide || !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil || w <= 0 {
		return 0
	}
	return w
}

// auditFit is what fitting the table left out or cut short, for the note
// that says so.
type auditFit struct {
	dropped []string // headers of columns without a value, left out
	cut     int      // values cut short with …
}

// writeAuditTable writes rows (each as header's columns, "-" for no
// value) under the header, aligned. With width > 0 (a terminal) the table
// is fitted to it: columns without a value in any row are left out, then
// DETAIL, REASON and SETPOINT are cut short with … down to their floors.
// A table still wider than width (a journal of setpoints and sessions at 80
// columns) becomes a block per record (writeAuditRecords). With width 0
// every value is written whole (a pipe, a file, --wide), which scripts rely
// on.
func writeAuditTable(w io.Writer, header []string, rows [][]string, width int) (auditFit, error) {
	var fit auditFit
	keep := make([]bool, len(header))
	for c := range keep {
		keep[c] = true
	}
	// DATA TIME is there only when a record has one (written on a
	// simulated or replayed day): a live desk's journal, or one written
	// before data times, reads as it always did, piped or not.
	keep[colData] = false
	for _, r := range rows {
		if r[colData] != "-" {
			keep[colData] = true
			break
		}
	}
	if width > 0 {
		for c := range header {
			if c == colSeq || c == colTime || c == colKind || !keep[c] {
				continue
			}
			empty := true
			for _, r := range rows {
				if r[c] != "-" {
					empty = false
					break
				}
			}
			if empty && len(rows) > 0 {
				keep[c] = false
				fit.dropped = append(fit.dropped, header[c])
			}
		}
		var fits bool
		if fit.cut, fits = fitColumns(header, rows, keep, width); !fits {
			fit.cut = writeAuditRecords(w, header, rows, keep, width)
			return fit, nil
		}
	}
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for c, s := range r {
			widths[c] = max(widths[c], cellWidth(s))
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(alignedLine(header, widths, keep))
	for _, r := range rows {
		bw.WriteString(alignedLine(r, widths, keep))
	}
	if err := bw.Flush(); err != nil {
		return fit, fmt.Errorf("audit table: %w", err)
	}
	return fit, nil
}

// alignedLine is the cells of a row that keep keeps, each but the last
// padded to its column's width (in cells, widths) and the gap between
// columns, and a newline: the table text/tabwriter wrote, which counts
// runes and so set the columns after a Chinese reason out of line.
func alignedLine(cells []string, widths []int, keep []bool) string {
	last := len(keep) - 1
	for last > 0 && !keep[last] {
		last--
	}
	var b strings.Builder
	for c, s := range cells {
		if !keep[c] {
			continue
		}
		if c < last {
			s = padCells(s, widths[c]+auditGap)
		}
		b.WriteString(s)
	}
	b.WriteByte('\n')
	return b.String()
}

// fitColumns cuts the shrinkable columns of rows (kept by keep) until the
// table fits width, and returns how many values it cut; DETAIL gives up its
// room first, then REASON, then SETPOINT. When the table cannot fit with
// each at its floor it cuts nothing and reports that it does not fit.
func fitColumns(header []string, rows [][]string, keep []bool, width int) (cut int, fits bool) {
	widths := make([]int, len(header))
	total := -auditGap
	for c := range header {
		if !keep[c] {
			continue
		}
		widths[c] = cellWidth(header[c])
		for _, r := range rows {
			widths[c] = max(widths[c], cellWidth(r[c]))
		}
		total += widths[c] + auditGap
	}
	limit := make([]int, len(header))
	copy(limit, widths)
	for _, s := range []struct{ col, floor int }{{colDetail, textFloor}, {colReason, textFloor}, {colSetpoint, setpointFloor}} {
		if total <= width {
			break
		}
		if !keep[s.col] || widths[s.col] <= s.floor {
			continue
		}
		give := min(total-width, widths[s.col]-s.floor)
		limit[s.col] -= give
		total -= give
	}
	if total > width {
		return 0, false
	}
	for _, r := range rows {
		for _, c := range []int{colDetail, colReason, colSetpoint} {
			if !keep[c] || cellWidth(r[c]) <= limit[c] {
				continue
			}
			if c == colSetpoint {
				r[c] = cutMiddle(r[c], limit[c])
			} else {
				r[c] = cutEnd(r[c], limit[c])
			}
			cut++
		}
	}
	return cut, true
}

// writeAuditRecords writes rows as a block per record, for a terminal too
// narrow for the table: a line of the record's sequence number, time, kind,
// operator and event, aligned with the other records' (a header above), then
// indented lines of what the record has of the rest: charger, setpoint,
// powers and status on one line, the reason and the detail on theirs. Every
// line is cut to width; it returns how many were. Operator and event are
// left out of the first line when keep leaves them out of the table, as the
// note on stderr then says; the event goes first in the block when the
// first line has no room for it whole.
func writeAuditRecords(w io.Writer, header []string, rows [][]string, keep []bool, width int) int {
	var head []int
	for _, c := range []int{colSeq, colTime, colData, colKind, colOperator, colEvent} {
		if keep[c] {
			head = append(head, c)
		}
	}
	widths := make([]int, len(header))
	for _, c := range head {
		widths[c] = cellWidth(header[c])
		for _, r := range rows {
			widths[c] = max(widths[c], cellWidth(r[c]))
		}
	}
	// The event last on the first line, unless that line has no room
	// for it whole: with DATA TIME at 80 columns "T-F10-1835" read
	// "T-F…". It then goes first in the record's block.
	eventInBlock := false
	if n := len(head); n > 0 && head[n-1] == colEvent {
		total := 0
		for _, c := range head {
			total += widths[c] + auditGap
		}
		if total-auditGap > width {
			head, eventInBlock = head[:n-1], true
		}
	}
	cut := 0
	say := func(s string) {
		if cellWidth(s) > width {
			s = cutEnd(s, width)
			cut++
		}
		fmt.Fprintln(w, s)
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range head {
			if i > 0 {
				b.WriteString(strings.Repeat(" ", auditGap))
			}
			b.WriteString(cells[c])
			if i < len(head)-1 {
				b.WriteString(strings.Repeat(" ", widths[c]-cellWidth(cells[c])))
			}
		}
		say(b.String())
	}
	const indent = "     "
	line(header)
	for _, r := range rows {
		line(r)
		// What became of the setpoint first; its id, the longest, last, on
		// a line of its own when the line has no room for it, and cut in
		// the middle if that has none either (cutMiddle).
		var what []string
		if eventInBlock && r[colEvent] != "-" {
			what = append(what, "event "+r[colEvent])
		}
		for _, c := range []int{colStatus, colApplied, colKW, colCharger} {
			if !keep[c] || r[c] == "-" {
				continue
			}
			switch c {
			case colApplied:
				// With the unit the table's header gives: the block
				// read "applied -1.26", and "kw 7.00" for the power asked.
				what = append(what, "applied "+r[c]+" kW")
			case colKW:
				what = append(what, "asked "+r[c]+" kW")
			default:
				what = append(what, strings.ToLower(header[c])+" "+r[c])
			}
		}
		if sp := r[colSetpoint]; keep[colSetpoint] && sp != "-" {
			whole := "setpoint " + sp
			switch room := width - cellWidth(indent+strings.Join(what, " · ")+" · "); {
			case len(what) == 0 || cellWidth(whole) <= room:
				what = append(what, whole)
			default:
				say(indent + strings.Join(what, " · "))
				what = []string{whole}
				if room := width - cellWidth(indent+"setpoint "); cellWidth(sp) > room && room >= setpointFloor {
					what, cut = []string{"setpoint " + cutMiddle(sp, room)}, cut+1
				}
			}
		}
		if len(what) > 0 {
			say(indent + strings.Join(what, " · "))
		}
		if r[colReason] != "-" {
			say(indent + "reason: " + r[colReason])
		}
		if r[colDetail] != "-" {
			say(indent + "detail: " + r[colDetail])
		}
	}
	return cut
}

// note is what fitting cut short or left out, a line each, or "".
func (f auditFit) note(width int) string {
	var lines []string
	if f.cut > 0 {
		values := "values"
		if f.cut == 1 {
			values = "value"
		}
		lines = append(lines, fmt.Sprintf("%d %s cut short with … to fit %d columns; --wide or --json shows them whole", f.cut, values, width))
	}
	if len(f.dropped) > 0 {
		lines = append(lines, "columns without a value left out (--wide shows them): "+strings.Join(f.dropped, ", "))
	}
	// Each sentence within the terminal's width, broken between words:
	// the terminal broke the list of columns left out mid-word at 80. The
	// list comes last, so it is what breaks, between column names.
	for i, l := range lines {
		lines[i] = wrapWords(l, width)
	}
	return strings.Join(lines, "\n")
}

// wrapWords breaks s into lines of at most width cells between words (a
// word longer than width keeps a line of its own); width 0 leaves s whole.
func wrapWords(s string, width int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := cellWidth(w)
		switch {
		case n == 0:
		case n+1+wl > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += wl
	}
	return b.String()
}
