package numtext

import (
	"math"
	"testing"
)

// TestInt: an integer grouped in threes, below zero with the minus the
// caller chose, over the whole range of the integer types.
func TestInt(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		m    Minus
		want string
	}{
		{0, HyphenMinus, "0"},
		{999, MinusSign, "999"},
		{1000, HyphenMinus, "1,000"},
		{1204, MinusSign, "1,204"},
		{-123, HyphenMinus, "-123"},
		{-1234567, HyphenMinus, "-1,234,567"},
		{-1234567, MinusSign, "−1,234,567"},
		{-100000, MinusSign, "−100,000"},
		{math.MaxInt64, HyphenMinus, "9,223,372,036,854,775,807"},
		{math.MinInt64, HyphenMinus, "-9,223,372,036,854,775,808"},
	} {
		if got := Int(tc.n, tc.m); got != tc.want {
			t.Errorf("Int(%d, %q) = %q, want %q", tc.n, tc.m, got, tc.want)
		}
	}
	if got := Int(uint64(math.MaxUint64), HyphenMinus); got != "18,446,744,073,709,551,615" {
		t.Errorf("Int(MaxUint64) = %q", got)
	}
	if got := Int(int8(-128), MinusSign); got != "−128" {
		t.Errorf("Int(int8(-128)) = %q", got)
	}
}
