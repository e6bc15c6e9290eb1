package adapters

import (
	"testing"
	"time"
)

// The DR controller waits out the guard's rate limit after a send
// (control.RateLimiter): the guard says what it is, and no limit as 0.
func TestGuardSaysItsMinInterval(t *testing.T) {
	for _, tc := range []struct {
		set, want time.Duration
	}{
		{DefaultMinInterval, DefaultMinInterval},
		{3 * time.Second, 3 * time.Second},
		{0, 0},
		{-time.Second, 0},
	} {
		g := NewGuard(nil, GuardOptions{MinInterval: tc.set})
		if got := g.MinInterval(); got != tc.want {
			t.Errorf("MinInterval %s: guard says %s, want %s", tc.set, got, tc.want)
		}
		g.Close()
	}
}
