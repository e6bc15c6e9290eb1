package dispatch

import (
	"sync/atomic"
	"testing"
	"time"
)

// Every item of every region runs exactly once, whether the helpers are
// spinning or parked between regions, with more workers than cores too;
// a region started inside a region runs in its caller; close returns with
// helpers parked or spinning.
func TestTeamRunsEveryItemOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workers int
		spin    time.Duration
	}{
		{"spinning", 2, spinFor},
		{"parking at once", 2, 0},
		{"four workers, parking", 4, 0},
		{"alone", 1, spinFor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := newTeamSpinning(tc.workers, tc.spin)
			defer tm.close()
			for r := 0; r < 500; r++ {
				n := r%37 + 1
				hits := make([]atomic.Int32, n)
				var nested atomic.Int32
				parallel(n, tm, func(i int) {
					hits[i].Add(1)
					if i == 0 {
						parallel(3, tm, func(int) { nested.Add(1) })
					}
				})
				for i := range hits {
					if h := hits[i].Load(); h != 1 {
						t.Fatalf("region %d: item %d ran %d times", r, i, h)
					}
				}
				if nested.Load() != 3 {
					t.Fatalf("region %d: nested region ran %d of 3 items", r, nested.Load())
				}
			}
		})
	}
}

func TestNilTeamIsSerial(t *testing.T) {
	var order []int
	parallel(5, nil, func(i int) { order = append(order, i) })
	for i, v := range order {
		if v != i {
			t.Fatalf("order %v, want 0..4", order)
		}
	}
	if (*team)(nil).size() != 1 {
		t.Fatal("a nil team is one worker")
	}
}

// A region does not wait for a helper that never joins it: with the
// helper's goroutine not running at all (as when its thread is off its
// core on a busy machine), every region still ends, its items run once
// each by the owner, and the team closes.
func TestRegionNeedNotWaitForAbsentHelper(t *testing.T) {
	tm := &team{helpers: 1, spin: spinFor, parked: make([]atomic.Bool, 1), wake: []chan struct{}{make(chan struct{}, 1)}}
	for r := 0; r < 100; r++ {
		n := r%7 + 2
		hits := make([]atomic.Int32, n)
		parallel(n, tm, func(i int) { hits[i].Add(1) })
		for i := range hits {
			if h := hits[i].Load(); h != 1 {
				t.Fatalf("region %d: item %d ran %d times", r, i, h)
			}
		}
	}
	tm.close()
}

// chunksAnd runs each chunk's range and the extra item exactly once, the
// ranges those of chunks, with a team and without.
func TestChunksAndRunsRangesAndExtrasOnce(t *testing.T) {
	tm := newTeam(2)
	defer tm.close()
	for _, tt := range []*team{tm, nil} {
		for n := 0; n < 40; n++ {
			for nc := 1; nc <= 5; nc++ {
				hits := make([]atomic.Int32, n)
				var ranges [5][2]int
				var extra atomic.Int32
				chunksAnd(nc, n, tt, func(c, lo, hi int) {
					ranges[c] = [2]int{lo, hi}
					for i := lo; i < hi; i++ {
						hits[i].Add(1)
					}
				}, func() { extra.Add(1) })
				for i := range hits {
					if h := hits[i].Load(); h != 1 {
						t.Fatalf("n %d, %d chunks: entry %d covered %d times", n, nc, i, h)
					}
				}
				chunks(nc, n, nil, func(c, lo, hi int) {
					if ranges[c] != [2]int{lo, hi} {
						t.Fatalf("n %d, %d chunks: chunk %d is %v, chunks makes [%d %d]", n, nc, c, ranges[c], lo, hi)
					}
				})
				if extra.Load() != 1 {
					t.Fatalf("n %d, %d chunks: the extra item ran %d times", n, nc, extra.Load())
				}
			}
		}
	}
}
