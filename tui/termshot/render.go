package termshot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/math/fixed"
)

// Render parses ansiText (see Parse) and draws it (see Draw). Callers that
// want the Stats of what was skipped call Parse and Draw themselves.
func Render(ansiText []byte, opts Options) (image.Image, error) {
	s, err := Parse(ansiText)
	if err != nil {
		return nil, err
	}
	img, _, err := Draw(s, opts)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// metrics is the pixel geometry of one Draw call.
type metrics struct {
	cellW, cellH int
	ascent       int // baseline offset from a cell's top
	originX      int // top-left of cell (0, 0)
	originY      int
	titleH       int
}

// Draw paints s: each cell's background, then its glyph at the cell's own
// pixel box, clipped to that box. Glyphs from a fallback font are centred
// in the box and scaled down if wider than it. Block elements (U+2580-2595:
// halves, eighths, shades) and straight box-drawing lines are filled as
// rectangles so adjacent cells meet without seams. Italic is drawn upright (no oblique font is loaded). The
// returned Stats are the parser's plus MissingGlyphs.
func Draw(s *Screen, opts Options) (*image.RGBA, Stats, error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, s.Stats, err
	}
	fs, err := loadFonts(o)
	if err != nil {
		return nil, s.Stats, err
	}
	defer fs.close()
	base, err := fs.face(fontRegular, fs.baseSize())
	if err != nil {
		return nil, s.Stats, err
	}
	adv, ok := base.GlyphAdvance('M')
	if !ok {
		return nil, s.Stats, fmt.Errorf("%w file %s: no glyph for 'M'", ErrFont, o.RegularFont)
	}
	fm := base.Metrics()
	m := metrics{cellW: adv.Ceil(), ascent: fm.Ascent.Ceil()}
	m.cellH = max(fm.Height.Ceil(), m.ascent+fm.Descent.Ceil())
	if o.Title != "" {
		m.titleH = m.cellH * 2
	}
	m.originX, m.originY = o.Padding, m.titleH+o.Padding
	cols, rows := max(s.Cols, o.Cols), max(len(s.Rows), o.Rows)
	img := image.NewRGBA(image.Rect(0, 0, 2*o.Padding+cols*m.cellW, m.titleH+2*o.Padding+rows*m.cellH))
	th := o.Theme
	draw.Draw(img, img.Bounds(), image.NewUniform(th.Background), image.Point{}, draw.Src)
	if o.Title != "" {
		if err := drawTitle(img, fs, m, th, o.Title); err != nil {
			return nil, s.Stats, err
		}
	}
	stats := s.Stats
	for r, line := range s.Rows {
		for c, cell := range line {
			fg, bg := th.cellColors(cell.Style)
			box := m.cellBox(r, c, 1)
			draw.Draw(img, box, image.NewUniform(bg), image.Point{}, draw.Src)
			if cell.Width == 0 || cell.Text == "" {
				continue
			}
			box = m.cellBox(r, c, cell.Width)
			missing, err := drawCell(img, fs, m, box, cell, fg, bg)
			if err != nil {
				return nil, stats, fmt.Errorf("row %d col %d: %w", r+1, c+1, err)
			}
			stats.MissingGlyphs += missing
		}
	}
	return img, stats, nil
}

// cellBox is the pixel rectangle of width cells starting at row, col.
func (m metrics) cellBox(row, col, width int) image.Rectangle {
	x, y := m.originX+col*m.cellW, m.originY+row*m.cellH
	return image.Rect(x, y, x+width*m.cellW, y+m.cellH)
}

// drawCell draws a cell's runes, underline included, into box and returns
// how many of its runes no font has.
func drawCell(img *image.RGBA, fs *fontSet, m metrics, box image.Rectangle, cell Cell, fg, bg color.RGBA) (int, error) {
	clip := img.SubImage(box).(*image.RGBA)
	src := image.NewUniform(fg)
	missing := 0
	for i, r := range cell.Text {
		if i == 0 && (drawBlock(clip, box, r, fg, bg) || drawBox(clip, box, r, fg)) {
			continue
		}
		if i == 0 && r == ' ' {
			continue
		}
		idx, ok := fs.pick(r, cell.Style.Bold)
		if !ok {
			if i == 0 {
				drawTofu(clip, box, fg)
			}
			missing++
			continue
		}
		if err := drawGlyph(clip, fs, m, box, idx, r, src); err != nil {
			return missing, err
		}
	}
	if cell.Style.Underline {
		y := box.Min.Y + m.ascent + max(1, m.cellH/12)
		draw.Draw(clip, image.Rect(box.Min.X, y, box.Max.X, y+max(1, m.cellH/16)), src, image.Point{}, draw.Src)
	}
	return missing, nil
}

// drawGlyph draws r from font idx on the cell's baseline. A primary-font
// glyph whose advance is the cell width sits at the cell's left edge like
// in a terminal. Any other glyph (braille from DejaVu Sans, a CJK
// ideograph) has its ink centred in the box, scaled down first if the ink
// is wider than the box, so it never moves its neighbours.
func drawGlyph(dst *image.RGBA, fs *fontSet, m metrics, box image.Rectangle, idx int, r rune, src image.Image) error {
	size := fs.baseSize()
	face, err := fs.face(idx, size)
	if err != nil {
		return err
	}
	boxW := fixed.I(box.Dx())
	baseline := fixed.I(box.Min.Y + m.ascent)
	dot := fixed.Point26_6{X: fixed.I(box.Min.X), Y: baseline}
	if adv, _ := face.GlyphAdvance(r); idx > fontBold || adv != boxW {
		ink, _, _ := face.GlyphBounds(r)
		inkW := ink.Max.X - ink.Min.X
		if limit := boxW - fixed.I(1); inkW > limit && inkW > 0 {
			size = fixed.Int26_6(int64(size) * int64(limit) / int64(inkW))
			if face, err = fs.face(idx, size); err != nil {
				return err
			}
			ink, _, _ = face.GlyphBounds(r)
			inkW = ink.Max.X - ink.Min.X
		}
		dot.X = fixed.I(box.Min.X) + (boxW-inkW)/2 - ink.Min.X
		dot.X = fixed.I(dot.X.Round()) // whole pixels keep hinted stems sharp
	}
	dr, mask, maskp, _, ok := face.Glyph(dot, r)
	if !ok {
		return nil
	}
	draw.DrawMask(dst, dr, src, image.Point{}, mask, maskp, draw.Over)
	return nil
}

// drawTofu outlines the box for a rune no font has, so the gap is visible.
func drawTofu(dst *image.RGBA, box image.Rectangle, fg color.RGBA) {
	in := box.Inset(max(1, box.Dx()/6))
	src := image.NewUniform(fg)
	for _, r := range []image.Rectangle{
		{in.Min, image.Pt(in.Max.X, in.Min.Y+1)},
		{image.Pt(in.Min.X, in.Max.Y-1), in.Max},
		{in.Min, image.Pt(in.Min.X+1, in.Max.Y)},
		{image.Pt(in.Max.X-1, in.Min.Y), in.Max},
	} {
		draw.Draw(dst, r, src, image.Point{}, draw.Src)
	}
}

// drawBlock fills the block elements U+2580-2595 (halves, eighths, shades)
// as rectangles, and reports whether r was one: the font's versions leave
// hairline seams when the cell height is rounded.
func drawBlock(dst *image.RGBA, box image.Rectangle, r rune, fg, bg color.RGBA) bool {
	if r < 0x2580 || r > 0x2595 {
		return false
	}
	w, h := box.Dx(), box.Dy()
	x0, y0, x1, y1 := box.Min.X, box.Min.Y, box.Max.X, box.Max.Y
	eighthH := func(n int) int { return (h*n + 4) / 8 }
	eighthW := func(n int) int { return (w*n + 4) / 8 }
	var rect image.Rectangle
	col := fg
	switch {
	case r == 0x2580: // upper half
		rect = image.Rect(x0, y0, x1, y0+eighthH(4))
	case r >= 0x2581 && r <= 0x2588: // lower one eighth .. full block
		rect = image.Rect(x0, y1-eighthH(int(r-0x2580)), x1, y1)
	case r >= 0x2589 && r <= 0x258f: // left seven eighths .. one eighth
		rect = image.Rect(x0, y0, x0+eighthW(int(0x2590-r)), y1)
	case r == 0x2590: // right half
		rect = image.Rect(x1-eighthW(4), y0, x1, y1)
	case r >= 0x2591 && r <= 0x2593: // light, medium, dark shade
		rect = box
		col = mix(fg, bg, float64(r-0x2590)/4)
	case r == 0x2594: // upper one eighth
		rect = image.Rect(x0, y0, x1, y0+eighthH(1))
	case r == 0x2595: // right one eighth
		rect = image.Rect(x1-eighthW(1), y0, x1, y1)
	}
	draw.Draw(dst, rect, image.NewUniform(col), image.Point{}, draw.Src)
	return true
}

// drawTitle paints the window title bar: three window buttons on the left
// and the title centred in the regular font.
func drawTitle(img *image.RGBA, fs *fontSet, m metrics, th *Theme, title string) error {
	bar := image.Rect(0, 0, img.Bounds().Dx(), m.titleH)
	draw.Draw(img, bar, image.NewUniform(th.TitleBar), image.Point{}, draw.Src)
	rad := max(2, m.titleH/5)
	cy := m.titleH / 2
	for i, c := range []color.RGBA{rgba(0xff, 0x5f, 0x57), rgba(0xfe, 0xbc, 0x2e), rgba(0x28, 0xc8, 0x40)} {
		fillCircle(img, m.cellW+rad+i*(3*rad), cy, rad, c)
	}
	face, err := fs.face(fontRegular, fs.baseSize())
	if err != nil {
		return err
	}
	src := image.NewUniform(th.TitleText)
	var width fixed.Int26_6
	for _, r := range title {
		a, _ := face.GlyphAdvance(r)
		width += a
	}
	dot := fixed.Point26_6{X: (fixed.I(bar.Dx()) - width) / 2, Y: fixed.I(cy + m.ascent - m.cellH/2)}
	for _, r := range title {
		idx, ok := fs.pick(r, false)
		if !ok {
			idx = fontRegular
		}
		f, err := fs.face(idx, fs.baseSize())
		if err != nil {
			return err
		}
		dr, mask, maskp, a, ok := f.Glyph(dot, r)
		if ok {
			draw.DrawMask(img, dr, src, image.Point{}, mask, maskp, draw.Over)
		}
		dot.X += a
	}
	return nil
}

// fillCircle draws a filled disc centred at cx, cy.
func fillCircle(img *image.RGBA, cx, cy, rad int, c color.RGBA) {
	for y := -rad; y <= rad; y++ {
		for x := -rad; x <= rad; x++ {
			if x*x+y*y <= rad*rad {
				img.SetRGBA(cx+x, cy+y, c)
			}
		}
	}
}
