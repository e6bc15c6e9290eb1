package control

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

// Plans solved at the same time, one with the controller's Solver and the
// others from fresh memory, each get dispatch.Solve's Result; run with
// -race, the Solver is never shared.
func TestSolveAtOnceMatchesDispatchSolve(t *testing.T) {
	c := &Controller{opts: Options{Solve: dispatch.Options{Gap: 1e-6}}}
	var problems []*dispatch.Problem
	var want []string
	for seed := range uint64(4) {
		p := dispatch.Generate(dispatch.GenOptions{EVs: 80, Feeders: 4, Seed: seed + 1, V2GShare: 0.3,
			MinEfficiency: 0.9, Tightness: 0.8, Caps: 2, SystemLimit: true})
		r, err := dispatch.Solve(context.Background(), p, c.opts.Solve)
		if err != nil {
			t.Fatal(err)
		}
		problems = append(problems, p)
		want = append(want, withoutTime(t, r))
	}
	for round := range 3 {
		var wg sync.WaitGroup
		got := make([]string, len(problems))
		for i, p := range problems {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := c.solve(context.Background(), p)
				if err != nil {
					t.Errorf("round %d, problem %d: %v", round, i, err)
					return
				}
				got[i] = withoutTime(t, r)
			}()
		}
		wg.Wait()
		for i := range problems {
			if got[i] != want[i] {
				t.Errorf("round %d, problem %d: the controller's solve differs from dispatch.Solve", round, i)
			}
		}
	}
}

// withoutTime is r as JSON without its solve time.
func withoutTime(t *testing.T, r *dispatch.Result) string {
	t.Helper()
	c := *r
	c.SolveSeconds = 0
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
