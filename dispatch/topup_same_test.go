package dispatch

import (
	"fmt"
	"math"
	"testing"
)

// sameFamilies are the CLP cross-check's kinds of instance (clp_test.go),
// without its edits: charging only, tight feeders, V2G with losses, caps,
// export caps and wear caps.
func sameFamilies() map[string]GenOptions {
	return map[string]GenOptions{
		"charging-only": {Tightness: 0.3},
		"tight-feeders": {Tightness: 0.97, SystemLimit: true, MinEfficiency: 0.9},
		"v2g-losses":    {V2GShare: 0.6, MinEfficiency: 0.85, Tightness: 0.6, Caps: 1},
		"caps":          {V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, Caps: 3},
		"export-caps":   {V2GShare: 0.8, MinEfficiency: 0.9, Tightness: 0.5, Caps: 2, NegativeCaps: 2, SystemLimit: true},
		"wear-caps":     {V2GShare: 1, WearShare: 0.8, MinEfficiency: 0.88, Tightness: 0.7, Caps: 2, NegativeCaps: 1},
		"benchmark":     {V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true},
	}
}

// sameSchedule fails t at the first place where got's schedule differs
// from want's in any bit.
func sameSchedule(t *testing.T, name string, want, got schedule) {
	t.Helper()
	for i := range want.charge {
		for k := range want.charge[i] {
			wc, gc := want.charge[i][k], got.charge[i][k]
			wg, gg := want.discharge[i][k], got.discharge[i][k]
			if math.Float64bits(wc) != math.Float64bits(gc) || math.Float64bits(wg) != math.Float64bits(gg) {
				t.Fatalf("%s: EV %d slot %d of its stay: charge %v discharge %v, the old top-up's %v and %v",
					name, i, k, gc, gg, wc, wg)
			}
		}
	}
}

// The top-up of a schedule that discharges and overloads its feeders
// (the interior point's polished iterates, ipm.go) is the old top-up's bit
// for bit, on instances of 1,000 and 2,500 EVs of every family, applied
// with scratch that made the greedy schedule first (as limit.go hands it
// to the interior point).
func TestToppingUpSameAsBefore(t *testing.T) {
	sizes := []int{1000, 2500}
	fams := sameFamilies()
	names := []string{"charging-only", "tight-feeders", "v2g-losses", "caps", "export-caps", "wear-caps", "benchmark"}
	if len(names) != len(fams) {
		t.Fatalf("%d names for %d families", len(names), len(fams))
	}
	for fi, fam := range names {
		for si, n := range sizes {
			g := fams[fam]
			g.EVs, g.Feeders, g.Seed = n, 1+(fi+si)%12, uint64(31*fi+si+1)
			if si%2 == 1 {
				g.Slots = 48
			}
			p := Generate(g)
			name := fmt.Sprintf("%s/%d-evs/%d-feeders/seed-%d", fam, n, g.Feeders, g.Seed)
			u := newToppingUp(p)
			idleTopUp(p, u, nil)
			ref := newToppingUpRef(p)
			for seed := uint64(1); seed <= 2; seed++ {
				want, got := randomSchedule(p, seed), randomSchedule(p, seed)
				ref.applyRef(want)
				u.apply(got)
				sameSchedule(t, fmt.Sprintf("%s/random-%d", name, seed), want, got)
			}
		}
	}
}

// The greedy schedule (fillIdle) keeps every hard bound and never costs
// more than the old one, the top-up of the all-idle schedule (kept as
// applyRef), on instances of 1,000 to 20,000 EVs of every family; on the
// benchmark family, whose caps the old one left over, it costs at least
// 3 % less.
func TestGreedyFeasibleAndNoDearer(t *testing.T) {
	sizes := []int{1000, 2500, 7000, 20000}
	fams := sameFamilies()
	names := []string{"charging-only", "tight-feeders", "v2g-losses", "caps", "export-caps", "wear-caps", "benchmark"}
	for fi, fam := range names {
		for si, n := range sizes {
			g := fams[fam]
			g.EVs, g.Feeders, g.Seed = n, 1+(fi+si)%12, uint64(31*fi+si+1)
			if si%2 == 1 {
				g.Slots = 48
			}
			p := Generate(g)
			name := fmt.Sprintf("%s/%d-evs/%d-feeders/seed-%d", fam, n, g.Feeders, g.Seed)
			old := newSchedule(p)
			newToppingUpRef(p).applyRef(old)
			was := evaluate(p, old).Objective
			u := newToppingUp(p)
			for _, pass := range []string{"first", "again"} {
				// Again with the same scratch: limit.go keeps it.
				r := evaluate(p, idleTopUp(p, u, nil))
				if v := hardViolation(p, r); v > 0 || r.MaxViolation > 0 {
					t.Errorf("%s/%s: hard bound broken by %g (evaluate: %g)", name, pass, v, r.MaxViolation)
				}
				if r.Objective > was*(1+1e-12) {
					t.Errorf("%s/%s: objective %.4f, the old greedy schedule's %.4f", name, pass, r.Objective, was)
				}
				if fam == "benchmark" && r.Objective > 0.97*was {
					t.Errorf("%s/%s: objective %.4f, not 3 %% below the old %.4f", name, pass, r.Objective, was)
				}
			}
		}
	}
}
