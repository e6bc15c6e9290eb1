package dispatch

import (
	"context"
	"testing"
)

// benchSolve times Solve on the seed-7 instance of evs EVs on feeders
// feeders: each solve from fresh memory.
func benchSolve(b *testing.B, evs, feeders int) { benchSolveWith(b, evs, feeders, Solve) }

// benchSolver is benchSolve with one Solver for all the solves, as a
// desk's planner has: the solves after the first two keep their memory.
func benchSolver(b *testing.B, evs, feeders int) {
	var sv Solver
	benchSolveWith(b, evs, feeders, sv.Solve)
}

func benchSolveWith(b *testing.B, evs, feeders int, solve func(context.Context, *Problem, Options) (*Result, error)) {
	p := Generate(GenOptions{EVs: evs, Feeders: feeders, Seed: 7, V2GShare: 0.3, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	b.ReportAllocs()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = solve(context.Background(), p, Options{Gap: 1e-4}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(r.Gap, "gap")
	b.ReportMetric(float64(r.Iterations), "iters")
}

func BenchmarkSolve1000(b *testing.B)      { benchSolve(b, 1000, 10) }
func BenchmarkSolve1000F100(b *testing.B)  { benchSolve(b, 1000, 100) }
func BenchmarkSolve10000(b *testing.B)     { benchSolve(b, 10000, 10) }
func BenchmarkSolve10000F100(b *testing.B) { benchSolve(b, 10000, 100) }

func BenchmarkSolver1000(b *testing.B)     { benchSolver(b, 1000, 10) }
func BenchmarkSolver1000F100(b *testing.B) { benchSolver(b, 1000, 100) }
func BenchmarkSolver10000(b *testing.B)    { benchSolver(b, 10000, 10) }
