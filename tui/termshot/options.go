package termshot

import (
	"fmt"
	"os"
)

// Options controls how a Screen is drawn. The zero value is usable: every
// zero field takes its default.
type Options struct {
	FontSize float64 // font size in pixels; default 14
	Padding  int     // margin around the cell grid in pixels; default 16 (negative means 0)
	Title    string  // window title; "" draws no title bar
	Cols     int     // minimum grid width in cells (a capture trims trailing blanks)
	Rows     int     // minimum grid height in cells
	Theme    *Theme  // colours; nil means DarkTheme

	RegularFont string // primary font; default DejaVu Sans Mono
	BoldFont    string // primary bold font; default DejaVu Sans Mono Bold
	// FallbackFonts are tried in order for runes the primary font lacks.
	// nil means DejaVu Sans (braille) followed by the first of
	// CJKFontCandidates that exists; every font named explicitly must exist.
	FallbackFonts []string
}

// Default font files (Debian/Ubuntu fonts-dejavu-core).
const (
	DefaultRegularFont  = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
	DefaultBoldFont     = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
	DefaultFallbackFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// CJKFontCandidates returns CJK font files used as a last fallback when
// they are installed; none is required.
func CJKFontCandidates() []string {
	return []string{
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
	}
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.FontSize <= 0 {
		o.FontSize = 14
	}
	if o.Padding == 0 {
		o.Padding = 16
	}
	o.Padding = max(o.Padding, 0)
	if o.Theme == nil {
		t := DarkTheme()
		o.Theme = &t
	}
	if o.RegularFont == "" {
		o.RegularFont = DefaultRegularFont
	}
	if o.BoldFont == "" {
		o.BoldFont = DefaultBoldFont
	}
	if o.FallbackFonts == nil {
		o.FallbackFonts = []string{DefaultFallbackFont}
		for _, p := range CJKFontCandidates() {
			if _, err := os.Stat(p); err == nil {
				o.FallbackFonts = append(o.FallbackFonts, p)
				break
			}
		}
	}
	return o
}

// validate rejects sizes that would make an absurd image.
func (o Options) validate() error {
	if o.FontSize > 200 {
		return fmt.Errorf("termshot: font size %g px: above 200", o.FontSize)
	}
	if o.Padding > 1000 {
		return fmt.Errorf("termshot: padding %d px: above 1000", o.Padding)
	}
	if o.Cols > MaxCols || o.Rows > MaxRows {
		return fmt.Errorf("termshot: minimum grid %dx%d: %w (limit %dx%d)", o.Cols, o.Rows, ErrTooLarge, MaxCols, MaxRows)
	}
	return nil
}
