package tui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// The load curve is drawn with braille of our own rather than ntcharts
// v0.4.0: its timeserieslinechart draws each data set over the last (a cell
// shared by the measured curve and the plan keeps only one), joins points
// across gaps instead of leaving minutes without data blank, has no
// horizontal limit line or band row, and stops drawing at the first empty
// data set. A day curve is a fixed x range (the local day) sampled per
// minute, which a plain braille grid draws in a few microseconds.

// chartSeries is one curve: samples evenly spaced over the x range, NaN
// where there is no data.
type chartSeries struct {
	vals   []float64
	dotted bool // a plan or forecast: every other dot column, no joins
	style  lipgloss.Style
}

// dayChart is a load curve over one local day.
type dayChart struct {
	series []chartSeries
	limit  float64 // import limit in kW; 0 for none
	// limitFrom and limitTo, when limitTo > limitFrom, confine the limit
	// line to those minutes from the start of the chart (a DR cap holds
	// only in its window).
	limitFrom, limitTo int
	bands              []TOUBand
	legend             []string // shown on the top line, right-aligned
	st                 *styles
	// fromHour and hours narrow the x range to a window of whole hours of
	// the day (the dispatch preview); hours 0 means the whole day.
	fromHour, hours int
}

// limitAt reports whether plot column x of pw holds the limit line.
func (c dayChart) limitAt(x, pw int) bool {
	if c.limitTo <= c.limitFrom {
		return true
	}
	hours := c.hours
	if hours <= 0 {
		hours = 24
	}
	minute := (float64(x) + 0.5) / float64(pw) * float64(hours*60)
	return minute >= float64(c.limitFrom) && minute < float64(c.limitTo)
}

// braille dot bits by [column][row] within a cell.
var brailleBits = [2][4]uint8{{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

// countEmpty counts the empty strings in ss.
func countEmpty(ss []string) int {
	n := 0
	for _, s := range ss {
		if s == "" {
			n++
		}
	}
	return n
}

// render draws the chart in exactly h lines of w cells: a unit and legend
// line, the plot with a y axis, the x axis with hour labels, and the
// time-of-use band row when bands are known.
func (c dayChart) render(w, h int) []string {
	st := c.st
	// The band row gives way first on a short chart.
	bandRow := len(c.bands) > 0 && h >= 8
	ph := h - 3
	if bandRow {
		ph--
	}
	if ph < 2 || w < 20 {
		return padLines(nil, w, h)
	}
	// The y range starts at zero, or below it when a curve exports (V2G
	// can push a feeder's load negative).
	peak, low := c.limit, 0.0
	for _, s := range c.series {
		for _, v := range s.vals {
			if math.IsNaN(v) {
				continue
			}
			peak, low = math.Max(peak, v), math.Min(low, v)
		}
	}
	inMW := math.Max(peak, -low) >= 10000
	div := 1.0
	unit := "kW"
	if inMW {
		div, unit = 1000, "MW"
	}
	if peak <= 0 {
		peak = div
	}
	// Rows cover yMin..yMax; labels go on the rows where round values
	// fall, about every other row, so the curve uses the height it is given.
	yMax := peak * 1.06
	yMin := low * 1.06
	span := yMax - yMin
	tick := niceStep(span / div / math.Max(1, float64(ph)/2))
	row := func(v float64) int { return ph - 1 - int((v-yMin)/span*float64(ph)) }
	labels := make([]string, ph)
	lw := 0
	for v := math.Ceil(yMin/div/tick) * tick; v <= yMax/div; v += tick {
		r := row(v * div)
		if r < 0 || r >= ph || labels[r] != "" {
			continue
		}
		labels[r] = axisLabel(v, tick)
		lw = max(lw, width(labels[r]))
	}
	// A chart a few rows high may get a single label, 0 at the bottom,
	// and then a curve near the top of the bottom row reads as zero: the
	// top row gets the top of the scale.
	if labelled := len(labels) - countEmpty(labels); labelled < 2 && labels[0] == "" {
		labels[0] = axisLabel(math.Floor(yMax/div), 1)
		lw = max(lw, width(labels[0]))
	}
	pw := w - lw - 1
	if pw < 8 {
		return padLines(nil, w, h)
	}

	// Plot into a braille grid of pw*2 x ph*4 dots, one bit set per series.
	meas := make([]uint8, pw*ph)
	plan := make([]uint8, pw*ph)
	dotRows := ph * 4
	toDot := func(v float64) int {
		d := dotRows - 1 - int((v-yMin)/span*float64(dotRows))
		return max(0, min(d, dotRows-1))
	}
	set := func(grid []uint8, x, y int) {
		grid[(y/4)*pw+x/2] |= brailleBits[x%2][y%4]
	}
	for _, s := range c.series {
		grid := meas
		if s.dotted {
			grid = plan
		}
		cols := binMean(s.vals, pw*2)
		prev := -1
		for x, v := range cols {
			if math.IsNaN(v) {
				prev = -1
				continue
			}
			y := toDot(v)
			if s.dotted {
				if x%2 == 0 {
					set(grid, x, y)
				}
				continue
			}
			set(grid, x, y)
			if prev >= 0 {
				for yy := min(prev, y) + 1; yy < max(prev, y); yy++ {
					set(grid, x, yy)
				}
			}
			prev = y
		}
	}
	limitRow := -1
	if c.limit > 0 {
		limitRow = row(c.limit)
		limitRow = max(0, min(limitRow, ph-1))
	}

	lines := make([]string, 0, h)
	top := st.dim.Render(unit)
	// The legend loses its last items first when the line is short, not
	// all of them at once (at 100 columns the import limit went too).
	legend := c.legend
	for len(legend) > 0 && width(top)+width(strings.Join(legend, "  "))+1 > w {
		legend = legend[:len(legend)-1]
	}
	lines = append(lines, spread(top, strings.Join(legend, "  "), w))
	var b strings.Builder
	for r := 0; r < ph; r++ {
		b.Reset()
		b.WriteString(fitR(labels[r], lw))
		if labels[r] != "" {
			b.WriteString(st.dim.Render("┤"))
		} else {
			b.WriteString(st.dim.Render("│"))
		}
		run, runStyle := []rune{}, lipgloss.Style{}
		runKind := -1
		flush := func() {
			if len(run) > 0 {
				if runKind == 0 {
					b.WriteString(string(run))
				} else {
					b.WriteString(runStyle.Render(string(run)))
				}
				run = run[:0]
			}
		}
		for x := 0; x < pw; x++ {
			i := r*pw + x
			var ch rune
			var sty lipgloss.Style
			kind := 0
			switch {
			case meas[i] != 0:
				ch, sty, kind = rune(0x2800+int(meas[i]|plan[i])), st.measured, 1
			case plan[i] != 0:
				ch, sty, kind = rune(0x2800+int(plan[i])), st.plan, 2
			case r == limitRow && c.limitAt(x, pw):
				ch, sty, kind = '┄', st.limit, 3
			default:
				ch = ' '
			}
			if kind != runKind {
				flush()
				runKind, runStyle = kind, sty
			}
			run = append(run, ch)
		}
		flush()
		lines = append(lines, b.String())
	}

	// X axis: ticks every 3 hours, every 6 when narrow; every hour or two
	// on a window.
	from, hours := c.fromHour, c.hours
	if hours <= 0 {
		from, hours = 0, 24
	}
	every3 := 3
	if pw < 48 {
		every3 = 6
	}
	if hours < 24 {
		every3 = max(1, hours/6)
	}
	axis := []rune(strings.Repeat("─", pw))
	lab := []rune(strings.Repeat(" ", pw+2))
	for hr := 0; hr <= hours; hr += every3 {
		x := int(math.Round(float64(hr) / float64(hours) * float64(pw-1)))
		axis[x] = '┬'
		// Hours of the next day read 00, 01, ...; only the end of a
		// whole day keeps 24.
		l := from + hr
		if l > 24 || l == 24 && (from > 0 || hr < hours) {
			l -= 24
		}
		s := []rune(twoDigit(l))
		at := x
		if at+len(s) > len(lab) {
			at = len(lab) - len(s)
		}
		copy(lab[at:], s)
	}
	lines = append(lines, strings.Repeat(" ", lw)+st.dim.Render("└"+string(axis)))
	lines = append(lines, strings.Repeat(" ", lw)+st.dim.Render(strings.TrimRight(string(lab), " ")))
	if bandRow {
		var bb strings.Builder
		for x := 0; x < pw; x++ {
			tod := time.Duration(from)*time.Hour + time.Duration((float64(x)+0.5)/float64(pw)*float64(time.Duration(hours)*time.Hour))
			tod %= 24 * time.Hour
			bb.WriteRune(bandAt(c.bands, tod).glyph())
		}
		lines = append(lines, strings.Repeat(" ", lw+1)+st.dim.Render(bb.String()))
	}
	return padLines(lines, w, h)
}

func twoDigit(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// padLines returns exactly h lines of exactly w cells.
func padLines(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", max(w, 0))
		}
	}
	return out
}

// niceStep rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// axisLabel formats a y axis value with as many decimals as step needs.
func axisLabel(v, step float64) string {
	dec := 0
	for s := step; dec < 2 && math.Abs(s-math.Round(s)) > 1e-9; s *= 10 {
		dec++
	}
	if dec == 0 {
		return thousands(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// chartDay is local midnight of the day the "today" charts show: the day
// holding s's time or, once its source has ended, the day holding the
// last moment before the end. A simulated day ends at midnight, the first
// instant of the next day, and its charts would otherwise turn to that
// empty day just as a demonstration reaches its end.
func chartDay(s *feeds.Snapshot, loc *time.Location) time.Time {
	if s.Stats.Ended {
		return dayStart(s.At.Add(-time.Nanosecond), loc)
	}
	return dayStart(s.At, loc)
}

// dayStart returns local midnight of the day holding t.
func dayStart(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
}
