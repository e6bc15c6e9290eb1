package dispatch

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// team runs the parallel regions of one solve on goroutines that live as
// long as the solve and spin for a moment between regions. An interior
// point iteration is a chain of short regions (element-wise passes, the
// EV blocks of a solve with A D Aᵀ): at 1,000 EVs one lasts tens of µs, and
// a goroutine started per region, or a parked one, begins that much late
// (docs/benchmarks.md). A helper that is still spinning takes the next
// region at once; after spinFor without one it parks until woken.
//
// One region runs at a time, started by the goroutine that owns the team;
// a region started from inside another runs serially in its caller.
//
// The owner does not wait for a helper that has not joined a region by
// the time its items are all taken: it closes the region, and a helper
// that comes late skips it. On a busy machine a helper's thread can be
// off its core for a scheduler tick or more, and waiting for it to check
// in held up every region it was late for: at a load average of 3 to 4
// on two cores, 150 to 230 of the 260 regions of a solve found a helper
// parked (a throwaway count).
type team struct {
	helpers int
	spin    time.Duration // how long a helper waits for a region before parking

	busy atomic.Bool // a region is running
	// state is the region's epoch times two, plus one while it is open:
	// the owner opens a region (publishing fn and n) by bumping the
	// epoch, and closes it once its items are all taken.
	state    atomic.Uint64
	fn       func(i int) // the region: written before it opens
	n        int
	next     atomic.Int64 // the next item of the region
	inRegion atomic.Int64 // helpers that have joined the open region
	quit     atomic.Bool

	parked []atomic.Bool
	wake   []chan struct{} // one token wakes a parked helper
	wg     sync.WaitGroup
}

// spinFor is how long a helper waits for the next region before parking:
// longer than the serial stretches between regions of an iteration, short
// enough not to hold a core once a solve pauses or ends.
const spinFor = 100 * time.Microsecond

// newTeam returns a team of workers (0: GOMAXPROCS), the caller counting
// as one. Close stops it.
func newTeam(workers int) *team { return newTeamSpinning(workers, spinFor) }

// newTeamSpinning is newTeam with helpers that spin for spin before they
// park (tests park them at once to exercise waking).
func newTeamSpinning(workers int, spin time.Duration) *team {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	t := &team{helpers: workers - 1, spin: spin, parked: make([]atomic.Bool, max(0, workers-1)), wake: make([]chan struct{}, max(0, workers-1))}
	for h := range t.helpers {
		t.wake[h] = make(chan struct{}, 1)
		t.wg.Add(1)
		go t.helper(h)
	}
	return t
}

// size is how many goroutines work on a region; 1 for a nil team.
func (t *team) size() int {
	if t == nil {
		return 1
	}
	return t.helpers + 1
}

// close stops the helpers and waits for them. The team must be idle.
func (t *team) close() {
	if t == nil {
		return
	}
	t.quit.Store(true)
	for h := range t.wake {
		select {
		case t.wake[h] <- struct{}{}:
		default:
		}
	}
	t.wg.Wait()
}

// helper takes part in every region it finds open until the team closes.
func (t *team) helper(h int) {
	defer t.wg.Done()
	// Regions counted from 0, the epoch at newTeam, not from whatever
	// epoch this goroutine first sees: the owner may have started the
	// first region before the helper ran at all.
	var seen uint64
	for {
		start := time.Now()
		st := t.state.Load()
		for spins := 0; st>>1 == seen; spins++ {
			if t.quit.Load() {
				return
			}
			if spins&1023 == 1023 && time.Since(start) > t.spin || t.spin == 0 {
				// Park. Setting parked before looking at the epoch
				// again, while parallel bumps it before looking at
				// parked, means one of the two sees the other: no region
				// is missed.
				t.parked[h].Store(true)
				if t.state.Load()>>1 == seen && !t.quit.Load() {
					<-t.wake[h]
				}
				t.parked[h].Store(false)
				start, spins = time.Now(), 0
			}
			st = t.state.Load()
		}
		if t.quit.Load() {
			return
		}
		// A helper that was off its core may have missed regions: it
		// takes the latest, if it is still open.
		seen = st >> 1
		if st&1 == 0 {
			continue
		}
		// Joining, then finding the region still open, means the owner,
		// which closes it before it looks at inRegion, waits for this
		// helper; finding it closed, the owner may not have, and the
		// helper leaves without touching it.
		t.inRegion.Add(1)
		if t.state.Load() == st {
			t.work()
		}
		t.inRegion.Add(-1)
	}
}

// work takes items of the current region until none are left.
func (t *team) work() {
	for {
		i := int(t.next.Add(1) - 1)
		if i >= t.n {
			return
		}
		t.fn(i)
	}
}

// parallel runs fn(0..n-1) on the team. Items are taken from a shared
// counter, so items of unequal size (feeders) balance.
func parallel(n int, t *team, fn func(i int)) {
	if t == nil || t.helpers == 0 || n <= 1 || !t.busy.CompareAndSwap(false, true) {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	t.fn, t.n = fn, n
	t.next.Store(0)
	epoch := t.state.Load()>>1 + 1
	t.state.Store(epoch<<1 | 1) // opens the region: publishes fn and n
	for h := range t.parked {
		if t.parked[h].Load() {
			select {
			case t.wake[h] <- struct{}{}:
			default:
			}
		}
	}
	t.work()
	// Every item is taken: close the region, then wait for the helpers
	// that joined it to finish theirs. One that has not joined will find
	// it closed.
	t.state.Store(epoch << 1)
	for spins := 0; t.inRegion.Load() > 0; spins++ {
		if spins&63 == 63 {
			runtime.Gosched()
		}
	}
	t.fn = nil
	t.busy.Store(false)
}

// chunksAnd is one parallel region of chunks(nc, n, t, fn) and of extra,
// one more item, taken after the chunks: work independent of them that
// would otherwise be a region of its own, or a loop the owner ran alone
// between regions while the helpers spun.
func chunksAnd(nc, n int, t *team, fn func(c, lo, hi int), extra func()) {
	parallel(nc+1, t, func(i int) {
		if i < nc {
			fn(i, i*n/nc, (i+1)*n/nc)
			return
		}
		extra()
	})
}
