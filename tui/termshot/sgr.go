package termshot

// sgr applies the parameters of one SGR sequence (ESC [ params m) to the
// pen. Parameters are separated by ';'; a parameter's sub-parameters by
// ':' (ITU T.416 colours, underline styles).
func (p *parser) sgr(params []byte) {
	groups := splitParams(params)
	if len(groups) == 0 {
		p.pen = Style{}
		return
	}
	for i := 0; i < len(groups); i++ {
		g := groups[i]
		switch code := g[0]; {
		case code == 0:
			p.pen = Style{}
		case code == 1:
			p.pen.Bold = true
		case code == 2:
			p.pen.Faint = true
		case code == 3:
			p.pen.Italic = true
		case code == 4:
			// 4:0 turns underline off; other styles (double, curly) are drawn
			// as a plain underline.
			p.pen.Underline = len(g) < 2 || g[1] != 0
		case code == 7:
			p.pen.Reverse = true
		case code == 22:
			p.pen.Bold, p.pen.Faint = false, false
		case code == 23:
			p.pen.Italic = false
		case code == 24:
			p.pen.Underline = false
		case code == 27:
			p.pen.Reverse = false
		case code >= 30 && code <= 37:
			p.pen.FG = Indexed(uint8(code - 30))
		case code >= 90 && code <= 97:
			p.pen.FG = Indexed(uint8(code - 90 + 8))
		case code >= 40 && code <= 47:
			p.pen.BG = Indexed(uint8(code - 40))
		case code >= 100 && code <= 107:
			p.pen.BG = Indexed(uint8(code - 100 + 8))
		case code == 39:
			p.pen.FG = Color{}
		case code == 49:
			p.pen.BG = Color{}
		case code == 38 || code == 48 || code == 58:
			c, used, ok := extendedColor(groups, i)
			i += used
			switch {
			case !ok:
				p.scr.Stats.Malformed++
			case code == 38:
				p.pen.FG = c
			case code == 48:
				p.pen.BG = c
			default:
				p.scr.Stats.UnsupportedSGR++ // underline colour
			}
		default:
			p.scr.Stats.UnsupportedSGR++
		}
	}
}

// extendedColor reads the colour of a 38/48/58 parameter at groups[i],
// either in colon form (38:5:n, 38:2::r:g:b, 38:2:r:g:b) or in the common
// semicolon form (38;5;n, 38;2;r;g;b). It returns how many further groups
// the semicolon form consumed.
func extendedColor(groups [][]int, i int) (c Color, used int, ok bool) {
	g := groups[i]
	var args []int
	if len(g) > 1 {
		args = g[1:]
	} else {
		rest := groups[i+1:]
		if len(rest) == 0 {
			return Color{}, 0, false
		}
		need := 1
		switch rest[0][0] {
		case 5:
			need = 2
		case 2:
			need = 4
		}
		need = min(need, len(rest))
		for _, next := range rest[:need] {
			args = append(args, next[0])
		}
		used = need
	}
	if len(args) == 0 {
		return Color{}, used, false
	}
	switch args[0] {
	case 5:
		if len(args) < 2 || args[1] > 255 {
			return Color{}, used, false
		}
		return Indexed(uint8(args[1])), used, true
	case 2:
		rgb := args[1:]
		if len(g) > 1 && len(rgb) == 4 {
			rgb = rgb[1:] // colour-space id, 38:2:id:r:g:b
		}
		if len(rgb) < 3 || rgb[0] > 255 || rgb[1] > 255 || rgb[2] > 255 {
			return Color{}, used, false
		}
		return RGB(uint8(rgb[0]), uint8(rgb[1]), uint8(rgb[2])), used, true
	}
	return Color{}, used, false
}

// splitParams splits SGR parameter bytes into groups of sub-parameters;
// empty parameters are 0 and values saturate instead of overflowing.
func splitParams(params []byte) [][]int {
	if len(params) == 0 {
		return nil
	}
	groups := [][]int{{0}}
	for _, c := range params {
		g := &groups[len(groups)-1]
		switch {
		case c == ';':
			groups = append(groups, []int{0})
		case c == ':':
			*g = append(*g, 0)
		case c >= '0' && c <= '9':
			v := &(*g)[len(*g)-1]
			if *v < 1_000_000 {
				*v = *v*10 + int(c-'0')
			}
		}
	}
	return groups
}
