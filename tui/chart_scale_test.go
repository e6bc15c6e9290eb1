package tui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// axisLabels returns the y axis labels of a rendered chart, top to bottom,
// as numbers, with the plot line each is on.
func axisLabels(t *testing.T, lines []string) (vals []float64, at []int) {
	t.Helper()
	for i, l := range lines {
		s := ansi.Strip(l)
		j := strings.Index(s, "┤")
		if j < 0 {
			continue
		}
		f := strings.TrimSpace(strings.TrimLeft(s[:j], "│ "))
		v, err := strconv.ParseFloat(strings.ReplaceAll(f, ",", ""), 64)
		if err != nil {
			t.Fatalf("line %d: label %q is not a number: %q", i, f, s)
		}
		vals, at = append(vals, v), append(at, i)
	}
	return vals, at
}

// checkOrdered fails unless the labels decrease from top to bottom.
func checkOrdered(t *testing.T, vals []float64, chart string) {
	t.Helper()
	for i := 1; i < len(vals); i++ {
		if vals[i] >= vals[i-1] {
			t.Errorf("y labels out of order %v:\n%s", vals, chart)
			return
		}
	}
}

// TestDayChartLimitUnderACurve: a plan running just above the limit all
// day, on a short chart. The limit line stays in view in every column (it
// was drawn only where no curve was, and a curve on its row hid it all),
// the axis labels the limit and the values where the curves are, in order,
// and the range is fitted to the data, which the top line says.
func TestDayChartLimitUnderACurve(t *testing.T) {
	st := newStyles(asciiRenderer())
	plan, meas := make([]float64, 1440), make([]float64, 1440)
	for i := range plan {
		plan[i] = 1470 + 25*math.Sin(float64(i)/200) // 1,445 .. 1,495 kW
		meas[i] = math.NaN()
		if i < 600 {
			meas[i] = 1900 + 50*math.Sin(float64(i)/100)
		}
	}
	c := dayChart{st: &st, limit: 1435, series: []chartSeries{{vals: plan, dotted: true}, {vals: meas}}}
	lines := c.render(76, 7)
	chart := ansi.Strip(strings.Join(lines, "\n"))
	capLine := -1
	for i, l := range lines {
		if n := strings.Count(ansi.Strip(l), "┄"); n >= 60 {
			capLine = i
		}
	}
	if capLine < 0 {
		t.Fatalf("no limit line across the plot (the plan above it hides it):\n%s", chart)
	}
	vals, at := axisLabels(t, lines)
	checkOrdered(t, vals, chart)
	if len(vals) < 3 {
		t.Fatalf("y labels %v, want the top, the limit and more:\n%s", vals, chart)
	}
	if vals[0] < 1800 {
		t.Errorf("top label %v, want one near the measured load (up to 1,950 kW):\n%s", vals[0], chart)
	}
	found := false
	for i, v := range vals {
		if v == 1435 && at[i] == capLine {
			found = true
		}
	}
	if !found {
		t.Errorf("the limit line (line %d) is not labelled 1,435: labels %v at %v:\n%s", capLine, vals, at, chart)
	}
	if vals[len(vals)-1] <= 0 || !strings.Contains(ansi.Strip(lines[0]), "axis not from 0") {
		t.Errorf("the range should be fitted to 1,435..1,950 and say it does not start at 0 (labels %v):\n%s", vals, chart)
	}
	// Values over the limit are drawn above its line, the rest below.
	for i := capLine + 1; i < len(lines)-2; i++ {
		if strings.ContainsAny(ansi.Strip(lines[i]), "⠁⠂⠄⡀⠈⠐⠠⢀⣀⠉⠒⠤") {
			t.Errorf("line %d under the limit has dots, but every value is over it:\n%s", i, chart)
		}
	}
}

// TestDayChartFromZero: a day curve whose lowest value is under half its
// highest keeps zero at the bottom and says nothing about the axis.
func TestDayChartFromZero(t *testing.T) {
	st := newStyles(asciiRenderer())
	vals := make([]float64, 1440)
	for i := range vals {
		vals[i] = 600 + 900*float64(i)/1440
	}
	lines := dayChart{st: &st, limit: 1510, series: []chartSeries{{vals: vals}}}.render(76, 9)
	chart := ansi.Strip(strings.Join(lines, "\n"))
	vals2, _ := axisLabels(t, lines)
	checkOrdered(t, vals2, chart)
	if len(vals2) == 0 || vals2[len(vals2)-1] != 0 || strings.Contains(chart, "axis not from 0") {
		t.Errorf("labels %v, want 0 at the bottom and no note:\n%s", vals2, chart)
	}
}

// TestOverviewChartAt80x24: the overview's day chart, as the 80x24
// layout draws it, labels the import limit on its line, in order with the
// other labels, and the line runs the whole day.
func TestOverviewChartAt80x24(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, fx, _ := newTestModel(t, lang, 80, 24)
		c := m.systemChart()
		lines := c.render(76, 7)
		chart := ansi.Strip(strings.Join(lines, "\n"))
		vals, _ := axisLabels(t, lines)
		checkOrdered(t, vals, chart)
		limit := strconv.FormatFloat(fx.snap.System.ImportLimitKW/1000, 'f', 1, 64) + "┤" + strings.Repeat("┄", 60)
		if !strings.Contains(chart, limit) {
			t.Errorf("%s: no line %q:\n%s", lang, limit, chart)
		}
	}
}
