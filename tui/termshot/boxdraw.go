package termshot

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// arms says which of a box-drawing character's four arms are drawn and how
// thick: 0 none, 1 light, 2 heavy.
type arms struct{ up, right, down, left uint8 }

// boxArms returns the arms of the straight box-drawing characters that
// are drawn as rectangles. The fonts' versions of these fall a pixel short
// of a rounded-up cell height, which leaves gaps in every vertical border.
func boxArms(r rune) (arms, bool) {
	switch r {
	case '─':
		return arms{0, 1, 0, 1}, true
	case '━':
		return arms{0, 2, 0, 2}, true
	case '│':
		return arms{1, 0, 1, 0}, true
	case '┃':
		return arms{2, 0, 2, 0}, true
	case '┌':
		return arms{0, 1, 1, 0}, true
	case '┏':
		return arms{0, 2, 2, 0}, true
	case '┐':
		return arms{0, 0, 1, 1}, true
	case '┓':
		return arms{0, 0, 2, 2}, true
	case '└':
		return arms{1, 1, 0, 0}, true
	case '┗':
		return arms{2, 2, 0, 0}, true
	case '┘':
		return arms{1, 0, 0, 1}, true
	case '┛':
		return arms{2, 0, 0, 2}, true
	case '├':
		return arms{1, 1, 1, 0}, true
	case '┣':
		return arms{2, 2, 2, 0}, true
	case '┤':
		return arms{1, 0, 1, 1}, true
	case '┫':
		return arms{2, 0, 2, 2}, true
	case '┬':
		return arms{0, 1, 1, 1}, true
	case '┳':
		return arms{0, 2, 2, 2}, true
	case '┴':
		return arms{1, 1, 0, 1}, true
	case '┻':
		return arms{2, 2, 0, 2}, true
	case '┼':
		return arms{1, 1, 1, 1}, true
	case '╋':
		return arms{2, 2, 2, 2}, true
	case '╴':
		return arms{0, 0, 0, 1}, true
	case '╵':
		return arms{1, 0, 0, 0}, true
	case '╶':
		return arms{0, 1, 0, 0}, true
	case '╷':
		return arms{0, 0, 1, 0}, true
	}
	return arms{}, false
}

// lineWidth is the stroke of a light (1) or heavy (2) line in a cell of
// height h.
func lineWidth(weight uint8, h int) int {
	light := max(1, (h+8)/17)
	if weight == 2 {
		return light*2 + 1
	}
	return light
}

// drawBox draws the box-drawing character r as rectangles (and the rounded
// corners ╭╮╯╰ as quarter ellipses) and reports whether it did.
func drawBox(dst *image.RGBA, box image.Rectangle, r rune, fg color.RGBA) bool {
	if r >= '╭' && r <= '╰' {
		drawArc(dst, box, r, fg)
		return true
	}
	a, ok := boxArms(r)
	if !ok {
		return false
	}
	src := image.NewUniform(fg)
	cx := box.Min.X + box.Dx()/2
	cy := box.Min.Y + box.Dy()/2
	// Each arm runs from the cell edge to the far side of the centre line so
	// that joints are square.
	fill := func(weight uint8, rect func(t int) image.Rectangle) {
		if weight == 0 {
			return
		}
		draw.Draw(dst, rect(lineWidth(weight, box.Dy())), src, image.Point{}, draw.Src)
	}
	fill(a.up, func(t int) image.Rectangle { return image.Rect(cx-t/2, box.Min.Y, cx-t/2+t, cy-t/2+t) })
	fill(a.down, func(t int) image.Rectangle { return image.Rect(cx-t/2, cy-t/2, cx-t/2+t, box.Max.Y) })
	fill(a.left, func(t int) image.Rectangle { return image.Rect(box.Min.X, cy-t/2, cx-t/2+t, cy-t/2+t) })
	fill(a.right, func(t int) image.Rectangle { return image.Rect(cx-t/2, cy-t/2, box.Max.X, cy-t/2+t) })
	return true
}

// drawArc draws a rounded corner: a quarter ellipse from the middle of one
// cell edge to the middle of the neighbouring edge, meeting straight lines
// drawn by drawBox exactly.
func drawArc(dst *image.RGBA, box image.Rectangle, r rune, fg color.RGBA) {
	t := lineWidth(1, box.Dy())
	cx := box.Min.X + box.Dx()/2 - t/2
	cy := box.Min.Y + box.Dy()/2 - t/2
	// The ellipse centre is the corner the arc bends around.
	var ex, ey int
	switch r {
	case '╭':
		ex, ey = box.Max.X, box.Max.Y
	case '╮':
		ex, ey = box.Min.X, box.Max.Y
	case '╯':
		ex, ey = box.Min.X, box.Min.Y
	case '╰':
		ex, ey = box.Max.X, box.Min.Y
	}
	rx := math.Abs(float64(ex - cx))
	ry := math.Abs(float64(ey - cy))
	steps := 4 * (box.Dx() + box.Dy())
	for i := 0; i <= steps; i++ {
		th := float64(i) / float64(steps) * math.Pi / 2
		dx := rx * math.Cos(th)
		dy := ry * math.Sin(th)
		x, y := ex, ey
		if ex > cx {
			x -= int(math.Round(dx))
		} else {
			x += int(math.Round(dx))
		}
		if ey > cy {
			y -= int(math.Round(dy))
		} else {
			y += int(math.Round(dy))
		}
		draw.Draw(dst, image.Rect(x, y, x+t, y+t), image.NewUniform(fg), image.Point{}, draw.Src)
	}
}
