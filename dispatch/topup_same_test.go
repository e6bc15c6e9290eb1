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

// The greedy schedule is the old top-up's bit for bit, on instances of
// 1,000 to 20,000 EVs of every family, and so is the top-up of a
// schedule that discharges and overloads its feeders (the interior point's
// polished iterates, ipm.go), applied twice with the same scratch.
func TestToppingUpSameAsBefore(t *testing.T) {
	sizes := []int{1000, 2500, 7000, 20000}
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
			want := newSchedule(p)
			newToppingUpRef(p).applyRef(want)
			u := newToppingUp(p)
			sameSchedule(t, name+"/idle", want, idleTopUp(p, u, nil))
			// Again with the same scratch, as limit.go hands the greedy
			// schedule's top-up to the interior point.
			sameSchedule(t, name+"/idle-again", want, idleTopUp(p, u, nil))
			if n > 2500 {
				continue // the LP repair of a random point is slow
			}
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
