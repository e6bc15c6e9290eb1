package dispatch

// feederBlocks allocates each feeder's dense blocks (G when not fused,
// Lf, Ef, Z and their layouts) and finds its envelope, feeders split
// over the team. At 1,000 EVs on 100 feeders Lf and Z are 8.6 MB,
// and zeroing them, with the page faults of memory the runtime had
// returned to the OS, was most of newKKT: on the team it is shared by
// both cores instead of holding up the solve on one.
func (k *kkt) feederBlocks() {
	m := k.m
	T, ns, nF := m.T, len(m.sSlots), m.nF
	k.G = make([][]float64, nF)
	k.Lf = make([][]float64, nF)
	k.Z = make([][]float64, nF)
	k.Ef = make([][]float64, nF)
	k.lay = make([]zLayout, nF)
	k.pos = make([][]int, nF)
	k.env = make([]blockEnv, nF)
	nc := min(nF, 4*k.team.size())
	// Per chunk: a slot's position among a feeder's (T) and newBlockEnv's
	// scratch (3T+1).
	per := 4*T + 1
	scratch := make([]int, nc*per)
	chunks(nc, nF, k.team, func(c, lo, hi int) {
		sc := scratch[c*per : (c+1)*per]
		for f := lo; f < hi; f++ {
			k.feederBlock(f, T, ns, sc[:T], sc[T:])
		}
	})
}

// feederBlock allocates feeder f's blocks, using pos (T) and envScratch
// (3T+1) as scratch. A feeder with no coupling row, and no system rows
// to border, has none.
func (k *kkt) feederBlock(f, T, ns int, pos, envScratch []int) {
	m := k.m
	if m.fRow[f] < 0 && m.sRow < 0 {
		return
	}
	if !k.fused[f] {
		k.G[f] = make([]float64, T*T)
	}
	nf := len(m.fSlots[f])
	if nf == 0 {
		return
	}
	k.Lf[f] = make([]float64, nf*nf)
	k.Ef[f] = make([]float64, nf)
	if m.sRow >= 0 {
		for t := range pos {
			pos[t] = -1
		}
		for i, t := range m.fSlots[f] {
			pos[t] = i
		}
		k.pos[f] = make([]int, ns)
		for c, t := range m.sSlots {
			k.pos[f][c] = pos[t]
		}
		k.Z[f] = make([]float64, nf*k.ld)
		k.lay[f] = newZLayout(ns, nf, k.ld)
	}
	k.env[f] = newBlockEnv(m, m.byF[f], m.fSlots[f], m.sSlots, envScratch)
}
