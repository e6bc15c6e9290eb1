package dispatch

import (
	"context"
	"testing"
)

func benchSolve(b *testing.B, evs, feeders int) {
	p := Generate(GenOptions{EVs: evs, Feeders: feeders, Seed: 7, V2GShare: 0.3, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	b.ReportAllocs()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Solve(context.Background(), p, Options{Gap: 1e-4}); err != nil {
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
