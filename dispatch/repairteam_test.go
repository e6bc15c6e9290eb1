package dispatch

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestRepairOnTeamAsSerial checks that repairing an iterate on a team of
// two gives the schedule a serial repair gives, to the bit, on fleets
// with V2G, wear caps and EVs without a chain, including fewer EVs than
// the team has chunks.
func TestRepairOnTeamAsSerial(t *testing.T) {
	tm := newTeamSpinning(2, 0)
	defer tm.close()
	for seed := uint64(1); seed <= 6; seed++ {
		p := Generate(GenOptions{EVs: []int{3, 40, 250}[seed%3], Feeders: 1 + int(seed%3), Slots: 48, Seed: seed,
			V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.9, Caps: 2, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		rng := rand.New(rand.NewPCG(seed, 3))
		x := make([]float64, m.nx)
		for j := range x {
			// Some entries outside their boxes, as in an iterate that
			// meets its rows only roughly.
			x[j] = (1.2*rng.Float64() - 0.1) * m.hi[j]
		}
		got, want := newSchedule(p), newSchedule(p)
		repairInto(p, m, x, got, tm)
		repairInto(p, m, x, want, nil)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: the schedule repaired on the team differs from the serial one", seed)
		}
	}
}
