package termshot

import (
	"errors"
	"strings"
	"testing"
)

func TestParseStyles(t *testing.T) {
	red := Indexed(1)
	tests := []struct {
		name  string
		in    string
		row   int
		col   int
		text  string
		style Style
	}{
		{"plain", "ab", 0, 1, "b", Style{}},
		{"16 fg", "\x1b[31mx", 0, 0, "x", Style{FG: red}},
		{"bright bg", "\x1b[101mx", 0, 0, "x", Style{BG: Indexed(9)}},
		{"256 fg", "\x1b[38;5;202mx", 0, 0, "x", Style{FG: Indexed(202)}},
		{"truecolor bg", "\x1b[48;2;10;20;30mx", 0, 0, "x", Style{BG: RGB(10, 20, 30)}},
		{"colon truecolor", "\x1b[38:2::1:2:3mx", 0, 0, "x", Style{FG: RGB(1, 2, 3)}},
		{"colon truecolor no space id", "\x1b[38:2:4:5:6mx", 0, 0, "x", Style{FG: RGB(4, 5, 6)}},
		{"colour then attribute", "\x1b[38;5;9;1mx", 0, 0, "x", Style{FG: Indexed(9), Bold: true}},
		{"attributes", "\x1b[1;2;3;4;7mx", 0, 0, "x", Style{Bold: true, Faint: true, Italic: true, Underline: true, Reverse: true}},
		{"attribute offs", "\x1b[1;2;3;4;7m\x1b[22;23;24;27mx", 0, 0, "x", Style{}},
		{"underline 4:0 off", "\x1b[4m\x1b[4:0mx", 0, 0, "x", Style{}},
		{"curly underline", "\x1b[4:3mx", 0, 0, "x", Style{Underline: true}},
		{"default colours", "\x1b[31;41m\x1b[39;49mx", 0, 0, "x", Style{}},
		{"reset", "\x1b[1;31mA\x1b[0mx", 0, 1, "x", Style{}},
		{"empty reset", "\x1b[1;31mA\x1b[mx", 0, 1, "x", Style{}},
		{"style survives newline", "\x1b[32ma\nb", 1, 0, "b", Style{FG: Indexed(2)}},
		{"cursor move ignored", "a\x1b[10;10Hb", 0, 1, "b", Style{}},
		{"osc title ignored", "\x1b]0;title\x07ab", 0, 1, "b", Style{}},
		{"osc with ST", "\x1b]8;;http://x\x1b\\ab", 0, 1, "b", Style{}},
		{"charset ignored", "\x1b(Bab", 0, 1, "b", Style{}},
		{"private csi ignored", "\x1b[?25l\x1b[>4;1mab", 0, 1, "b", Style{}},
		{"carriage return overwrites", "abc\rX", 0, 0, "X", Style{}},
		{"tab", "a\tb", 0, 8, "b", Style{}},
		{"invalid utf8", "a\xffb", 0, 1, "\uFFFD", Style{}},
		{"combining mark joins cell", "e\u0301x", 0, 1, "x", Style{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			c := s.At(tt.row, tt.col)
			if c.Text != tt.text || c.Style != tt.style {
				t.Errorf("cell %d,%d = %q %+v, want %q %+v", tt.row, tt.col, c.Text, c.Style, tt.text, tt.style)
			}
		})
	}
}

func TestParseWidths(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		cols    int
		wantCol map[int]string // column -> text of the cell there
		widths  map[int]int    // column -> cell width
	}{
		{"cjk is two cells", "a中b", 4, map[int]string{0: "a", 1: "中", 2: "", 3: "b"}, map[int]int{1: 2, 2: 0, 3: 1}},
		{"ambiguous box drawing is one", "─│┼x", 4, map[int]string{3: "x"}, map[int]int{0: 1}},
		{"braille is one", "⣿⡇x", 3, map[int]string{2: "x"}, map[int]int{0: 1, 1: 1}},
		{"ambiguous ± and · are one", "±·x", 3, map[int]string{2: "x"}, nil},
		{"hangul is two", "한x", 3, map[int]string{0: "한", 2: "x"}, map[int]int{0: 2}},
		{"overwrite half of wide blanks other half", "中\rx", 2, map[int]string{0: "x", 1: ""}, map[int]int{0: 1, 1: 1}},
		{"escape does not move cursor", "中\x1b[31m文x", 5, map[int]string{2: "文", 4: "x"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if s.Cols != tt.cols {
				t.Errorf("Cols = %d, want %d", s.Cols, tt.cols)
			}
			for col, want := range tt.wantCol {
				if got := s.At(0, col).Text; got != want {
					t.Errorf("col %d text = %q, want %q", col, got, want)
				}
			}
			for col, want := range tt.widths {
				if got := s.At(0, col).Width; got != want {
					t.Errorf("col %d width = %d, want %d", col, got, want)
				}
			}
		})
	}
}

func TestParseRowsAndStats(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		rows  int
		stats Stats
	}{
		{"trailing newline is no extra row", "a\nb\n", 2, Stats{}},
		{"blank line counts", "a\n\nb", 3, Stats{}},
		{"ignored sequences counted", "\x1b[2J\x1b[H\x1b]0;t\x07a", 1, Stats{IgnoredSequences: 3}},
		{"unterminated osc", "a\x1b]0;never ends", 1, Stats{Malformed: 1}},
		{"broken csi keeps following text", "\x1b[31\x07ab", 1, Stats{Malformed: 1, Controls: 1}},
		{"lone esc at end", "a\x1b", 1, Stats{Malformed: 1}},
		{"bad 256 colour", "\x1b[38;5;300ma", 1, Stats{Malformed: 1}},
		{"blink is unsupported", "\x1b[5;9ma", 1, Stats{UnsupportedSGR: 2}},
		{"bell counted", "a\x07", 1, Stats{Controls: 1}},
		{"orphan combining mark", "\u0301a", 1, Stats{Controls: 1}},
		{"C1 control as UTF-8", "a\u0085b", 1, Stats{Controls: 1}},
		{"overlong SGR", "\x1b[" + strings.Repeat("1;", 200) + "ma", 1, Stats{Malformed: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Rows) != tt.rows {
				t.Errorf("rows = %d, want %d", len(s.Rows), tt.rows)
			}
			if s.Stats != tt.stats {
				t.Errorf("stats = %+v, want %+v", s.Stats, tt.stats)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	for name, in := range map[string]string{
		"wide":  strings.Repeat("x", MaxCols+1),
		"tall":  strings.Repeat("\n", MaxRows+1),
		"tabs":  strings.Repeat("\t", MaxCols) + "x",
		"wide2": strings.Repeat("中", MaxCols/2) + "中",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(in)); !errors.Is(err, ErrTooLarge) {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
		})
	}
}
