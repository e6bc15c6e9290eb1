package docstest

import (
	"slices"
	"strings"
	"testing"
)

// Row is a row of a Markdown table: its cells, trimmed, without the outer
// pipes.
type Row []string

// Table is a Markdown table: its header row and the rows under it.
type Table struct {
	Header Row
	Rows   []Row
}

// Tables returns p's tables in order. A table is a run of lines that
// begin with "|"; its first line is the header and its second, the
// "|---|" line, is left out. A pipe escaped as \| stays in its cell.
func (p Page) Tables() []Table {
	var out []Table
	var cur *Table
	for _, l := range p.lines() {
		text := strings.TrimSpace(l.text)
		if l.isFence || !strings.HasPrefix(text, "|") {
			cur = nil
			continue
		}
		row := cells(text)
		switch {
		case cur == nil:
			out = append(out, Table{Header: row})
			cur = &out[len(out)-1]
		case len(cur.Rows) == 0 && separator(row):
		default:
			cur.Rows = append(cur.Rows, row)
		}
	}
	return out
}

// Rows returns the rows of all p's tables, headers left out.
func (p Page) Rows() []Row {
	var out []Row
	for _, t := range p.Tables() {
		out = append(out, t.Rows...)
	}
	return out
}

// cells splits a table line on its unescaped pipes.
func cells(line string) Row {
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var row Row
	var cell strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			row = append(row, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(line[i])
		}
	}
	return append(row, strings.TrimSpace(cell.String()))
}

// separator reports whether row is a table's |---|:--:| line.
func separator(row Row) bool {
	for _, c := range row {
		if strings.Trim(c, "-: ") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}

// Table returns p's first table whose header begins with the cells
// header ("field", "what it holds"), failing the test when p has none.
func (p Page) Table(t testing.TB, header ...string) Table {
	t.Helper()
	for _, tb := range p.Tables() {
		if len(tb.Header) >= len(header) && slices.Equal(tb.Header[:len(header)], header) {
			return tb
		}
	}
	t.Fatalf("%s has no table headed %q", p.Name, strings.Join(header, " | "))
	return Table{}
}
