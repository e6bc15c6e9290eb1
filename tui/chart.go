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
	// limit is the import limit or a DR event's cap in kW, drawn as a
	// line; 0 for none. It may be negative: an export event's target (net
	// export of 1,500 kW is a load of at most −1,500 kW).
	limit float64
	// limitFrom and limitTo, when limitTo > limitFrom, confine the limit
	// line to those minutes from the start of the chart (a DR cap holds
	// only in its window).
	limitFrom, limitTo int
	bands              []TOUBand
	legend             []string // shown on the top line, right-aligned
	// ask is the legend's item for what a DR event asks (its cap or
	// target), shown after legend and given up last on a short line: the
	// curves' names are read off their styles, the cap is the event.
	ask string
	// target, one value a minute (NaN: none), is a target that changes
	// over time, drawn in the limit's style as a dashed curve: a shed
	// event's, the unmanaged load less the shed, slot by slot.
	target []float64
	// targetLabel, when not 0, is the value of a target that holds one
	// level (a hand-back's import limit after the window): the row its
	// dashes are drawn in is labelled with it, as the cap's row is. Drawn
	// in a data row, that row read the round value it stood for (4,000
	// beside a 3,800 kW limit at 80x24).
	targetLabel float64
	st          *styles
	// fromHour and hours narrow the x range to a window of whole hours of
	// the day (the dispatch preview); hours 0 means the whole day.
	fromHour, hours int
	// t translates the chart's own words (the axis note); nil is English.
	t func(string) string
}

// tr translates s with c.t, or returns it as it is.
func (c dayChart) tr(s string) string {
	if c.t == nil {
		return s
	}
	return c.t(s)
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
	sc := c.scale(ph)
	labels := sc.labels(st)
	if c.targetLabel != 0 {
		if r := sc.dot(c.targetLabel) / 4; r >= 0 && r < len(labels) && r != sc.capRow {
			labels[r] = st.limit.Render(sc.valueLabel(c.targetLabel))
		}
	}
	lw := 0
	for _, l := range labels {
		lw = max(lw, width(l))
	}
	pw := w - lw - 1
	if pw < 8 {
		return padLines(nil, w, h)
	}

	// Plot into a braille grid of pw*2 x ph*4 dots, one bit set per series.
	// cross marks the columns where a solid curve passes through the cap
	// row: outside the cap's window the crossing is drawn there.
	meas := make([]uint8, pw*ph)
	plan := make([]uint8, pw*ph)
	tgt := make([]uint8, pw*ph)
	cross := make([]uint8, pw)
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
			y := sc.dot(v)
			if s.dotted {
				if x%2 == 0 {
					set(grid, x, y)
				}
				continue
			}
			set(grid, x, y)
			if prev >= 0 {
				for yy := min(prev, y) + 1; yy < max(prev, y); yy++ {
					if sc.capRow >= 0 && yy/4 == sc.capRow {
						cross[x/2] |= brailleBits[x%2][yy%4]
						continue
					}
					set(grid, x, yy)
				}
			}
			prev = y
		}
	}

	if c.target != nil {
		for x, v := range binMean(c.target, pw*2) {
			// Two dots on, two off: a dashed line, told from the plan's
			// dotted one by its style and rhythm.
			if !math.IsNaN(v) && x%4 < 2 {
				set(tgt, x, sc.dot(v))
			}
		}
	}

	lines := make([]string, 0, h)
	top := st.dim.Render(sc.unit)
	if !sc.fromZero {
		// A range fitted to the data leaves out zero: said, so that the
		// bottom row is not read as no load.
		top += st.dim.Render(" · " + c.tr("axis not from 0"))
	}
	// The legend loses its last items first when the line is short, not
	// all of them at once (at 100 columns the import limit went too).
	legend, ask := c.legend, c.ask
	if sc.capRow < 0 && c.limit != 0 {
		// Too short a plot for the limit's row of its own: the legend
		// names the limit without the ┄ of a line not drawn.
		legend = make([]string, len(c.legend))
		for i, l := range c.legend {
			legend[i] = strings.Replace(l, st.limit.Render("┄")+" ", "", 1)
		}
		ask = strings.Replace(ask, st.limit.Render("┄")+" ", "", 1)
	}
	joined := func() string {
		if ask == "" {
			return strings.Join(legend, "  ")
		}
		return strings.Join(append(legend[:len(legend):len(legend)], ask), "  ")
	}
	// At 64 columns the dispatch preview's legend lost its cap, the last
	// item, to the names of its curves.
	for len(legend) > 0 && width(top)+width(joined())+1 > w {
		legend = legend[:len(legend)-1]
	}
	if width(top)+width(joined())+1 > w {
		ask = ""
	}
	lines = append(lines, spread(top, joined(), w))
	var b strings.Builder
	for r := 0; r < ph; r++ {
		b.Reset()
		b.WriteString(strings.Repeat(" ", lw-width(labels[r])) + labels[r])
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
			case r == sc.capRow && c.limitAt(x, pw):
				// The cap row holds no data (values above the cap are drawn
				// above it, the rest below), so the cap shows in every
				// column of its window, also where a curve crosses it.
				ch, sty, kind = '┄', st.limit, 3
			case r == sc.capRow && cross[x] != 0:
				ch, sty, kind = rune(0x2800+int(cross[x])), st.measured, 1
			case tgt[i] != 0:
				// The target's dashes stay in sight where a plan holds
				// it (as the cap's row does), the curves' dots merged in.
				ch, sty, kind = rune(0x2800+int(tgt[i]|meas[i]|plan[i])), st.limit, 3
			case meas[i] != 0:
				ch, sty, kind = rune(0x2800+int(meas[i]|plan[i])), st.measured, 1
			case plan[i] != 0:
				ch, sty, kind = rune(0x2800+int(plan[i])), st.plan, 2
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

// axisLabel formats a y axis value with as many decimals as step needs.
func axisLabel(v, step float64) string {
	dec := 0
	for s := step; dec < 2 && math.Abs(s-math.Round(s)) > 1e-9; s *= 10 {
		dec++
	}
	if dec == 0 {
		return thousands(int64(math.Round(v)))
	}
	return decimal(v, dec)
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
