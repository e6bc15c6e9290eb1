package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCapLabelWinsOverNearlyEqualTick: a fine scale around a 1,500 kW
// limit put the limit's "1,500" on one line and a row's "1,495" on the
// next; two nearly equal numbers read as two limits. Within two lines of
// the limit's line no other label is within 1% of the limit, the limit's
// label is there, and the labels still read in order.
func TestCapLabelWinsOverNearlyEqualTick(t *testing.T) {
	st := newStyles(asciiRenderer())
	// The sweep holds the reported case (1,505±30 kW at 20 lines drew
	// "1,495" right under "1,500") and its kin.
	for _, base := range []float64{1470, 1480, 1490, 1495, 1500, 1505} {
		for _, amp := range []float64{8, 10, 15, 20, 30} {
			for _, h := range []int{7, 9, 12, 13, 14, 16, 20} {
				vals := make([]float64, 1440)
				for i := range vals {
					vals[i] = base + amp*math.Sin(float64(i)/200)
				}
				c := dayChart{st: &st, limit: 1500, series: []chartSeries{{vals: vals}}}
				lines := c.render(40, h)
				chart := ansi.Strip(strings.Join(lines, "\n"))
				name := fmt.Sprintf("%v±%v h=%d", base, amp, h)
				vals2, at := axisLabels(t, lines)
				checkOrdered(t, vals2, chart)
				capLine := -1
				for i, v := range vals2 {
					if v == 1500 {
						capLine = at[i]
					}
				}
				if capLine < 0 {
					t.Fatalf("%s: no 1,500 label on the limit's line:\n%s", name, chart)
				}
				for i, v := range vals2 {
					if d := at[i] - capLine; d != 0 && d >= -2 && d <= 2 && math.Abs(v-1500) <= 15 {
						t.Errorf("%s: %v labelled %d lines from the limit's 1,500:\n%s", name, v, d, chart)
					}
				}
			}
		}
	}
}
