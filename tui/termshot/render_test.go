package termshot

import (
	"errors"
	"image"
	"image/color"
	"os"
	"strings"
	"testing"
)

// needFonts skips a test when the DejaVu fonts are missing, except in CI,
// where .ci/install-peers installs fonts-dejavu-core.
func needFonts(t *testing.T) {
	t.Helper()
	for _, p := range []string{DefaultRegularFont, DefaultBoldFont, DefaultFallbackFont} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("font %s missing in CI: %v", p, err)
			}
			t.Skipf("font %s missing (apt-get install fonts-dejavu-core): %v", p, err)
		}
	}
}

// testOpts is a fixed geometry so cell boxes are known; fallbacks are
// pinned to DejaVu Sans so an installed CJK font does not change results.
func testOpts() Options {
	return Options{FontSize: 14, Padding: 10, FallbackFonts: []string{DefaultFallbackFont}}
}

// geometry renders a blank one-cell screen to learn the cell size.
func geometry(t *testing.T, o Options) metrics {
	t.Helper()
	img, _, err := Draw(&Screen{Cols: 1, Rows: [][]Cell{{{Width: 1}}}}, o)
	if err != nil {
		t.Fatal(err)
	}
	w := img.Bounds().Dx() - 2*o.Padding
	h := img.Bounds().Dy() - 2*o.Padding
	return metrics{cellW: w, cellH: h, originX: o.Padding, originY: o.Padding}
}

func rgbaAt(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

// inkIn counts pixels in r that differ from bg.
func inkIn(img *image.RGBA, r image.Rectangle, bg color.RGBA) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgbaAt(img, x, y) != bg {
				n++
			}
		}
	}
	return n
}

func TestDrawCellColours(t *testing.T) {
	needFonts(t)
	o := testOpts()
	m := geometry(t, o)
	th := DarkTheme()
	s, err := Parse([]byte("ab\x1b[41m  \x1b[0m \x1b[48;2;0;200;0m \x1b[0m\x1b[7m \x1b[0m\x1b[48;5;21m中\x1b[0m"))
	if err != nil {
		t.Fatal(err)
	}
	img, stats, err := Draw(s, o)
	if err != nil {
		t.Fatal(err)
	}
	if stats.MissingGlyphs != 1 { // 中: no CJK font among the pinned fallbacks, drawn as a box
		t.Errorf("missing glyphs %d, want 1", stats.MissingGlyphs)
	}
	if want := image.Rect(0, 0, 2*o.Padding+9*m.cellW, 2*o.Padding+m.cellH); img.Bounds() != want {
		t.Fatalf("bounds %v, want %v", img.Bounds(), want)
	}
	centre := func(col int) color.RGBA {
		b := m.cellBox(0, col, 1)
		return rgbaAt(img, (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
	}
	tests := []struct {
		name string
		col  int
		want color.RGBA
	}{
		{"ansi red background", 2, th.ANSI[1]},
		{"second red cell", 3, th.ANSI[1]},
		{"default background", 4, th.Background},
		{"truecolor background", 5, rgba(0, 200, 0)},
		{"reverse blank is foreground colour", 6, th.Foreground},
		{"256-colour background under wide char, right half", 8, rgba(0, 0, 255)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := centre(tt.col); got != tt.want {
				t.Errorf("centre of col %d = %v, want %v", tt.col, got, tt.want)
			}
		})
	}
	// Glyph ink stays in its own cell: 'a' in col 0 inks col 0 and not the
	// padding.
	if inkIn(img, m.cellBox(0, 0, 1), th.Background) == 0 {
		t.Error("no ink for 'a' in col 0")
	}
	if n := inkIn(img, image.Rect(0, 0, o.Padding, img.Bounds().Dy()), th.Background); n != 0 {
		t.Errorf("%d pixels of ink in the left padding", n)
	}
}

func TestDrawGlyphStaysInCell(t *testing.T) {
	needFonts(t)
	o := testOpts()
	m := geometry(t, o)
	bg := DarkTheme().Background
	tests := []struct {
		name  string
		in    string
		col   int
		width int
	}{
		{"braille from the fallback font", "0123456789⣿", 10, 1},
		{"braille after braille", "⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⡇", 10, 1},
		{"letter after braille", "⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿M", 10, 1},
		{"bold letter", "0123456789\x1b[1mW", 10, 1},
		{"box corner", "0123456789╭", 10, 1},
		{"lower block", "0123456789▄", 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			// Render only the cell under test so other cells' ink does not
			// count; its position still comes from the full row.
			for c := range s.Rows[0] {
				if c != tt.col {
					s.Rows[0][c] = Cell{Width: 1}
				}
			}
			img, _, err := Draw(s, o)
			if err != nil {
				t.Fatal(err)
			}
			box := m.cellBox(0, tt.col, tt.width)
			in := inkIn(img, box, bg)
			all := inkIn(img, img.Bounds(), bg)
			if in == 0 {
				t.Fatalf("no ink in cell box %v", box)
			}
			if all != in {
				t.Errorf("%d pixels of ink outside cell box %v", all-in, box)
			}
		})
	}
}

func TestDrawVerticalLineHasNoGaps(t *testing.T) {
	needFonts(t)
	o := testOpts()
	m := geometry(t, o)
	s, err := Parse([]byte("│\n│\n│"))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := Draw(s, o)
	if err != nil {
		t.Fatal(err)
	}
	bg := DarkTheme().Background
	// Some column of pixels inside col 0 is inked on every row of all
	// three cells.
	for x := m.originX; x < m.originX+m.cellW; x++ {
		solid := true
		for y := m.originY; y < m.originY+3*m.cellH; y++ {
			if rgbaAt(img, x, y) == bg {
				solid = false
				break
			}
		}
		if solid {
			return
		}
	}
	t.Error("no unbroken vertical stroke through three │ cells")
}

func TestDrawWideCJKCentred(t *testing.T) {
	needFonts(t)
	o := testOpts()
	o.FallbackFonts = nil // DejaVu Sans plus any installed CJK font
	o = o.withDefaults()
	if len(o.FallbackFonts) < 2 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no CJK font among %v in CI (.ci/install-peers installs fonts-noto-cjk)", CJKFontCandidates())
		}
		t.Skip("no CJK font installed (apt-get install fonts-noto-cjk)")
	}
	m := geometry(t, o)
	s, err := Parse([]byte("a中b"))
	if err != nil {
		t.Fatal(err)
	}
	img, stats, err := Draw(s, o)
	if err != nil {
		t.Fatal(err)
	}
	if stats.MissingGlyphs != 0 {
		t.Errorf("missing glyphs %d", stats.MissingGlyphs)
	}
	bg := DarkTheme().Background
	if inkIn(img, m.cellBox(0, 1, 2), bg) == 0 {
		t.Error("no ink for 中 in cols 1-2")
	}
	if inkIn(img, m.cellBox(0, 3, 1), bg) == 0 {
		t.Error("no ink for b in col 3")
	}
}

func TestDrawMissingGlyphCounted(t *testing.T) {
	needFonts(t)
	o := testOpts()
	s, err := Parse([]byte("a\U00013000b")) // Egyptian hieroglyph: in no DejaVu font
	if err != nil {
		t.Fatal(err)
	}
	_, stats, err := Draw(s, o)
	if err != nil {
		t.Fatal(err)
	}
	if stats.MissingGlyphs != 1 {
		t.Errorf("MissingGlyphs = %d, want 1", stats.MissingGlyphs)
	}
}

func TestDrawTitleAndMinimumGrid(t *testing.T) {
	needFonts(t)
	o := testOpts()
	m := geometry(t, o)
	o.Title = "v2gdesk"
	o.Cols, o.Rows = 20, 5
	img, err := Render([]byte("x"), o)
	if err != nil {
		t.Fatal(err)
	}
	want := image.Rect(0, 0, 2*o.Padding+20*m.cellW, 2*m.cellH+2*o.Padding+5*m.cellH)
	if img.Bounds() != want {
		t.Errorf("bounds %v, want %v", img.Bounds(), want)
	}
	if got := img.(*image.RGBA).RGBAAt(img.Bounds().Dx()-2, 2); got != DarkTheme().TitleBar {
		t.Errorf("title bar pixel %v, want %v", got, DarkTheme().TitleBar)
	}
}

func TestDrawErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want error
	}{
		{"missing font file names it", Options{RegularFont: "/nonexistent/Mono.ttf"}, ErrFont},
		{"not a font", Options{RegularFont: "render_test.go"}, ErrFont},
		{"grid too large", Options{Cols: MaxCols + 1}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Draw(&Screen{}, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.opts.RegularFont != "" && !strings.Contains(err.Error(), tt.opts.RegularFont) {
				t.Errorf("error %q does not name %s", err, tt.opts.RegularFont)
			}
		})
	}
}
