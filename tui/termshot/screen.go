package termshot

// ColorKind says how a Color is given.
type ColorKind uint8

// Colour kinds: the terminal's default, one of the 256 indexed colours, or
// a 24-bit RGB value.
const (
	ColorDefault ColorKind = iota
	ColorIndexed
	ColorRGB
)

// Color is a cell colour as the escape sequence gave it; the theme resolves
// it to pixels when drawing.
type Color struct {
	Kind    ColorKind
	Index   uint8 // for ColorIndexed
	R, G, B uint8 // for ColorRGB
}

// Indexed returns the indexed colour i (0-15 are the ANSI colours).
func Indexed(i uint8) Color { return Color{Kind: ColorIndexed, Index: i} }

// RGB returns the 24-bit colour r, g, b.
func RGB(r, g, b uint8) Color { return Color{Kind: ColorRGB, R: r, G: g, B: b} }

// Style is the SGR state a cell was written with.
type Style struct {
	FG, BG    Color
	Bold      bool
	Faint     bool
	Italic    bool
	Underline bool
	Reverse   bool
}

// Cell is one terminal cell. A wide character occupies its own cell (Width
// 2) and the cell to its right, which is a continuation (Width 0, empty
// Text) carrying the same style so its background is filled too.
type Cell struct {
	Text  string // the base rune plus any zero-width runes that followed it; "" for a blank
	Width int    // 1 for a normal cell, 2 for the first half of a wide character, 0 for the continuation
	Style Style
}

// Stats counts what the parser or the painter could not honour, so nothing
// is dropped silently.
type Stats struct {
	IgnoredSequences int // well-formed escape sequences other than SGR (cursor moves, OSC titles, ...)
	Malformed        int // broken or unterminated escape sequences and invalid UTF-8 bytes
	UnsupportedSGR   int // SGR parameters with no visual effect here (blink, strike-through, ...)
	Controls         int // C0 control characters other than \n, \r, \t, and orphan zero-width runes
	MissingGlyphs    int // cells whose rune no configured font has (drawn as an outlined box)
}

// Screen is the parsed cell grid. Rows may be shorter than Cols; missing
// cells are blank with the default style.
type Screen struct {
	Cols  int
	Rows  [][]Cell
	Stats Stats
}

// At returns the cell at row, col (0-based), or a blank default cell when
// the position is outside what was written.
func (s *Screen) At(row, col int) Cell {
	if row < 0 || row >= len(s.Rows) || col < 0 || col >= len(s.Rows[row]) {
		return Cell{Width: 1}
	}
	return s.Rows[row][col]
}
