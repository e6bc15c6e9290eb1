package tui

import (
	"math"
)

// chartScale maps values to the rows of a day chart. Data rows are evenly
// spaced with a round value at the middle of each; with a limit, one more
// row holds the limit line alone: values over the limit are drawn above it
// and the rest below, so the line is never hidden under a curve that runs
// along it (a plan holding a cap) and a curve that crosses it is seen to.
type chartScale struct {
	unit     string  // "kW" or "MW"
	div      float64 // 1 for kW, 1000 for MW
	top      float64 // kW at the top edge of the first data row
	step     float64 // kW per data row
	rows     int     // data rows
	capRow   int     // plot row of the limit line, -1 for none
	limit    float64 // kW
	fromZero bool    // the range holds zero
}

// rowSteps are the values per row the scale may take, times a power of ten:
// finer than the usual 1-2-5 so that a few rows are not half empty.
var rowSteps = [...]float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8}

// scale fits a y scale to the chart's data and limit in ph rows. It starts
// at zero unless the data's lowest value is above half its highest: then
// zero would squash the curves into the top rows.
func (c dayChart) scale(ph int) chartScale {
	lo, hi := math.Inf(1), math.Inf(-1)
	above, atOrBelow := false, false
	for _, s := range c.series {
		for _, v := range s.vals {
			if math.IsNaN(v) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if c.limit != 0 {
				above = above || v > c.limit
				atOrBelow = atOrBelow || v <= c.limit
			}
		}
	}
	if c.limit != 0 {
		lo, hi = math.Min(lo, c.limit), math.Max(hi, c.limit)
	}
	for _, v := range c.target {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 0
	}
	sc := chartScale{unit: "kW", div: 1, capRow: -1, limit: c.limit}
	if math.Max(hi, -lo) >= 10000 {
		sc.unit, sc.div = "MW", 1000
	}
	sc.fromZero = lo <= 0 || lo <= hi/2
	if sc.fromZero {
		lo = math.Min(lo, 0)
	}
	if hi-lo < sc.div {
		hi = lo + sc.div
	}
	// A little headroom over the highest value; below, only when the
	// range does not end at zero.
	pad := 0.03 * (hi - lo)
	hi += pad
	if lo < 0 || !sc.fromZero {
		lo -= pad
	}
	sc.rows = ph
	if c.limit != 0 && ph >= 3 {
		sc.rows = ph - 1
	}
	lo, hi = lo/sc.div, hi/sc.div
	// The smallest row step whose rows, centred on its multiples, cover
	// lo..hi.
	p := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(sc.rows))))
	var step, base float64
	for i := 0; ; i++ {
		step = rowSteps[i%len(rowSteps)] * p * math.Pow(10, float64(i/len(rowSteps)))
		base = math.Floor((lo+step/2)/step) * step
		if base+(float64(sc.rows)-0.5)*step >= hi || i > 40 {
			break
		}
	}
	sc.step = step * sc.div
	sc.top = (base + (float64(sc.rows)-0.5)*step) * sc.div
	if sc.rows < ph {
		// The limit line goes at the row boundary nearest the limit, with
		// at least a row above it for values over it and one below for
		// those at or under it.
		at := int(math.Round((sc.top - c.limit) / sc.step))
		if above {
			at = max(at, 1)
		}
		if atOrBelow {
			at = min(at, sc.rows-1)
		}
		sc.capRow = max(0, min(at, sc.rows))
	}
	return sc
}

// dot returns the plot's dot row (0 at the top, 4 per row) for v.
func (sc chartScale) dot(v float64) int {
	d := int(math.Floor((sc.top - v) / sc.step * 4))
	d = max(0, min(d, sc.rows*4-1))
	if sc.capRow < 0 {
		return d
	}
	line := sc.capRow * 4
	switch {
	case v > sc.limit && d >= line && line > 0:
		d = line - 1 // just above the line
	case v <= sc.limit && d < line && line < sc.rows*4:
		d = line // just below it
	}
	if d >= line {
		d += 4
	}
	return d
}

// plotRow returns the plot row of data row r.
func (sc chartScale) plotRow(r int) int {
	if sc.capRow >= 0 && r >= sc.capRow {
		return r + 1
	}
	return r
}

// labels returns the y axis label of each plot row: the limit on its
// line, the round value in the middle of each data row (every other one,
// counted from the bottom, on a tall chart), and always the top and bottom
// rows, so the range's ends are read off the axis, unless the limit's
// label stands next to them with a nearly equal value. Labels read
// downwards in decreasing order.
func (sc chartScale) labels(st *styles) []string {
	n := sc.rows
	if sc.capRow >= 0 {
		n++
	}
	out := make([]string, n)
	for r := 0; r < sc.rows; r++ {
		// Counted from the bottom, the second row from the top may get a
		// label next to the top one's: it goes without.
		if sc.rows > 5 && r != 0 && ((sc.rows-1-r)%2 != 0 || r == 1) {
			continue
		}
		v := sc.top - (float64(r)+0.5)*sc.step
		// A row pushed to the other side of the limit line would read
		// out of order.
		if sc.capRow >= 0 && (r < sc.capRow) != (v > sc.limit) {
			continue
		}
		// Near the limit's line, a nearly equal value reads as a second
		// limit ("1,500" over "1,495"): the limit's label says it.
		if sc.nearCap(r) && sc.nearLimit(v) {
			continue
		}
		out[sc.plotRow(r)] = axisLabel(v/sc.div, sc.step/sc.div)
	}
	if sc.capRow >= 0 {
		out[sc.capRow] = st.limit.Render(sc.valueLabel(sc.limit))
	}
	return out
}

// valueLabel is a limit's label on the axis: "1,435" kW, "16.4" MW.
func (sc chartScale) valueLabel(kw float64) string {
	if sc.div > 1 {
		return decimal(kw/sc.div, 1)
	}
	return thousands(int64(math.Round(kw)))
}

// nearCap reports whether data row r is drawn within two lines of the
// limit's line: next to it, or with one unlabelled line between.
func (sc chartScale) nearCap(r int) bool {
	if sc.capRow < 0 {
		return false
	}
	d := sc.plotRow(r) - sc.capRow
	return d >= -2 && d <= 2
}

// nearLimit reports whether a row label of v would read as nearly the
// limit: within 1% of it. On a fine scale over a large value "1,500" and
// "1,495" read alike though a whole row apart; "4,500" over "4,000" do not,
// and the top row's label keeps the range's end on the axis.
func (sc chartScale) nearLimit(v float64) bool {
	return math.Abs(v-sc.limit) <= 0.01*math.Abs(sc.limit)
}
