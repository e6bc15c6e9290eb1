package tui

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestAxisLabelsGroupThousands: on a fine scale the labels with decimals
// read "1490.0", "1502.5" beside the limit's "1,500". Every y axis label,
// whole or with decimals, kW or MW, groups its whole part in threes; the
// figures are the same in both languages, so one renderer checks both.
func TestAxisLabelsGroupThousands(t *testing.T) {
	st := newStyles(asciiRenderer())
	ungrouped := regexp.MustCompile(`\d{4}`)
	sawDecimal := false
	for _, tc := range []struct {
		base, amp, limit float64
	}{
		{1495, 8, 1500},   // the reported case: 1,490.0 … 1,502.5
		{1500, 3, 1500},   // finer still: two decimals
		{2000, 5, 0},      // no limit
		{-1495, 8, 0},     // export: below zero
		{1200500, 900, 0}, // MW with decimals over a thousand
	} {
		for _, h := range []int{7, 12, 20} {
			vals := make([]float64, 1440)
			for i := range vals {
				vals[i] = tc.base + tc.amp*math.Sin(float64(i)/200)
			}
			c := dayChart{st: &st, limit: tc.limit, series: []chartSeries{{vals: vals}}}
			lines := c.render(60, h)
			chart := ansi.Strip(strings.Join(lines, "\n"))
			name := fmt.Sprintf("%v±%v limit %v h=%d", tc.base, tc.amp, tc.limit, h)
			for _, l := range lines {
				s := ansi.Strip(l)
				j := strings.Index(s, "┤")
				if j < 0 {
					continue
				}
				label := strings.TrimSpace(strings.TrimLeft(s[:j], "│ "))
				if strings.Contains(label, ".") {
					sawDecimal = true
				}
				if ungrouped.MatchString(label) {
					t.Errorf("%s: label %q has no thousands separator:\n%s", name, label, chart)
				}
			}
			axisLabels(t, lines) // every label still parses as a number
		}
	}
	if !sawDecimal {
		t.Fatal("no chart had a label with decimals: the cases do not test them")
	}
}

// TestDecimal: decimals after a grouped whole part, the sign kept below
// zero and dropped when the value rounds to zero.
func TestDecimal(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		dec  int
		want string
	}{
		{1490, 1, "1,490.0"},
		{1502.5, 1, "1,502.5"},
		{1499.75, 2, "1,499.75"},
		{999.95, 1, "1,000.0"},
		{12.5, 1, "12.5"},
		{-1234.5, 1, "-1,234.5"},
		{-0.04, 1, "0.0"},
		{1234567.891, 0, "1,234,568"},
		{math.NaN(), 1, "—"},
	} {
		if got := decimal(tc.v, tc.dec); got != tc.want {
			t.Errorf("decimal(%v, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
}
