package dispatch

import "testing"

// TestNewIPMVectorsOnTeam checks that the iterate's vectors newIPM
// allocates on a team are each its own, of one entry per variable, and
// zero, as a serial newIPM's are.
func TestNewIPMVectorsOnTeam(t *testing.T) {
	p := Generate(GenOptions{EVs: 120, Feeders: 4, Slots: 48, Seed: 3, V2GShare: 0.5, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 2, WearShare: 0.5, SystemLimit: true})
	m := buildLP(p)
	tm := newTeamSpinning(2, 0)
	defer tm.close()
	for _, team := range []*team{tm, nil} {
		s := newIPM(m, team)
		seen := map[*float64]string{}
		for name, v := range map[string][]float64{"x": s.x, "zl": s.zl, "zu": s.zu, "D": s.D, "dSpare": s.dSpare,
			"rd": s.rd, "at": s.at, "rhat": s.rhat} {
			if len(v) != m.nx {
				t.Fatalf("team %v: %s has %d entries, not %d", team != nil, name, len(v), m.nx)
			}
			if other, ok := seen[&v[0]]; ok {
				t.Fatalf("team %v: %s and %s share their array", team != nil, name, other)
			}
			seen[&v[0]] = name
			for j, x := range v {
				if x != 0 {
					t.Fatalf("team %v: %s[%d] = %g, not zero", team != nil, name, j, x)
				}
			}
		}
	}
}
