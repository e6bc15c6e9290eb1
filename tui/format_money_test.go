package tui

import "testing"

// A plan that earns more from V2G export than it pays for charging costs
// less than nothing: the sign goes before the currency ("−¥4", not "¥-4").
func TestYuan(t *testing.T) {
	for v, want := range map[float64]string{0: "¥0", 247: "¥247", 3068.4: "¥3,068", 1234.4: "¥1,234", -0.4: "¥0", -4: "−¥4",
		-14.2: "−¥14", -1234: "−¥1,234", -1500: "−¥1,500"} {
		if got := Yuan(v); got != want {
			t.Errorf("Yuan(%g) = %q, want %q", v, got, want)
		}
	}
}

// The change against unmanaged charging carries the currency too, in the
// same format: "cost −¥8 (−607 against unmanaged)" left it out.
func TestSignedYuan(t *testing.T) {
	for v, want := range map[float64]string{0: "+¥0", 40: "+¥40", -607: "−¥607", -1234.4: "−¥1,234"} {
		if got := SignedYuan(v); got != want {
			t.Errorf("SignedYuan(%g) = %q, want %q", v, got, want)
		}
	}
}
