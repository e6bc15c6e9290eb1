package numtext

import (
	"math"
	"testing"
)

// TestKW: whole kW, grouped in threes, with the minus sign the records use.
func TestKW(t *testing.T) {
	for _, tc := range []struct {
		kw   float64
		want string
	}{
		{0, "0"},
		{-0.4, "0"},
		{0.5, "1"},
		{999.4, "999"},
		{999.5, "1,000"},
		{2058, "2,058"},
		{150.8, "151"},
		{1234567, "1,234,567"},
		{-1200, "−1,200"},
		{-0.6, "−1"},
		{-123456, "−123,456"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
	} {
		if got := KW(tc.kw); got != tc.want {
			t.Errorf("KW(%v) = %q, want %q", tc.kw, got, tc.want)
		}
	}
}
