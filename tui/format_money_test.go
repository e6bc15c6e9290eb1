package tui

import "testing"

// A plan that earns more from V2G export than it pays for charging costs
// less than nothing: the sign goes before the currency ("−¥4", not "¥-4").
func TestYuan(t *testing.T) {
	for v, want := range map[float64]string{0: "¥0", 247: "¥247", 3068.4: "¥3,068", -4: "−¥4", -1234: "−¥1,234"} {
		if got := yuan(v); got != want {
			t.Errorf("yuan(%g) = %q, want %q", v, got, want)
		}
	}
}

// The change against unmanaged charging carries the currency too, in the
// same format: "cost −¥8 (−607 against unmanaged)" left it out.
func TestSignedYuan(t *testing.T) {
	for v, want := range map[float64]string{0: "+¥0", 40: "+¥40", -607: "−¥607", -1234.4: "−¥1,234"} {
		if got := signedYuan(v); got != want {
			t.Errorf("signedYuan(%g) = %q, want %q", v, got, want)
		}
	}
}
