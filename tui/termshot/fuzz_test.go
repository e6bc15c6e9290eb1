package termshot

import (
	"testing"
)

// FuzzParse checks Parse never panics and keeps its grid consistent: every
// wide cell is followed by its continuation, and no row is wider than Cols.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"plain", "\x1b[1;31;48;2;1;2;3mX\x1b[0m", "中文\x1b[38:2::1:2:3m⣿", "\x1b]0;t\x07\x1b[?25l",
		"\x1b[38;5m", "\x1b[48;2;1m", "\x1b", "\x1b[", "a\u0301\tb\r中\rx", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		for r, line := range s.Rows {
			if len(line) > s.Cols {
				t.Fatalf("row %d has %d cells, Cols %d", r, len(line), s.Cols)
			}
			for c, cell := range line {
				if cell.Width == 2 && (c+1 >= len(line) || line[c+1].Width != 0) {
					t.Fatalf("row %d col %d: wide cell without continuation", r, c)
				}
				if cell.Width == 0 && (c == 0 || line[c-1].Width != 2) {
					t.Fatalf("row %d col %d: continuation without wide cell", r, c)
				}
			}
		}
	})
}

// FuzzRender checks that drawing whatever Parse accepts never panics and
// gives an image of the grid's size.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"a\x1b[7;38;5;196m⣿\x1b[0m中╭─╮", "\x1b[4;2m▁▂▃█\U00013000", "\t\t│\n│"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		needFonts(t)
		s, err := Parse(b)
		if err != nil {
			return
		}
		o := testOpts()
		img, _, err := Draw(s, o)
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() < 2*o.Padding+s.Cols || img.Bounds().Dy() < 2*o.Padding+len(s.Rows) {
			t.Fatalf("image %v too small for %dx%d cells", img.Bounds(), s.Cols, len(s.Rows))
		}
	})
}
