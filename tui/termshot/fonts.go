package termshot

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// ErrFont is wrapped by every error about a font file: missing, unreadable
// or not a font.
var ErrFont = errors.New("termshot: font")

// fontSet holds the parsed fonts of one Draw call and the faces made from
// them. Faces are not safe for concurrent use, so a fontSet belongs to one
// goroutine.
type fontSet struct {
	size  float64
	fonts []*sfnt.Font // 0 regular, 1 bold, then fallbacks
	buf   sfnt.Buffer
	faces map[faceKey]font.Face
}

type faceKey struct {
	font int
	size fixed.Int26_6
}

const (
	fontRegular = 0
	fontBold    = 1
)

// loadFonts reads the font files named by o.
func loadFonts(o Options) (*fontSet, error) {
	fs := &fontSet{size: o.FontSize, faces: map[faceKey]font.Face{}}
	for _, path := range append([]string{o.RegularFont, o.BoldFont}, o.FallbackFonts...) {
		f, err := readFont(path)
		if err != nil {
			return nil, err
		}
		fs.fonts = append(fs.fonts, f)
	}
	return fs, nil
}

// readFont parses a TrueType/OpenType file or the first font of a
// collection (.ttc).
func readFont(path string) (*sfnt.Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		hint := ""
		if errors.Is(err, os.ErrNotExist) && strings.Contains(path, "dejavu") {
			hint = " (install fonts-dejavu-core, or name another font file)"
		}
		return nil, fmt.Errorf("%w file %s: %w%s", ErrFont, path, err, hint)
	}
	if strings.HasSuffix(strings.ToLower(path), ".ttc") {
		c, err := opentype.ParseCollection(data)
		if err != nil {
			return nil, fmt.Errorf("%w file %s: %w", ErrFont, path, err)
		}
		f, err := c.Font(0)
		if err != nil {
			return nil, fmt.Errorf("%w file %s: first font: %w", ErrFont, path, err)
		}
		return f, nil
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w file %s: %w", ErrFont, path, err)
	}
	return f, nil
}

// face returns font i at the given pixel size, hinted so stems land on
// whole pixels.
func (fs *fontSet) face(i int, size fixed.Int26_6) (font.Face, error) {
	k := faceKey{i, size}
	if f, ok := fs.faces[k]; ok {
		return f, nil
	}
	f, err := opentype.NewFace(fs.fonts[i], &opentype.FaceOptions{
		Size: float64(size) / 64, DPI: 72, Hinting: font.HintingFull,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: face %d at %.2f px: %w", ErrFont, i, float64(size)/64, err)
	}
	fs.faces[k] = f
	return f, nil
}

// baseSize is the configured size in 26.6 fixed point.
func (fs *fontSet) baseSize() fixed.Int26_6 { return fixed.Int26_6(fs.size*64 + 0.5) }

// has reports whether font i has a glyph for r.
func (fs *fontSet) has(i int, r rune) bool {
	g, err := fs.fonts[i].GlyphIndex(&fs.buf, r)
	return err == nil && g != 0
}

// pick returns the index of the first font with a glyph for r: the bold
// or regular primary, then the fallbacks in order; ok is false if none has
// it.
func (fs *fontSet) pick(r rune, bold bool) (int, bool) {
	if bold && fs.has(fontBold, r) {
		return fontBold, true
	}
	if fs.has(fontRegular, r) {
		return fontRegular, true
	}
	for i := 2; i < len(fs.fonts); i++ {
		if fs.has(i, r) {
			return i, true
		}
	}
	return 0, false
}

// close releases the faces.
func (fs *fontSet) close() {
	for _, f := range fs.faces {
		f.Close()
	}
}
