package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMaxDualStep folds maxDualStep over random duals and directions and
// checks both results against their definitions: a is the step to the
// boundary over all duals (at most 1), rest the step over the duals whose
// own step is at least dualBlockBelow (at most 1).
func TestMaxDualStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(50)
		a, rest := 1.0, 1.0
		wantA, wantRest := 1.0, 1.0
		for j := 0; j < n; j++ {
			z := math.Exp(4 * (rng.Float64() - 0.5))
			dz := 3 * (rng.Float64() - 0.6) * z
			a, rest = maxDualStep(z, dz, a, rest)
			if dz < 0 {
				r := z / -dz
				wantA = math.Min(wantA, r)
				if r >= dualBlockBelow {
					wantRest = math.Min(wantRest, r)
				}
			}
		}
		if math.Abs(a-wantA) > 1e-15 || math.Abs(rest-wantRest) > 1e-15 {
			t.Fatalf("trial %d: got a %g rest %g, want %g %g", trial, a, rest, wantA, wantRest)
		}
		if a > rest {
			t.Fatalf("trial %d: a %g above rest %g", trial, a, rest)
		}
	}
}

// TestBlockedDualStep checks the three cases of a variable's duals: none
// blocking moves both by a; a blocking zl (or zu) ends longStepClip of
// the way to 0 and takes its partner the same fraction of its step; and
// whatever the directions, with a the step over the others, both stay
// positive.
func TestBlockedDualStep(t *testing.T) {
	const a = 0.9
	zl, zu := blockedDualStep(2, 1, -1, 0.5, a)
	if math.Abs(zl-(2-a)) > 1e-15 || math.Abs(zu-(1+0.5*a)) > 1e-15 {
		t.Errorf("no blocking dual: got %g %g, want %g %g", zl, zu, 2-a, 1+0.5*a)
	}
	// zl's own step is 0.1 / 1 = 0.1, below dualBlockBelow.
	zl, zu = blockedDualStep(0.1, 1, -1, -0.2, a)
	st := longStepClip * 0.1
	if math.Abs(zl-0.1*(1-longStepClip)) > 1e-15 || math.Abs(zu-(1-0.2*st)) > 1e-15 {
		t.Errorf("blocking zl: got %g %g, want %g %g", zl, zu, 0.1*(1-longStepClip), 1-0.2*st)
	}
	zl, zu = blockedDualStep(1, 0.3, 0.4, -1, a)
	st = longStepClip * 0.3
	if math.Abs(zu-0.3*(1-longStepClip)) > 1e-15 || math.Abs(zl-(1+0.4*st)) > 1e-15 {
		t.Errorf("blocking zu: got %g %g, want %g %g", zl, zu, 1+0.4*st, 0.3*(1-longStepClip))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 100; trial++ {
		n := 1 + rng.IntN(40)
		zl, zu, dzl, dzu := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		ad, rest := 1.0, 1.0
		for j := range zl {
			zl[j], zu[j] = math.Exp(3*rng.NormFloat64()), math.Exp(3*rng.NormFloat64())
			dzl[j], dzu[j] = 4*(rng.Float64()-0.5)*zl[j], 4*(rng.Float64()-0.5)*zu[j]
			ad, rest = maxDualStep(zl[j], dzl[j], ad, rest)
			ad, rest = maxDualStep(zu[j], dzu[j], ad, rest)
		}
		step := math.Min(1, stepFraction*rest)
		for j := range zl {
			l, u := blockedDualStep(zl[j], zu[j], dzl[j], dzu[j], step)
			if !(l > 0 && u > 0) {
				t.Fatalf("trial %d, dual %d: (%g, %g) + step along (%g, %g) gave (%g, %g)", trial, j, zl[j], zu[j], dzl[j], dzu[j], l, u)
			}
		}
	}
}

// TestBlockingDualsAlone checks the band of common dual steps in which the
// blocking duals step alone, and that a primal residual growing by more
// than dualBlockRise over the last iteration keeps the common step.
func TestBlockingDualsAlone(t *testing.T) {
	for _, c := range []struct {
		ad, pinf, pinfPrev float64
		want               bool
	}{
		{ad: 0.5, pinf: 10, pinfPrev: math.Inf(1), want: true},
		{ad: dualLongBelow, pinf: 10, pinfPrev: 10, want: true},
		{ad: 0.7, pinf: 12, pinfPrev: 10, want: true},
		{ad: 0.7, pinf: 10 * dualBlockRise * 1.01, pinfPrev: 10, want: false},
		{ad: dualLongBelow * 0.99, pinf: 1, pinfPrev: 10, want: false},
		{ad: dualBlockBelow, pinf: 1, pinfPrev: 10, want: false},
		{ad: 1, pinf: 1, pinfPrev: 10, want: false},
	} {
		if got := blockingDualsAlone(c.ad, c.pinf, c.pinfPrev); got != c.want {
			t.Errorf("blockingDualsAlone(%g, %g, %g) = %v, want %v", c.ad, c.pinf, c.pinfPrev, got, c.want)
		}
	}
}
