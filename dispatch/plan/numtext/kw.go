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
	if math.Abs(n) < 1<<63 {
		return Int(int64(n), MinusSign)
	}
	// Beyond the integers: grouped the same way, from the float's digits.
	return group(strconv.FormatFloat(math.Abs(n), 'f', 0, 64), n < 0, MinusSign)
}
