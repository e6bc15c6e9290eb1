package dispatch

import (
	"reflect"
	"testing"
)

// TestFeederBlocksOnTeamAsSerial checks that the feeder blocks allocated
// on a team of two are those a serial newKKT makes: the same sizes, zero,
// the same envelopes, layouts and system positions, for every feeder,
// fused or not, with and without a system border, and with feeders that
// have no row. Run with -race, it also checks that feeders allocated
// concurrently share nothing.
func TestFeederBlocksOnTeamAsSerial(t *testing.T) {
	for _, o := range []GenOptions{
		{EVs: 300, Feeders: 40, Slots: 48, Seed: 5, SystemLimit: true},
		{EVs: 300, Feeders: 40, Slots: 48, Seed: 6},
		{EVs: 150, Feeders: 3, Slots: 24, Seed: 7, SystemLimit: true},
	} {
		o.V2GShare, o.MinEfficiency, o.Tightness, o.Caps, o.WearShare = 0.5, 0.9, 0.8, 2, 0.5
		p := Generate(o)
		// A feeder no load can overload: no rows of its own.
		p.Feeders[0].ImportLimitKW, p.Feeders[0].ExportLimitKW = Constant(1e6), nil
		m := buildLP(p)
		if m.fRow[0] >= 0 {
			t.Fatalf("%+v: feeder 0 has rows; the test needs one without", o)
		}
		tm := newTeamSpinning(2, 0) // helpers parked: regions wake them
		defer tm.close()
		for _, fuse := range []bool{true, false} {
			got, want := newKKTFusing(m, tm, fuse), newKKTFusing(m, nil, fuse)
			for f := range m.nF {
				for _, b := range []struct {
					name      string
					got, want []float64
				}{{"G", got.G[f], want.G[f]}, {"Lf", got.Lf[f], want.Lf[f]}, {"Z", got.Z[f], want.Z[f]}, {"Ef", got.Ef[f], want.Ef[f]}} {
					if (b.got == nil) != (b.want == nil) || len(b.got) != len(b.want) {
						t.Fatalf("%+v, fuse %v: feeder %d's %s has %d entries (nil %v), serially %d (nil %v)",
							o, fuse, f, b.name, len(b.got), b.got == nil, len(b.want), b.want == nil)
					}
					for i, v := range b.got {
						if v != 0 {
							t.Fatalf("%+v, fuse %v: feeder %d's %s[%d] = %g, not zero", o, fuse, f, b.name, i, v)
						}
					}
				}
			}
			for _, c := range []struct {
				name      string
				got, want any
			}{{"env", got.env, want.env}, {"lay", got.lay, want.lay}, {"pos", got.pos, want.pos}, {"fused", got.fused, want.fused}} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%+v, fuse %v: %s differs from the serial newKKT's", o, fuse, c.name)
				}
			}
		}
	}
}
