package dispatch

// memory is the working memory a Solver keeps from one solve to the next:
// one slab of float64 that a solve's interior point method and Newton
// systems (newIPM, newKKT, newDir) take their vectors and dense blocks
// from, instead of allocating them anew.
//
// Fresh memory is what makes a solve's set-up dear on the 2-vCPU VM of
// docs/benchmarks.md: 20 MB of new slices at 1,000 EVs on 100 feeders,
// zeroed, then faulted in page by page whenever the runtime had returned
// them to the system (a page fault costs 4 to 8 µs there), and a
// garbage collection cycle in nearly every solve. Taken from a slab that
// stays mapped, the same solve allocates 8.6 MB (its Result, the top-up,
// the pricers, the border layouts) and ran in about 0.9 of the time
// (docs/benchmarks.md, "A Solver that keeps its memory").
//
// Every slice taken is cleared, so a solve sees the zeroed memory make
// would give it, whatever the solve before left there. The slab grows to
// what the last solve asked for: a solve that needs more than it holds
// takes the rest from make and the next solve starts with a slab of the
// whole, up to maxKept. Nothing taken may outlive its solve: a Result never
// holds memory from here. A nil *memory allocates every slice with make.
type memory struct {
	slab []float64
	used int // floats taken from slab by this solve
	over int // floats this solve asked for beyond slab
}

// floats returns a zeroed slice of n floats, from the slab when it has
// room.
func (w *memory) floats(n int) []float64 {
	if w == nil {
		return make([]float64, n)
	}
	// Each slice starts on a 64-byte line of the slab (which make
	// aligns to a page), as make's large slices start on a page: the
	// dense kernels' rows then do not straddle lines more than before.
	k := (n + 7) &^ 7
	if w.used+k > len(w.slab) {
		w.over += k
		return make([]float64, n)
	}
	s := w.slab[w.used : w.used+n : w.used+n]
	w.used += k
	clear(s)
	return s
}

// maxKept is the most floats a memory keeps between solves (256 MB): a
// desk's Solver must not hold a gigabyte for good after one plan of
// 100,000 EVs. A bigger solve takes the rest from make each time.
const maxKept = 1 << 25

// reset starts a solve: the slices of the last one are free again, and a
// slab too small for it is replaced by one that holds all it took, up to
// maxKept.
func (w *memory) reset() {
	if want := min(w.used+w.over, maxKept); want > len(w.slab) {
		w.slab = make([]float64, want)
	}
	w.used, w.over = 0, 0
}
