package dispatch

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// With a SoC box too wide to bind and a target below every reachable SoC,
// where each kWh over it is worth re, one EV's chain separates by slot:
// each charge is worth rc + re*c1 per kW and each discharge rg - re*g1, so
// the minimum takes every power whose worth is negative at its bound.
func TestEVMinSeparatesWithoutBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var f pwl
	for trial := 0; trial < 200; trial++ {
		K := 1 + rng.IntN(30)
		c1, g1 := 0.25*(0.8+0.2*rng.Float64()), 0.25/(0.8+0.2*rng.Float64())
		pc, pd := 1+10*rng.Float64(), 10*rng.Float64()
		re := rng.Float64()
		rc, rg := make([]float64, K), make([]float64, K)
		// The SoC starts at 500, 1,500 over the target of -1,000.
		want := re * 1500
		for k := range rc {
			rc[k], rg[k] = rng.Float64()-0.6, rng.Float64()-0.4
			want += min(0, rc[k]+re*c1) * pc
			want += min(0, rg[k]-re*g1) * pd
		}
		var g []float64
		if trial%3 != 0 {
			g = rg
		} else {
			want = re * 1500
			for k := range rc {
				want += min(0, rc[k]+re*c1) * pc
			}
		}
		got := evMin(&f, rc, g, c1, g1, pc, pd, 500, 0, 1000, K, -1000, 1, 0, re, 1e9)
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d (K %d): evMin %.12g, want %.12g", trial, K, got, want)
		}
	}
}

// A SoC box that binds: charging costs nothing and, with the target far
// above, every kWh short of it costs 1, so the EV fills up to capacity and
// no further.
func TestEVMinStopsAtCapacity(t *testing.T) {
	var f pwl
	rc := []float64{0, 0, 0, 0}
	// 4 slots of 10 kW at 1 kWh per kW: 40 kWh offered, 15 kWh of room,
	// 940 kWh short of the target at 1 each.
	got := evMin(&f, rc, nil, 1, 1, 10, 0, 45, 10, 60, 4, 1000, 1, 1e9, 0, 0)
	if want := 940.0; math.Abs(got-want) > 1e-12 {
		t.Fatalf("evMin %g, want %g", got, want)
	}
	// Discharging earns 0.4 per kWh now, charging costs 0.5 and each kWh
	// short costs 2: the EV fills up, and cycling (charge and discharge
	// at once) does not pay.
	rg := []float64{-0.4, -0.4, -0.4, -0.4}
	got = evMin(&f, []float64{0.5, 0.5, 0.5, 0.5}, rg, 1, 1, 10, 10, 45, 10, 60, 4, 1000, 2, 1e9, 0, 0)
	// Best: charge 15 kWh (cost 7.5), end at 60, 940 short.
	if want := 7.5 + 1880; math.Abs(got-want) > 1e-12 {
		t.Fatalf("evMin with discharge %g, want %g", got, want)
	}
	// Discharge earning 1 makes cycling pay 0.5 per kWh: 40 kWh charged,
	// 25 discharged, still ending full.
	rg = []float64{-1, -1, -1, -1}
	got = evMin(&f, []float64{0.5, 0.5, 0.5, 0.5}, rg, 1, 1, 10, 10, 45, 10, 60, 4, 1000, 2, 1e9, 0, 0)
	if want := 20 - 25 + 1880.0; math.Abs(got-want) > 1e-12 {
		t.Fatalf("evMin with cycling %g, want %g", got, want)
	}
}

// The target row inside the reachable range: the EV charges in the
// cheapest slots up to its target while that costs less than the unmet
// penalty, beyond it only where charging pays, and never past capacity.
func TestEVMinMeetsTarget(t *testing.T) {
	var f pwl
	for _, c := range []struct {
		name string
		rc   []float64
		want float64
	}{
		// 20 kWh needed: 10 at 0.1 and 10 at 0.2.
		{"cheapest slots", []float64{0.2, 0.1, 0.3, 2}, 3},
		// Every slot dearer than the penalty of 1.5: 20 kWh unmet.
		{"unmet", []float64{2, 2, 2, 2}, 30},
		// One slot pays: 10 kWh there, then 10 at 0.1; 0.2 and up are
		// not worth it past the target.
		{"paid", []float64{0.2, 0.1, -0.5, 2}, -5 + 1},
		// Every slot pays: 40 kWh, which is just the room up to capacity.
		{"paid to capacity", []float64{-1, -1, -1, -1}, -40},
	} {
		// SoC 20 of 60 (min 10), target 40, 10 kWh per slot.
		got := evMin(&f, c.rc, nil, 1, 1, 10, 0, 20, 10, 60, 4, 40, 1.5, 31, 0, 20)
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: evMin %g, want %g", c.name, got, c.want)
		}
	}
	// From 30 kWh only 30 fit: capacity stops the last 10.
	if got := evMin(&f, []float64{-1, -1, -1, -1}, nil, 1, 1, 10, 0, 30, 10, 60, 4, 40, 1.5, 31, 0, 20); got != -30 {
		t.Errorf("paid past capacity: evMin %g, want -30", got)
	}
}

// boxBound is the Lagrangian bound of ipm.go at duals yE, yC.
func boxBound(m *lpModel, yE, yC []float64, t *team) float64 {
	at := make([]float64, m.nx)
	m.aty(yE, yC, at, m.atyScratch(), t)
	v := m.konst
	for i, b := range m.bE {
		v += b * yE[i]
	}
	for r, b := range m.bC {
		v += b * yC[r]
	}
	for j := range at {
		v += boxMin(m.cost[j]-at[j], 0, m.hi[j])
	}
	return v
}

// For any duals the chain bound lies between the box bound and the
// optimum, and at the interior point method's final duals it is tight.
func TestChainBoundIsABound(t *testing.T) {
	for _, seed := range []uint64{3, 4, 5} {
		p := Generate(GenOptions{EVs: 60, Feeders: 3, Slots: 48, Seed: seed, V2GShare: 0.5, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		tm := newTeam(2)
		s := newIPM(m, tm)
		r, err := s.run(context.Background(), p, 1e-9, 200, nil)
		if err != nil {
			tm.close()
			t.Fatal(err)
		}
		opt := r.Objective
		part := make([]float64, len(m.groups))
		if cb := m.chainBound(s.yE, s.yC, part, m.chainScratch(), tm, nil); cb > opt+1e-9*math.Abs(opt) || cb < opt-1e-6*math.Abs(opt) {
			t.Errorf("seed %d: chain bound %.10g at the final duals, optimum %.10g", seed, cb, opt)
		}
		rng := rand.New(rand.NewPCG(seed, 9))
		yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
		for trial := 0; trial < 20; trial++ {
			// Perturbed optimal duals, and now and then wild ones.
			scale := 0.01
			if trial%4 == 0 {
				scale = 1
			}
			for i := range yE {
				yE[i] = s.yE[i] + scale*(rng.Float64()-0.5)
			}
			for i := range yC {
				yC[i] = s.yC[i] + scale*(rng.Float64()-0.5)
			}
			cb, bb := m.chainBound(yE, yC, part, m.chainScratch(), tm, nil), boxBound(m, yE, yC, tm)
			if cb > opt+1e-9*math.Abs(opt) {
				t.Errorf("seed %d trial %d: chain bound %.10g above the optimum %.10g", seed, trial, cb, opt)
			}
			if cb < bb-1e-9*math.Abs(bb) {
				t.Errorf("seed %d trial %d: chain bound %.10g below the box bound %.10g", seed, trial, cb, bb)
			}
		}
		tm.close()
	}
}

// longStep never leaves a box and stops a blocked variable short of the
// bound, longStepClip of the way there.
func TestLongStepStaysInside(t *testing.T) {
	L, C := longStepLength, longStepClip
	cases := []struct{ x, dx, hi, want float64 }{
		{5, 1, 10, 5 + L},      // free: the long step
		{5, -1, 10, 5 - L},     // free, downwards
		{9, 10, 10, 9 + C},     // blocked above: C of the slack
		{1, -10, 10, 1 - C},    // blocked below
		{1, -1e300, 10, 1 - C}, // a huge step
		{3, 0, 10, 3},          // no step
	}
	for _, c := range cases {
		got := longStep(c.x, c.dx, c.hi)
		if math.Abs(got-c.want) > 1e-12 || got <= 0 || got >= c.hi {
			t.Errorf("longStep(%g, %g, [0, %g]) = %g, want %g", c.x, c.dx, c.hi, got, c.want)
		}
	}
}

// longDualStep keeps a dual positive and stops a blocked one short of 0.
func TestLongDualStepStaysPositive(t *testing.T) {
	L, C := dualLongLength, longStepClip
	cases := []struct{ z, dz, want float64 }{
		{2, 1, 2 + L},      // rising: the long step
		{2, -1, 2 - L},     // falling, free
		{1, -10, 1 - C},    // blocked: C of the way to 0
		{1, -1e300, 1 - C}, // a huge step
		{3, 0, 3},          // no step
		{1e-300, -1, 1e-300 * (1 - C)},
	}
	for _, c := range cases {
		got := longDualStep(c.z, c.dz)
		if math.Abs(got-c.want) > 1e-12*math.Max(1, c.want) || got <= 0 {
			t.Errorf("longDualStep(%g, %g) = %g, want %g", c.z, c.dz, got, c.want)
		}
	}
}
