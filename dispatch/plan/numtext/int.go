package numtext

import "strconv"

// Minus is the sign written before a number below zero. The records and
// reports of the DR workflow use MinusSign; the dashboard's counts and
// `v2gdesk status` use HyphenMinus, which their goldens and scripts expect.
type Minus string

const (
	// HyphenMinus is the ASCII "-".
	HyphenMinus Minus = "-"
	// MinusSign is U+2212, "−", the width of a digit.
	MinusSign Minus = "−"
)

// Integer is any integer type Int formats.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// Int is n with thousands separators and, below zero, the minus m:
// Int(-1234567, MinusSign) is "−1,234,567". Every integer reads whole,
// the most negative one too.
func Int[T Integer](n T, m Minus) string {
	if n < 0 {
		// FormatInt's digits after its "-": -n would overflow at the
		// most negative value.
		return group(strconv.FormatInt(int64(n), 10)[1:], true, m)
	}
	return group(strconv.FormatUint(uint64(n), 10), false, m)
}

// group puts a separator between each three of digits, from the right,
// and m before them when neg.
func group(digits string, neg bool, m Minus) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	if neg {
		return string(m) + digits
	}
	return digits
}
