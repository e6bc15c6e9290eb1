package dispatch

import "testing"

// TestLPSizeBounds checks that lpSize bounds what buildLP makes, on
// problems with many caps (feeder and system, positive and negative),
// export limits and a system limit: the arrays sized from it never grow,
// which would copy them and leave the first allocation for nothing.
func TestLPSizeBounds(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		g := GenOptions{EVs: 10 + int(seed*37%200), Feeders: 1 + int(seed%7), Slots: []int{24, 48, 96}[seed%3], Seed: seed,
			V2GShare: float64(seed%5) / 4, Tightness: 0.3 + 0.65*float64(seed%4)/3, Caps: int(seed % 9),
			NegativeCaps: int(seed % 3), WearShare: float64(seed%3) / 2, SystemLimit: seed%2 == 0}
		g.NegativeCaps = min(g.NegativeCaps, g.Caps)
		p := Generate(g)
		nx, nr := lpSize(p)
		m := buildLP(p)
		if m.nx > nx || cap(m.hi) != nx || cap(m.cost) != nx || len(m.bE) > nr || cap(m.bE) != nr {
			t.Errorf("seed %d: %d variables (capacity %d) and %d EV rows (capacity %d), lpSize %d and %d",
				seed, m.nx, cap(m.hi), len(m.bE), cap(m.bE), nx, nr)
		}
	}
}
