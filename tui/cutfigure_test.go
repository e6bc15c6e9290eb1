package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// cutFigure finds a figure cut by truncation: a digit, or the decimal
// point, thousands comma or time colon after one, directly before "…"
// ("CP-0056 1…", "1,…", "23:…"); or a number whose unit was cut
// ("22.0 k…", "67 分…").
var cutFigure = regexp.MustCompile(`\d[.,:]?…|(?:^|[\s(])[-−+¥≤≥≈▲△]{0,2}\d[\d.,:%/]* (\pL+)…`)

// wholeUnits are the unit words a figure ends in: "4,720 kW…" is a whole
// figure and unit, the field after them left out.
var wholeUnits = map[string]bool{"kW": true, "MW": true, "kWh": true, "MWh": true, "min": true, "h": true, "s": true,
	"d": true, "EVs": true, "chargers": true, "分钟": true, "小时": true, "秒": true, "辆": true, "个": true, "条": true}

// figureCut is the cut figure in line, or "".
func figureCut(line string) string {
	for _, m := range cutFigure.FindAllStringSubmatch(line, -1) {
		if m[1] == "" || !wholeUnits[m[1]] {
			return m[0]
		}
	}
	return ""
}

// TestNoFigureIsCut: at 64x18 triage's biggest loads read "CP-0056 1…",
// and a DR page's zh-CN title ended "20:08–23:…": a dispatcher reads "1…"
// as 1 kW, or cannot read it at all. Every screen at 64x18, 70x20 and
// 80x24, in both languages, with the DR flow (a page, the form, a
// proposed suggestion), shows no figure cut: the layouts drop or shorten
// whole fields, and a line still too long is cut between fields.
func TestNoFigureIsCut(t *testing.T) {
	scripts := []string{"", "2", "2jjjjjjE", "2jjjjjjEE", "3", "3G", "3jjjjE", "4", "4E", "5", "5E", "5jE", "5jjE",
		"5jjjE", "?", "?jjjjjjjjjjjj", ":", "/", "t", "tE", "tjE", "tjjE", "n", "tp", "5Ed"}
	sizes := []struct{ w, h int }{{64, 18}, {70, 20}, {80, 24}}
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range sizes {
			for _, withDR := range []bool{false, true} {
				for _, sc := range scripts {
					fx := demo(t)
					opts, _ := testOptions(fx, lang)
					if withDR {
						opts.Dispatch = newDRController(t, fx, nil)
					}
					m := New(opts)
					m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
					m.Update(SnapshotMsg{Snapshot: fx.snap})
					runKeys(m, sc)
					for i, l := range strings.Split(ansi.Strip(m.View()), "\n") {
						if f := figureCut(l); f != "" {
							t.Errorf("%q %dx%d DR %v keys %q: line %d cuts a figure at %q:\n%s", lang, sz.w, sz.h, withDR, sc, i+1, f, l)
						}
					}
				}
			}
		}
	}
}

// TestTruncateWholeCutsBetweenFields: what fit does with a line too long
// for its cells, styled or not.
func TestTruncateWholeCutsBetweenFields(t *testing.T) {
	loads := "biggest loads: CP-0051 22.0 kW · CP-0050 11.0 kW · CP-0056 11.0 kW"
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{loads, 58, "biggest loads: CP-0051 22.0 kW · CP-0050 11.0 kW · …"},
		{loads, 62, "biggest loads: CP-0051 22.0 kW · CP-0050 11.0 kW · CP-0056 …"},
		{loads, 65, "biggest loads: CP-0051 22.0 kW · CP-0050 11.0 kW · CP-0056 …"}, // not "11.0 k…"
		{loads, 66, loads},
		{"F10 loading 120%", 8, "F10 loa…"},                 // words are cut as before
		{"2 h 11 min · −0.9%/10 min", 24, "2 h 11 min · …"}, // "−0.9%/10 …"
		{"最大负荷: CP-1501 11.1 kW · CP-0942 10.8 kW", 40, "最大负荷: CP-1501 11.1 kW · CP-0942 …"},
		{"20:08–23:03", 9, "…"},
		{"22:00–00:00 (+1 d)", 16, "22:00–00:00 …"}, // not "(+1…" nor "(+1 …"
		{"\x1b[1mF10\x1b[0m 1,821 kW", 8, "\x1b[1mF10\x1b[0m …"},
	} {
		got := truncateWhole(c.s, c.w)
		if got != c.want {
			t.Errorf("truncateWhole(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
		if width(got) > c.w {
			t.Errorf("truncateWhole(%q, %d) = %q is %d cells", c.s, c.w, got, width(got))
		}
	}
}

// TestBoxTitleCutRunsTheEdgeOn: a box title cut between fields is shorter
// than its room; fit padded it, and the DR page's top edge read
// "≤ 1,450 kW …          ─╮", spaces in the border. The edge's line runs
// on after the title.
func TestBoxTitleCutRunsTheEdgeOn(t *testing.T) {
	m, _, _ := newTestModel(t, "zh-CN", 64, 18)
	top := ansi.Strip(m.box("调度预览 · T-F10-1919 · 受电上限 F10 ≤ 1,450 kW 19:19–22:47", 64, 4, nil)[0])
	if !strings.HasPrefix(top, "╭─ 调度预览 · T-F10-1919 · 受电上限 F10 ≤ 1,450 kW … ─") || strings.Contains(top, "  ") ||
		!strings.HasSuffix(top, "─╮") || width(top) != 64 {
		t.Errorf("top edge %q: want the title cut after 1,450 kW, then the edge's line to the corner, 64 cells", top)
	}
}
