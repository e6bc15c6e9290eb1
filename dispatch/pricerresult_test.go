package dispatch

import (
	"reflect"
	"testing"
)

// TestPricerResultIsEvaluate checks that the Result a pricer makes of the
// schedule it priced last is evaluate's to the bit, on a team and alone,
// with and without caps, export limits and a system limit, after the
// pricer priced other schedules first, and that it shares no series with
// the pricer, whose next pricing must not change it.
func TestPricerResultIsEvaluate(t *testing.T) {
	tm := newTeamSpinning(2, 0)
	defer tm.close()
	for seed := uint64(1); seed <= 8; seed++ {
		p := Generate(GenOptions{EVs: 60 + int(seed)*7, Feeders: 1 + int(seed%4), Slots: 48, Seed: seed, V2GShare: 0.4,
			MinEfficiency: 0.9, Tightness: 0.9, Caps: int(seed % 4), NegativeCaps: int(seed % 2), WearShare: 0.5,
			SystemLimit: seed%2 == 0})
		other, s := randomSchedule(p, seed+100), randomSchedule(p, seed)
		for _, team := range []*team{tm, nil} {
			pr := newPricer(p)
			pr.objective(p, other)
			pr.objective(p, s)
			got, want := pr.result(p, s, team), evaluate(p, s)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, team %v: the pricer's result differs from evaluate's", seed, team != nil)
			}
			pr.objective(p, other)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, team %v: the pricer's next pricing changed its result", seed, team != nil)
			}
		}
	}
}
