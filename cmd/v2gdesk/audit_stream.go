package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// auditRowsHeld is the most rows a table written whole is held for: a
// row is about 1.5 KB held, so 50,000 are some 75 MB. Beyond, the table is
// written on a second pass (auditColumns).
const auditRowsHeld = 50_000

// auditColumns measures the table's columns on a first pass over the
// journal, so that a table written whole (piped, --wide) is written on a
// second pass, row by row, as writeAuditTable's tabwriter aligns it, with
// no row held: a month of a site's journal is millions of rows.
type auditColumns struct {
	header   []string
	widest   []int // in cells, as alignedLine pads
	withData bool  // a row has a DATA TIME
	rows     int   // rows measured
}

func newAuditColumns(header []string) *auditColumns {
	c := &auditColumns{header: header, widest: make([]int, len(header))}
	c.measure(header)
	return c
}

// add measures row.
func (c *auditColumns) add(row []string) {
	c.measure(row)
	c.rows++
	c.withData = c.withData || row[colData] != "-"
}

func (c *auditColumns) measure(row []string) {
	for i, s := range row {
		c.widest[i] = max(c.widest[i], cellWidth(s))
	}
}

// writeAgain writes the header and the rows of the records of f's first
// end bytes that match, as row makes them: the bytes the first pass read,
// whatever has been appended since.
func (c *auditColumns) writeAgain(w io.Writer, f *os.File, end int64, match func(adapters.Record) bool, row func(adapters.Record) []string) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("audit table: %w", err)
	}
	keep := make([]bool, len(c.header))
	for i := range keep {
		keep[i] = i != colData || c.withData
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	line := func(cells []string) { bw.WriteString(alignedLine(cells, c.widest, keep)) }
	line(c.header)
	n := 0
	if _, err := adapters.ScanJournal(io.LimitReader(f, end), func(r adapters.Record) error {
		if match(r) && n < c.rows {
			n++
			line(row(r))
		}
		return nil
	}); err != nil {
		return fmt.Errorf("audit table: read again: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("audit table: %w", err)
	}
	return nil
}
