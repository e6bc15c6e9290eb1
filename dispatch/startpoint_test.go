package dispatch

import (
	"math"
	"testing"
)

// TestStartFromSchedule checks the interior point's start from the
// proportional top-up of the idle schedule: every EV variable startInside
// inside its box, the top-up's powers where they already are, and every SoC
// chain row met wherever the SoC on both of its sides is the walked one
// (not pushed inside its box).
func TestStartFromSchedule(t *testing.T) {
	p := Generate(GenOptions{EVs: 300, Feeders: 3, Seed: 5, V2GShare: 0.5, MinEfficiency: 0.85,
		Tightness: 0.8, Caps: 2, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	tm := newTeam(1)
	defer tm.close()
	m := buildLP(p)
	s := newIPM(m, tm)
	sc := newSchedule(p)
	newToppingUp(p).apply(sc)
	s.startFromSchedule(sc)

	lo := func(j int) float64 { return startInside * m.hi[j] }
	up := func(j int) float64 { return (1 - startInside) * m.hi[j] }
	pushed := func(j int) bool { return s.x[j] == lo(j) || s.x[j] == up(j) }
	kept, rowsMet := 0, 0
	m.mul(s.x, s.rpE, s.rpC, s.load, tm)
	for _, b := range m.evs {
		vars := []int{b.ou, b.or}
		for k := 0; k < b.K; k++ {
			for _, o := range []int{b.oc, b.og, b.oe} {
				if o >= 0 {
					vars = append(vars, o+k)
				}
			}
		}
		if b.oq >= 0 {
			vars = append(vars, b.oq)
		}
		for _, j := range vars {
			if s.x[j] < lo(j) || s.x[j] > up(j) {
				t.Fatalf("EV %d: variable %d at %g, outside [%g, %g]", b.ev, j, s.x[j], lo(j), up(j))
			}
		}
		for k := 0; k < b.K; k++ {
			for _, w := range []struct {
				o  int
				kw []float64
			}{{b.oc, sc.charge[b.ev]}, {b.og, sc.discharge[b.ev]}} {
				if w.o < 0 || w.kw[k] < lo(w.o+k) || w.kw[k] > up(w.o+k) {
					continue
				}
				if s.x[w.o+k] != w.kw[k] {
					t.Fatalf("EV %d slot %d: %g kW, the top-up's %g", b.ev, k, s.x[w.o+k], w.kw[k])
				}
				kept++
			}
			if !b.chained() || pushed(b.oe+k) || (k > 0 && pushed(b.oe+k-1)) {
				continue
			}
			if r := s.rpE[b.r0+k] - m.bE[b.r0+k]; math.Abs(r) > 1e-9 {
				t.Fatalf("EV %d: chain row %d off by %g kWh", b.ev, k, r)
			}
			rowsMet++
		}
	}
	// Not vacuous: the top-up charges part of its slots inside the box
	// (most are at 0 or full power), and most chains stay inside.
	if kept < 100 || rowsMet < 1000 {
		t.Errorf("only %d of the top-up's powers kept and %d chain rows checked", kept, rowsMet)
	}
}

// TestStartFromScheduleOnTeamAsSerial checks that the start point set on a
// team of two, EVs in chunks, is the serial one to the bit: fleets with
// V2G, wear caps and EVs without a chain, and fewer EVs than the team has
// chunks.
func TestStartFromScheduleOnTeamAsSerial(t *testing.T) {
	tm := newTeamSpinning(2, 0)
	defer tm.close()
	for seed := uint64(1); seed <= 6; seed++ {
		p := Generate(GenOptions{EVs: []int{3, 40, 250}[seed%3], Feeders: 1 + int(seed%3), Slots: 48, Seed: seed,
			V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.9, Caps: 2, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		sc := newSchedule(p)
		newToppingUp(p).apply(sc)
		onTeam, serial := newIPM(m, tm), newIPM(m, nil)
		onTeam.startFromSchedule(sc)
		serial.startFromSchedule(sc)
		set := 0
		for j, v := range serial.x {
			if math.Float64bits(onTeam.x[j]) != math.Float64bits(v) {
				t.Fatalf("seed %d: variable %d is %g on the team, %g serially", seed, j, onTeam.x[j], v)
			}
			if v != 0 {
				set++
			}
		}
		// Not vacuous: the EVs' variables were set (the segments are
		// left at 0 here).
		if set == 0 {
			t.Fatalf("seed %d: no variable set", seed)
		}
	}
}
