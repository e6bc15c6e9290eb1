package termshot

import "image/color"

// Theme is the colour scheme colours resolve against.
type Theme struct {
	Background color.RGBA     // default background, also the padding
	Foreground color.RGBA     // default foreground
	ANSI       [16]color.RGBA // indexed colours 0-15
	TitleBar   color.RGBA     // window title bar
	TitleText  color.RGBA     // window title text
}

// DarkTheme returns the dark theme the docs use: a near-black background,
// light grey text and a muted ANSI palette.
func DarkTheme() Theme {
	return Theme{
		Background: rgba(0x17, 0x17, 0x17),
		Foreground: rgba(0xd4, 0xd4, 0xd4),
		ANSI: [16]color.RGBA{
			rgba(0x1e, 0x1e, 0x1e), rgba(0xe0, 0x6c, 0x75), rgba(0x98, 0xc3, 0x79), rgba(0xe5, 0xc0, 0x7b),
			rgba(0x61, 0xaf, 0xef), rgba(0xc6, 0x78, 0xdd), rgba(0x56, 0xb6, 0xc2), rgba(0xc8, 0xc8, 0xc8),
			rgba(0x5c, 0x63, 0x70), rgba(0xff, 0x7b, 0x86), rgba(0xb5, 0xe8, 0x90), rgba(0xff, 0xd8, 0x8c),
			rgba(0x7e, 0xc7, 0xff), rgba(0xde, 0x95, 0xf2), rgba(0x6f, 0xd6, 0xe3), rgba(0xff, 0xff, 0xff),
		},
		TitleBar:  rgba(0x2a, 0x2a, 0x2a),
		TitleText: rgba(0x9a, 0x9a, 0x9a),
	}
}

func rgba(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

// resolve turns a cell colour into pixels; def is used for ColorDefault.
func (t *Theme) resolve(c Color, def color.RGBA) color.RGBA {
	switch c.Kind {
	case ColorRGB:
		return rgba(c.R, c.G, c.B)
	case ColorIndexed:
		return t.indexed(c.Index)
	}
	return def
}

// indexed maps the 256-colour palette: 16 theme colours, the 6x6x6 cube,
// and a 24-step grey ramp, with xterm's values for the last two.
func (t *Theme) indexed(i uint8) color.RGBA {
	switch {
	case i < 16:
		return t.ANSI[i]
	case i < 232:
		steps := [6]uint8{0, 95, 135, 175, 215, 255}
		n := i - 16
		return rgba(steps[n/36], steps[n/6%6], steps[n%6])
	}
	v := 8 + 10*(i-232)
	return rgba(v, v, v)
}

// cellColors returns a cell's foreground and background pixels after
// reverse video and faint are applied.
func (t *Theme) cellColors(s Style) (fg, bg color.RGBA) {
	fg = t.resolve(s.FG, t.Foreground)
	bg = t.resolve(s.BG, t.Background)
	if s.Reverse {
		fg, bg = bg, fg
	}
	if s.Faint {
		fg = mix(fg, bg, 0.5)
	}
	return fg, bg
}

// mix returns a blended with b; w is a's weight.
func mix(a, b color.RGBA, w float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x)*w + float64(y)*(1-w) + 0.5) }
	return rgba(f(a.R, b.R), f(a.G, b.G), f(a.B, b.B))
}
