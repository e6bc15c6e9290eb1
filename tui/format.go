package tui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
)

// Widths are terminal cells, never bytes or runes: a Chinese character is
// two cells, and styled strings carry escape codes.

// width returns the display width of s in cells.
func width(s string) int { return lipgloss.Width(s) }

// clean replaces control characters (other than the escape that starts a
// style) with spaces: names and texts from the feed reach the screen, and
// a newline in a site name must not break the layout.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != 0x1b) || c == 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r != 0x1b && (r < 0x20 || r == 0x7f) {
			return ' '
		}
		return r
	}, s)
}

// fit pads or truncates s to exactly w cells, aligned left; a cut falls
// between fields, never inside a figure (truncateWhole).
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = clean(s)
	sw := width(s)
	if sw > w {
		s = truncateWhole(s, w)
		sw = width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitR pads or truncates s to exactly w cells, aligned right, cut as fit
// cuts.
func fitR(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = clean(s)
	sw := width(s)
	if sw > w {
		s = truncateWhole(s, w)
		return strings.Repeat(" ", w-width(s)) + s
	}
	return strings.Repeat(" ", w-sw) + s
}

// spread puts left and right on one line of w cells with spaces between;
// when they do not fit, right is dropped first, then left truncated.
func spread(left, right string, w int) string {
	lw, rw := width(left), width(right)
	if lw+rw+1 > w {
		return fit(left, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// thousands formats n with comma separators and an ASCII minus: 1204 ->
// "1,204" (numtext.Int; the goldens have the hyphen-minus).
func thousands(n int64) string { return numtext.Int(n, numtext.HyphenMinus) }

// priceUnit is the unit of a DR price event's energy price: yuan per kWh,
// the currency the desk's costs are in (SignedYuan), as the journal
// describes the event (control.PriceUnit).
const priceUnit = control.PriceUnit

// decimal formats v with dec decimals and its whole part grouped as
// thousands does: 1490 with 1 decimal is "1,490.0", so a label with
// decimals reads like the whole numbers beside it ("1,500").
func decimal(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		// Beyond the integers: no axis or figure on the desk gets here.
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
	out := numtext.Int(n, numtext.HyphenMinus)
	if frac != "" {
		out += "." + frac
	}
	// A value that rounds to zero reads without a sign ("0.0", not "-0.0").
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// kw1 formats a charger's power with one decimal and the minus sign the
// other screens use ("−3.6", the width of a digit; "-3.6" was the chargers
// list's own); a value that rounds to zero has no sign.
func kw1(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		if strings.Trim(rest, "0.") == "" {
			return rest
		}
		return "−" + rest
	}
	return s
}

// kw formats a power in whole kW with separators; NaN is a dash.
func kw(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return thousands(int64(math.Round(v)))
}

// loadKW formats a load in whole kW that may be below zero (net export)
// with the minus sign (U+2212), as the event's page writes its changes
// ("F01 −312 kW", signedKW) and `v2gdesk dispatch` its figures
// (numtext.KW): its progress line read "F01 measured -41 kW" in another
// hand beside them. NaN is a dash, as kw has it.
func loadKW(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return numtext.KW(v)
}

// mw formats a power given in kW as MW with one decimal.
func mw(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v/1000, 'f', 1, 64) + " MW"
}

// mwh formats an energy given in kWh as MWh with one decimal.
func mwh(v float64) string {
	return strconv.FormatFloat(v/1000, 'f', 1, 64) + " MWh"
}

// pct formats a percentage as Pct does.
func pct(v float64) string { return Pct(v) }

// Pct formats a percentage without decimals, rounding down so a figure
// never reads as a threshold it has not reached (89.6 % is "89%", not a
// "90%" without a warning; 99.6 % is not "100%"). It is exported so text
// reports (`v2gdesk replay --headless`) round as the dashboard does.
func Pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.Itoa(int(math.Floor(v+1e-9))) + "%"
}

// ago formats a duration compactly for ages, its units translated by tr:
// "0.2 s", "40 s", "5 min", "2 h 59 min". From 2 h on it keeps the
// minutes: whole hours alone read "2 h" for 2 h 59 min while the rows
// beside it said "119 min"; a whole hour reads "3 h".
func ago(d time.Duration, tr func(string) string) string {
	switch {
	case d < 0:
		d = 0
		fallthrough
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " " + tr("s")
	case d < 2*time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " " + tr("s")
	case d < 2*time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " " + tr("min")
	}
	h := strconv.Itoa(int(d.Hours())) + " " + tr("h")
	if mins := int(d.Minutes()) % 60; mins > 0 {
		return h + " " + strconv.Itoa(mins) + " " + tr("min")
	}
	return h
}

// agoHours is ago in whole hours from 2 h on ("2 h" for 2 h 59 min), for
// an alarm's text: its cell in the alarm lists is too narrow for "2 h 59
// min" (cut to "2 h 59 …"), and the row beside it gives the time it began.
func agoHours(d time.Duration, tr func(string) string) string {
	if d < 2*time.Hour {
		return ago(d, tr)
	}
	return strconv.Itoa(int(d.Hours())) + " " + tr("h")
}

// hhmm formats t as 15:04 in loc.
func hhmm(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("15:04")
}

// dayTime formats t as 15:04 when it falls on the same local day as ref,
// and 01-02 15:04 otherwise.
func dayTime(t, ref time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	lt, lr := t.In(loc), ref.In(loc)
	if lt.YearDay() == lr.YearDay() && lt.Year() == lr.Year() {
		return lt.Format("15:04")
	}
	return lt.Format("01-02 15:04")
}

// eighths are the partial blocks for bars, 1/8 to 8/8.
var eighths = []rune{'▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'}

// bar draws frac (0..1, clamped) of w cells with eighth-cell precision.
func bar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	if frac > 1 {
		frac = 1
	}
	n := int(math.Round(frac * float64(w) * 8))
	var b strings.Builder
	full := n / 8
	b.WriteString(strings.Repeat("█", full))
	cells := full
	if rem := n % 8; rem > 0 {
		b.WriteRune(eighths[rem-1])
		cells++
	}
	b.WriteString(strings.Repeat(" ", w-cells))
	return b.String()
}

// sparkRunes are the levels of a sparkline, lowest first.
var sparkRunes = []rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// spark draws vals as a sparkline of w cells, averaging the values that
// fall in each cell; cells without data are blank. lo and hi fix the scale;
// when lo >= hi the scale is the data's own range.
func spark(vals []float64, w int, lo, hi float64) string {
	if w <= 0 {
		return ""
	}
	cells := binMean(vals, w)
	if lo >= hi {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range cells {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	var b strings.Builder
	for _, v := range cells {
		if math.IsNaN(v) {
			b.WriteByte(' ')
			continue
		}
		i := 0
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(sparkRunes)-1))
		}
		i = max(0, min(i, len(sparkRunes)-1))
		b.WriteRune(sparkRunes[i])
	}
	return b.String()
}

// binMean reduces vals to n bins, each the mean of its non-NaN values (NaN
// when it has none).
func binMean(vals []float64, n int) []float64 {
	out := make([]float64, n)
	if len(vals) == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	for i := range out {
		from := i * len(vals) / n
		to := (i + 1) * len(vals) / n
		if to <= from {
			to = from + 1
		}
		sum, k := 0.0, 0
		for j := from; j < to && j < len(vals); j++ {
			if v := vals[j]; !math.IsNaN(v) {
				sum += v
				k++
			}
		}
		if k == 0 {
			out[i] = math.NaN()
		} else {
			out[i] = sum / float64(k)
		}
	}
	return out
}

// ftoa formats v with dec decimals.
func ftoa(v float64, dec int) string { return strconv.FormatFloat(v, 'f', dec, 64) }
