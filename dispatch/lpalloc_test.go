package dispatch

import "testing"

// TestBuildLPArraysDoNotGrow checks that the coupling rows' arrays and the
// per-feeder lists buildLP fills are sized up front on problems with
// feeder and system caps, export limits and a system limit: none grows
// past its first allocation, and a feeder's lists hold exactly its EVs
// and its slots with a row.
func TestBuildLPArraysDoNotGrow(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		g := GenOptions{EVs: 10 + int(seed*37%200), Feeders: 1 + int(seed%7), Slots: []int{24, 48, 96}[seed%3], Seed: seed,
			V2GShare: float64(seed%5) / 4, Tightness: 0.3 + 0.65*float64(seed%4)/3, Caps: int(seed % 9),
			NegativeCaps: int(seed % 3), WearShare: float64(seed%3) / 2, SystemLimit: seed%2 == 0}
		g.NegativeCaps = min(g.NegativeCaps, g.Caps)
		p := Generate(g)
		m := buildLP(p)
		rows := (m.nF + 1) * m.T
		if cap(m.bC) != rows || cap(m.seg0) != rows+1 || cap(m.sSlots) != m.T || len(m.seg0) != m.nC+1 {
			t.Errorf("seed %d: bC %d/%d, seg0 %d/%d, sSlots %d/%d for %d rows, up to %d", seed,
				len(m.bC), cap(m.bC), len(m.seg0), cap(m.seg0), len(m.sSlots), cap(m.sSlots), m.nC, rows)
		}
		evs := 0
		for f := range m.nF {
			if cap(m.fSlots[f]) != m.T {
				t.Errorf("seed %d: feeder %d's slots have capacity %d, not %d", seed, f, cap(m.fSlots[f]), m.T)
			}
			if len(m.byF[f]) != cap(m.byF[f]) {
				t.Errorf("seed %d: feeder %d has %d EVs in a list of capacity %d", seed, f, len(m.byF[f]), cap(m.byF[f]))
			}
			for _, i := range m.byF[f] {
				if m.evs[i].f != f {
					t.Errorf("seed %d: EV block %d of feeder %d listed under feeder %d", seed, i, m.evs[i].f, f)
				}
			}
			evs += len(m.byF[f])
		}
		if evs != len(p.EVs) {
			t.Errorf("seed %d: %d EVs listed by feeder, %d in the problem", seed, evs, len(p.EVs))
		}
	}
}

// TestBuildLPAllocationsDoNotScaleWithRows checks that building the
// model does not allocate per coupling row: 100 feeders with caps on
// several of them allocate no more than a few times more often than 10,
// though they have ten times the rows. A slice of hinges per feeder and
// slot made 100 feeders allocate over ten thousand times.
func TestBuildLPAllocationsDoNotScaleWithRows(t *testing.T) {
	allocs := func(feeders int) float64 {
		p := Generate(GenOptions{EVs: 400, Feeders: feeders, Seed: 7, V2GShare: 0.3, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
		return testing.AllocsPerRun(3, func() { buildLP(p) })
	}
	a10, a100 := allocs(10), allocs(100)
	if a100 > 60 || a100 > a10+20 {
		t.Errorf("buildLP allocated %.0f times at 100 feeders, %.0f at 10", a100, a10)
	}
}
