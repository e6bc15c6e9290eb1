package numtext

import (
	"math"
	"strconv"
)

// KW is a power in whole kW with thousands separators and, below zero, a
// minus sign (U+2212): "2,058", "−1,200". A value that is not a number
// reads "NaN", and an infinite one "+Inf" or "-Inf".
func KW(kw float64) string {
	if math.IsNaN(kw) || math.IsInf(kw, 0) {
		return strconv.FormatFloat(kw, 'f', 0, 64)
	}
	n := math.Round(kw)
	neg := n < 0
	s := strconv.FormatFloat(math.Abs(n), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "−" + s
	}
	return s
}
