package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"testing"
)

// resultJSON is r as JSON without its solve time, the one field that
// differs between two solves of the same problem.
func resultJSON(t *testing.T, r *Result) string {
	t.Helper()
	c := *r
	c.SolveSeconds = 0
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A Solver's memory holds whatever its last solve left there: each solve
// must still give the fresh Solve's Result to the bit, for problems of
// other shapes before and after (fewer and more EVs and feeders, with and
// without a system border), and a Result must not change when the Solver
// goes on to the next problem.
func TestSolverReusedMatchesSolve(t *testing.T) {
	gen := func(evs, feeders int, seed uint64, system bool) *Problem {
		return Generate(GenOptions{EVs: evs, Feeders: feeders, Seed: seed, V2GShare: 0.3, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 2, NegativeCaps: 1, WearShare: 0.5, SystemLimit: system})
	}
	problems := []*Problem{
		gen(300, 30, 1, true),
		gen(60, 3, 2, false),
		gen(400, 40, 3, true),
		gen(300, 30, 1, true),
		gen(120, 12, 4, true),
	}
	var sv Solver
	var kept []*Result
	var want []string
	for i, p := range problems {
		fresh, err := Solve(context.Background(), p, Options{Gap: 1e-6})
		if err != nil {
			t.Fatalf("problem %d: Solve: %v", i, err)
		}
		got, err := sv.Solve(context.Background(), p, Options{Gap: 1e-6})
		if err != nil {
			t.Fatalf("problem %d: Solver.Solve: %v", i, err)
		}
		if g, w := resultJSON(t, got), resultJSON(t, fresh); g != w {
			t.Errorf("problem %d (%d EVs): the reused Solver's Result differs from Solve's (objective %v against %v, %d against %d iterations)",
				i, len(p.EVs), got.Objective, fresh.Objective, got.Iterations, fresh.Iterations)
		}
		kept = append(kept, got)
		want = append(want, resultJSON(t, fresh))
	}
	for i, r := range kept {
		if resultJSON(t, r) != want[i] {
			t.Errorf("problem %d: its Result changed while the Solver solved the later problems", i)
		}
	}
}

// A solve that ends early leaves the Solver's memory mid-iteration: one
// stopped by its time limit after three steps (with its own Result, as
// Solve's), one whose context is cancelled, and the next solve must still
// be Solve's to the bit.
func TestSolverAfterAnEarlyEnd(t *testing.T) {
	p := Generate(GenOptions{EVs: 200, Feeders: 20, Seed: 9, V2GShare: 0.3, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 2, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	var sv Solver
	if _, err := sv.Solve(context.Background(), p, Options{Gap: 1e-6}); err != nil {
		t.Fatal(err)
	}
	limited := Options{Gap: 1e-9, expired: func(it int) bool { return it >= 3 }}
	got, err := sv.Solve(context.Background(), p, limited)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Solve(context.Background(), p, limited)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusTimeLimit || resultJSON(t, got) != resultJSON(t, fresh) {
		t.Errorf("stopped after 3 steps: the Solver gave %v (objective %v), Solve %v (objective %v)",
			got.Status, got.Objective, fresh.Status, fresh.Objective)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopAt := Options{Gap: 1e-9, expired: func(it int) bool {
		if it >= 2 {
			cancel()
		}
		return false
	}}
	if _, err := sv.Solve(ctx, p, stopAt); !errors.Is(err, context.Canceled) {
		t.Fatalf("a solve whose context was cancelled at its second step returned %v, want context.Canceled", err)
	}
	got, err = sv.Solve(context.Background(), p, Options{Gap: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err = Solve(context.Background(), p, Options{Gap: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if resultJSON(t, got) != resultJSON(t, fresh) {
		t.Errorf("after a stopped and a cancelled solve, the Solver's Result differs from Solve's (objective %v against %v)",
			got.Objective, fresh.Objective)
	}
}

// A Solver's second solve of a problem takes the interior point method's
// memory from its first instead of allocating it: at 300 EVs on 30
// feeders that was well over half of what a solve allocated.
func TestSolverAllocatesLessOnceWarm(t *testing.T) {
	p := Generate(GenOptions{EVs: 300, Feeders: 30, Seed: 5, V2GShare: 0.3, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 2, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	allocated := func(solve func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		solve()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	var sv Solver
	solve := func(s func(context.Context, *Problem, Options) (*Result, error)) func() {
		return func() {
			if _, err := s(context.Background(), p, Options{Gap: 1e-4}); err != nil {
				t.Fatal(err)
			}
		}
	}
	fresh := allocated(solve(Solve))
	// The first solve sizes the Solver's memory, the second allocates it.
	allocated(solve(sv.Solve))
	allocated(solve(sv.Solve))
	warm := allocated(solve(sv.Solve))
	if warm > fresh/2 {
		t.Errorf("a warm Solver's solve allocated %d bytes, a fresh solve %d: want at most half", warm, fresh)
	}
	t.Logf("allocated per solve: fresh %d, warm Solver %d bytes", fresh, warm)
}

// A memory grows to what its last solve took, but no further than
// maxKept, and hands out zeroed slices whatever was written there.
func TestMemoryGrowsUpToItsCap(t *testing.T) {
	var w memory
	w.reset()
	a := w.floats(100)
	if len(w.slab) != 0 || len(a) != 100 {
		t.Fatalf("first solve: slab %d floats, slice %d: want 0 and 100", len(w.slab), len(a))
	}
	w.reset()
	if len(w.slab) != 104 {
		t.Fatalf("after a solve that took 100 floats (104 with alignment) the slab holds %d", len(w.slab))
	}
	b := w.floats(100)
	for i := range b {
		b[i] = 1
	}
	w.reset()
	if c := w.floats(50); c[0] != 0 || c[49] != 0 {
		t.Fatalf("a slice taken again is not zeroed: %v ... %v", c[0], c[49])
	}
	w.over = 2 * maxKept
	w.reset()
	if len(w.slab) != maxKept {
		t.Fatalf("after a solve that took %d floats the slab holds %d: want the cap %d", 2*maxKept, len(w.slab), maxKept)
	}
}
