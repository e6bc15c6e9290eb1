package termshot

import (
	"os"
	"testing"
)

// TestCaptureBordersStayInColumn renders rows of a real capture whose
// braille chart sits between box borders: every row's borders land in the
// same cell columns and are drawn there, however many fallback-font
// braille cells precede them.
func TestCaptureBordersStayInColumn(t *testing.T) {
	needFonts(t)
	data, err := os.ReadFile("testdata/chart-rows.ansi")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Cols != 160 || len(s.Rows) != 7 {
		t.Fatalf("grid %dx%d, want 160x7", s.Cols, len(s.Rows))
	}
	braille := 0
	var borders []int // columns holding │ or ┤ in every row
	for c := 0; c < s.Cols; c++ {
		all := true
		for r := range s.Rows {
			if txt := s.At(r, c).Text; txt != "│" && txt != "┤" {
				all = false
			}
		}
		if all {
			borders = append(borders, c)
		}
	}
	for r := range s.Rows {
		for c := 0; c < s.Cols; c++ {
			if txt := s.At(r, c).Text; txt != "" && []rune(txt)[0] >= 0x2800 && []rune(txt)[0] <= 0x28ff {
				braille++
			}
		}
	}
	if braille < 20 {
		t.Fatalf("only %d braille cells; the excerpt should hold the chart", braille)
	}
	// Outer frame, chart axis, and the chart box's right edge after the braille.
	if len(borders) < 3 || borders[len(borders)-1] < 100 {
		t.Fatalf("border columns %v, want 3 common to all rows, the last right of the chart", borders)
	}
	o := testOpts()
	m := geometry(t, o)
	img, stats, err := Draw(s, o)
	if err != nil {
		t.Fatal(err)
	}
	if stats.MissingGlyphs != 0 || stats.Malformed != 0 {
		t.Errorf("stats %+v", stats)
	}
	for _, c := range borders {
		// The vertical stroke is unbroken from the top of row 0 to the
		// bottom of the last row, inside column c.
		found := false
		for x := m.originX + c*m.cellW; x < m.originX+(c+1)*m.cellW && !found; x++ {
			found = true
			for y := m.originY; y < m.originY+len(s.Rows)*m.cellH; y++ {
				if img.RGBAAt(x, y) == DarkTheme().Background {
					found = false
					break
				}
			}
		}
		if !found {
			t.Errorf("no unbroken border stroke inside column %d", c)
		}
	}
}
