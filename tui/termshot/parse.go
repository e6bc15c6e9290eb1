package termshot

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Limits on the grid Parse builds; a capture of a real terminal is far
// below them, and they keep hostile input from allocating without bound.
const (
	MaxCols = 512
	MaxRows = 256
	tabStop = 8
	// maxParams bounds the bytes kept from one CSI sequence.
	maxParams = 256
)

// ErrTooLarge is returned when the input would need a grid beyond MaxCols
// by MaxRows.
var ErrTooLarge = errors.New("termshot: screen too large")

// parser holds the cursor and the pen while Parse walks the input.
type parser struct {
	width   *runewidth.Condition
	scr     *Screen
	row     int
	col     int
	pen     Style
	lastRow int // position of the last written base cell, for zero-width runes
	lastCol int
}

// Parse reads terminal output as `tmux capture-pane -e -p` prints it: text,
// newlines and SGR escape sequences. Other escape sequences are skipped and
// counted in Stats; bytes that are not valid UTF-8 become U+FFFD. The only
// error is ErrTooLarge.
func Parse(ansiText []byte) (*Screen, error) {
	p := &parser{
		// Cells are measured the way the dashboard's terminal measures them:
		// East Asian ambiguous characters (box drawing, ±, ...) are one
		// cell, wide CJK two.
		width:   &runewidth.Condition{EastAsianWidth: false},
		scr:     &Screen{},
		lastRow: -1,
	}
	b := ansiText
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 0x1b:
			i = p.escape(b, i)
		case c == '\n':
			p.touchRow()
			p.row++
			p.col = 0
			i++
		case c == '\r':
			p.col = 0
			i++
		case c == '\t':
			p.col = (p.col/tabStop + 1) * tabStop
			i++
		case c < 0x20 || c == 0x7f:
			p.scr.Stats.Controls++
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				p.scr.Stats.Malformed++
			}
			if err := p.put(r); err != nil {
				return nil, fmt.Errorf("byte %d: %w", i, err)
			}
			i += n
		}
		if p.row >= MaxRows {
			return nil, fmt.Errorf("byte %d: line %d: %w (limit %d rows)", i, p.row+1, ErrTooLarge, MaxRows)
		}
	}
	return p.scr, nil
}

// touchRow makes sure the cursor's row exists, so an empty line still
// counts as a row.
func (p *parser) touchRow() {
	for len(p.scr.Rows) <= p.row {
		p.scr.Rows = append(p.scr.Rows, nil)
	}
}

// put writes the rune r at the cursor with the current pen.
func (p *parser) put(r rune) error {
	if r >= 0x80 && r <= 0x9f {
		// C1 controls have no glyph and no cell.
		p.scr.Stats.Controls++
		return nil
	}
	w := p.width.RuneWidth(r)
	if w == 0 {
		// Combining marks, variation selectors, ZWJ: they belong to the
		// previous character's cell.
		if p.lastRow >= 0 && p.lastRow < len(p.scr.Rows) && p.lastCol < len(p.scr.Rows[p.lastRow]) {
			cell := &p.scr.Rows[p.lastRow][p.lastCol]
			cell.Text += string(r)
			return nil
		}
		p.scr.Stats.Controls++
		return nil
	}
	if p.col+w > MaxCols {
		return fmt.Errorf("line %d: %w (limit %d columns)", p.row+1, ErrTooLarge, MaxCols)
	}
	p.touchRow()
	line := p.scr.Rows[p.row]
	for len(line) < p.col+w {
		line = append(line, Cell{Width: 1})
	}
	// Overwriting half of an earlier wide character blanks its other half,
	// as a terminal does.
	p.clearWide(line, p.col)
	if w == 2 {
		p.clearWide(line, p.col+1)
	}
	line[p.col] = Cell{Text: string(r), Width: w, Style: p.pen}
	if w == 2 {
		line[p.col+1] = Cell{Width: 0, Style: p.pen}
	}
	p.scr.Rows[p.row] = line
	p.lastRow, p.lastCol = p.row, p.col
	p.col += w
	if len(line) > p.scr.Cols {
		p.scr.Cols = len(line)
	}
	return nil
}

// clearWide blanks the partner of a wide character when one half of it is
// about to be overwritten.
func (p *parser) clearWide(line []Cell, col int) {
	switch line[col].Width {
	case 2:
		if col+1 < len(line) {
			line[col+1] = Cell{Width: 1, Style: line[col+1].Style}
		}
	case 0:
		if col > 0 {
			line[col-1] = Cell{Width: 1, Style: line[col-1].Style}
		}
	}
}

// escape consumes the escape sequence starting at b[i] (an ESC) and
// returns the index just past it.
func (p *parser) escape(b []byte, i int) int {
	if i+1 >= len(b) {
		p.scr.Stats.Malformed++
		return len(b)
	}
	switch b[i+1] {
	case '[':
		return p.csi(b, i+2)
	case ']', 'P', '_', '^', 'X':
		return p.stringSeq(b, i+2, b[i+1] == ']')
	}
	// ESC, intermediates (0x20-0x2F), final (0x30-0x7E): charset selection
	// and the like.
	j := i + 1
	for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
		j++
	}
	if j < len(b) && b[j] >= 0x30 && b[j] <= 0x7e {
		p.scr.Stats.IgnoredSequences++
		return j + 1
	}
	p.scr.Stats.Malformed++
	return j
}

// csi consumes a control sequence whose parameters start at b[i] and
// applies it if it is SGR.
func (p *parser) csi(b []byte, i int) int {
	start := i
	for i < len(b) && b[i] >= 0x30 && b[i] <= 0x3f {
		i++
	}
	params := b[start:i]
	inter := i
	for i < len(b) && b[i] >= 0x20 && b[i] <= 0x2f {
		i++
	}
	if i >= len(b) || b[i] < 0x40 || b[i] > 0x7e {
		// Broken sequence: drop what was read, resume at the offending byte
		// so the text after it survives.
		p.scr.Stats.Malformed++
		return i
	}
	final := b[i]
	switch {
	case final != 'm' || inter != i || (len(params) > 0 && params[0] >= 0x3c):
		p.scr.Stats.IgnoredSequences++ // not SGR, or a private variant of it
	case len(params) > maxParams:
		p.scr.Stats.Malformed++
	default:
		p.sgr(params)
	}
	return i + 1
}

// stringSeq skips an OSC, DCS, APC, PM or SOS string up to its terminator
// (ST, or BEL for OSC).
func (p *parser) stringSeq(b []byte, i int, bel bool) int {
	for ; i < len(b); i++ {
		if bel && b[i] == 0x07 {
			p.scr.Stats.IgnoredSequences++
			return i + 1
		}
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
			p.scr.Stats.IgnoredSequences++
			return i + 2
		}
	}
	p.scr.Stats.Malformed++
	return len(b)
}
