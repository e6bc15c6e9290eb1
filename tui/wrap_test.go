package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestWrapKeepsFiguresWhole: at 80 columns the dispatch page split a
// field's label from its figure ("V2G export" | "196 kWh") and a figure
// from its unit ("1,856" | "kW (122%)"); each stays on one line, and the
// text is otherwise unchanged.
func TestWrapKeepsFiguresWhole(t *testing.T) {
	for _, c := range []struct {
		line  string
		whole []string
	}{
		{"EVs affected 51 of 84 (20 discharging)   energy shifted 503 kWh   V2G export 196 kWh",
			[]string{"V2G export 196 kWh", "energy shifted 503 kWh"}},
		{"△ handing back since 22:50: if released now, charging would take F10 to 1,856 kW (122%) at 22:50 (limit 1,510 kW)",
			[]string{"1,856 kW", "1,510 kW"}},
		// A long field's short parts: the zh-CN page at 80 columns ended
		// a line with "求解" and began the next with "76ms".
		{"未满足电量 0 kWh · 0 辆车未充满 (0 辆可避免)   成本 ¥4 (较无序 −¥386)   求解 76ms · 认证间隙 2e-05",
			[]string{"求解 76ms", "认证间隙 2e-05"}},
		{"unmet energy 0 kWh · 0 EVs short (0 avoidable)   cost ¥4 (−¥386 against unmanaged)   solved in 76ms · certified gap 2e-05",
			[]string{"solved in 76ms", "certified gap 2e-05"}},
		// A short aside in brackets: "cost ¥86 (−¥383 against" above
		// "unmanaged)".
		{"unmet energy 0 kWh · 0 EVs short (0 avoidable)   cost ¥86 (−¥383 against unmanaged)   solved in 69ms · certified gap 1e-06",
			[]string{"(−¥383 against unmanaged)", "(0 avoidable)"}},
	} {
		got := wrapLines([]string{c.line}, 76)
		for _, l := range got {
			if len([]rune(l)) > 76 {
				t.Errorf("line %q is wider than 76", l)
			}
			if strings.ContainsRune(l, '\u00a0') {
				t.Errorf("line %q keeps a no-break space", l)
			}
		}
		for _, w := range c.whole {
			if !slicesContain(got, w) {
				t.Errorf("%q is split:\n%s", w, strings.Join(got, "\n"))
			}
		}
		space := regexp.MustCompile(` +`)
		if j := space.ReplaceAllString(strings.Join(got, " "), " "); j != space.ReplaceAllString(c.line, " ") {
			t.Errorf("text changed:\n%q\n%q", j, c.line)
		}
	}
}

// slicesContain reports whether one of lines contains s.
func slicesContain(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestWrapKeepsTheStyle: a styled line wrapped on the dispatch page kept
// its colour on its first part only (the box's border between the parts
// reset it): each part opens the line's style again and closes it.
func TestWrapKeepsTheStyle(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI256)
	st := newStyles(r)
	line := st.warn.Render("△ handing back since 22:50: if released now, charging would take F10 to 1,856 kW (122%) at 22:50 (limit 1,510 kW)")
	open := line[:strings.Index(line, "△")]
	got := wrapLines([]string{line}, 76)
	if len(got) < 2 {
		t.Fatalf("the line did not wrap at 76: %q", got)
	}
	for i, l := range got {
		if !strings.HasPrefix(l, open) || !strings.HasSuffix(l, "\x1b[0m") {
			t.Errorf("part %d %q does not open the warning style %q and close it", i+1, l, open)
		}
	}
	if j := ansi.Strip(strings.Join(got, " ")); !strings.Contains(j, "1,856 kW (122%)") || !strings.HasSuffix(j, "(limit 1,510 kW)") {
		t.Errorf("text changed: %q", j)
	}
}

// TestWrapLinesStartsNoLineWithASpace: the page's fields are set apart by
// three or four spaces, and a line broken in such a run began its second
// line with the rest of it: the zh-CN event page at 80 columns read
// "│  esc 返回" under its cancel line, one column off the text above.
func TestWrapLinesStartsNoLineWithASpace(t *testing.T) {
	for _, c := range []struct {
		line string
		w    int
	}{
		{"c 取消事件; 此适配器无法释放充电桩: 84 个设定值将于 19:24 前到期失效    esc 返回", 76},
		{"enter confirm and send 91 setpoints   e edit   c decline   d plan again", 40},
		{"\x1b[33m△ a warning that is long enough    to wrap\x1b[0m", 30},
	} {
		parts := wrapLines([]string{c.line}, c.w)
		if len(parts) < 2 {
			t.Fatalf("%q at %d: not wrapped: %q", c.line, c.w, parts)
		}
		for i, p := range parts {
			s := ansi.Strip(p)
			if i > 0 && strings.HasPrefix(s, " ") {
				t.Errorf("%q at %d: line %d starts with a space: %q", c.line, c.w, i+1, s)
			}
			if ansi.StringWidth(s) > c.w {
				t.Errorf("%q at %d: line %d is %d wide: %q", c.line, c.w, i+1, ansi.StringWidth(s), s)
			}
		}
	}
}

// TestWrapKeepsLabelWithFigure: at 64 columns the DR page wrapped "energy
// shifted" at the end of one line and "542 kWh" at the start of the next
// (the field is wider than a third of the line); a label and its figure
// stay on one line, and the lines break between label and figure pairs.
func TestWrapKeepsLabelWithFigure(t *testing.T) {
	for _, c := range []struct {
		line  string
		w     int
		whole []string
	}{
		{"EVs affected 51 of 84 (20 discharging)   energy shifted 542 kWh   V2G export 196 kWh", 60,
			[]string{"energy shifted 542 kWh", "V2G export 196 kWh"}},
		{"EVs affected 51 of 84 (20 discharging)   energy shifted 1,542 kWh   V2G export 1,196 kWh", 66,
			[]string{"energy shifted 1,542 kWh", "V2G export 1,196 kWh"}},
		{"受影响车辆 51 / 84 (20 辆放电)   转移电量 542 kWh   V2G 放电 196 kWh", 40,
			[]string{"转移电量 542 kWh", "V2G 放电 196 kWh"}},
	} {
		got := wrapLines([]string{c.line}, c.w)
		for _, w := range c.whole {
			if !slicesContain(got, w) {
				t.Errorf("at %d cells %q is split:\n%s", c.w, w, strings.Join(got, "\n"))
			}
		}
		for _, l := range got {
			if width(l) > c.w {
				t.Errorf("line %q is wider than %d", l, c.w)
			}
		}
	}
	for _, c := range []struct {
		field string
		want  bool
	}{
		{"energy shifted 542\u00a0kWh", true}, {"V2G export 35\u00a0kWh", true}, {"cost −¥9", true},
		{"EVs affected 3 of 5 (1 discharging)", false}, {"542\u00a0kWh", false}, {"unmet energy", false},
	} {
		if got := labelFigure(c.field); got != c.want {
			t.Errorf("labelFigure(%q) = %v, want %v", c.field, got, c.want)
		}
	}
}
