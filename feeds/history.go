package feeds

import (
	"math"
	"time"
)

// HistoryMinutes is how much load history a Fleet keeps: 48 hours at one
// minute resolution, per feeder and for the system.
const HistoryMinutes = 48 * 60

// histBlockLen is the number of minutes in one immutable history block.
const histBlockLen = 64

// histBlock holds the means of one block of minutes, NaN where there was no
// data. Once published in a History it is never written again.
type histBlock [histBlockLen]float64

// minuteRing accumulates one feeder's load by minute over the last
// HistoryMinutes minutes. Memory is bounded: about 57 KiB of sums, counts
// and tags (slot m mod HistoryMinutes holds minute m, tagged so a slot left
// over from an older lap reads as no data) plus the published blocks of the
// current window (about 23 KiB).
type minuteRing struct {
	sum    [HistoryMinutes]float64
	n      [HistoryMinutes]uint32
	tag    [HistoryMinutes]int64 // minute number (Unix minutes) held
	newest int64                 // latest minute number written
	ver    uint64                // bumped on every write, to reuse views

	pub   map[int64]*histBlock // published blocks by block number
	dirty map[int64]bool       // blocks written since they were published
}

func newMinuteRing() *minuteRing {
	return &minuteRing{newest: math.MinInt64 + HistoryMinutes, pub: map[int64]*histBlock{}, dirty: map[int64]bool{}}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// unixMinute is the number of the minute holding t.
func unixMinute(t time.Time) int64 { return floorDiv(t.Unix(), 60) }

// add records one sample of kw measured at ts. Samples older than the ring's
// reach (HistoryMinutes before the newest) no longer fit and are not kept;
// the measurement itself has still been applied.
func (r *minuteRing) add(ts time.Time, kw float64) {
	m := unixMinute(ts)
	if m <= r.newest-HistoryMinutes {
		return
	}
	i := floorMod(m, HistoryMinutes)
	if r.tag[i] != m || r.n[i] == 0 {
		r.tag[i], r.sum[i], r.n[i] = m, 0, 0
	}
	r.sum[i] += kw
	r.n[i]++
	r.newest = max(r.newest, m)
	r.dirty[floorDiv(m, histBlockLen)] = true
	r.ver++
}

// mean is minute m's mean load, NaN without samples.
func (r *minuteRing) mean(m int64) float64 {
	i := floorMod(m, HistoryMinutes)
	if r.tag[i] == m && r.n[i] > 0 {
		return r.sum[i] / float64(r.n[i])
	}
	return math.NaN()
}

// historyWindow returns the first minute and the block numbers of the
// HistoryMinutes minutes ending with minute end.
func historyWindow(end int64) (first, kFirst, kLast int64) {
	first = end - HistoryMinutes + 1
	return first, floorDiv(first, histBlockLen), floorDiv(end, histBlockLen)
}

// view returns the HistoryMinutes minutes ending with minute end. Blocks
// written since the last view are rebuilt (new blocks: old views keep
// theirs); the others are shared. dirty, when not nil, collects the numbers
// of the rebuilt blocks.
func (r *minuteRing) view(end int64, dirty map[int64]bool) History {
	first, kFirst, kLast := historyWindow(end)
	h := History{start: time.Unix(first*60, 0).UTC(), first: first, n: HistoryMinutes,
		blocks: make([]*histBlock, kLast-kFirst+1)}
	for k := range r.dirty {
		if k < kFirst {
			delete(r.dirty, k) // left the window for good
			continue
		}
		if k > kLast {
			continue // ahead of the window (future-stamped data): rebuilt once it enters
		}
		b := new(histBlock)
		for j := range b {
			b[j] = r.mean(k*histBlockLen + int64(j))
		}
		r.pub[k] = b
		delete(r.dirty, k)
		if dirty != nil {
			dirty[k] = true
		}
	}
	for k := range r.pub {
		if k < kFirst {
			delete(r.pub, k)
		}
	}
	for k := kFirst; k <= kLast; k++ {
		h.blocks[k-kFirst] = r.pub[k]
	}
	return h
}

// systemBlocks sums feeder histories block by block: a minute's system load
// is the sum of the means of the feeders that reported in it, NaN when none
// did. Only the blocks in dirty are recomputed; the others are taken from
// prev (the previous system blocks by number), which the result replaces.
func systemHistory(feeders []FeederState, end int64, prev map[int64]*histBlock, dirty map[int64]bool) (History, map[int64]*histBlock) {
	first, kFirst, kLast := historyWindow(end)
	h := History{start: time.Unix(first*60, 0).UTC(), first: first, n: HistoryMinutes,
		blocks: make([]*histBlock, kLast-kFirst+1)}
	next := make(map[int64]*histBlock, len(h.blocks))
	for k := kFirst; k <= kLast; k++ {
		b, ok := prev[k]
		if !ok || dirty[k] {
			b = nil
			for _, f := range feeders {
				fb := f.History.blocks[k-kFirst]
				if fb == nil {
					continue
				}
				if b == nil {
					b = new(histBlock)
					for j := range b {
						b[j] = math.NaN()
					}
				}
				for j, x := range fb {
					switch {
					case math.IsNaN(x):
					case math.IsNaN(b[j]):
						b[j] = x
					default:
						b[j] += x
					}
				}
			}
		}
		next[k] = b
		h.blocks[k-kFirst] = b
	}
	return h, next
}
