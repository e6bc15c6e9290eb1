package feeds

import (
	"math"
	"time"
)

// HistoryMinutes is how much load history a Fleet keeps: 48 hours at one
// minute resolution, per feeder and for the system.
const HistoryMinutes = 48 * 60

// minuteRing accumulates one feeder's load by minute over the last
// HistoryMinutes minutes. Memory is fixed (about 57 KiB per feeder): slot m
// mod HistoryMinutes holds minute m, tagged so a slot left over from an older
// lap reads as no data.
type minuteRing struct {
	sum    [HistoryMinutes]float64
	n      [HistoryMinutes]uint32
	tag    [HistoryMinutes]int64 // minute number (Unix minutes) held; 0 = none
	newest int64                 // latest minute number written
	ver    uint64                // bumped on every write, to reuse views
}

// unixMinute is the number of the minute holding t.
func unixMinute(t time.Time) int64 {
	s := t.Unix()
	m := s / 60
	if s < 0 && s%60 != 0 {
		m--
	}
	return m
}

// add records one sample of kw measured at ts. Samples older than the ring's
// reach (HistoryMinutes before the newest) no longer fit and are not kept;
// the measurement itself has still been applied.
func (r *minuteRing) add(ts time.Time, kw float64) {
	m := unixMinute(ts)
	if m <= r.newest-HistoryMinutes {
		return
	}
	i := int(m % HistoryMinutes)
	if r.tag[i] != m {
		r.tag[i], r.sum[i], r.n[i] = m, 0, 0
	}
	r.sum[i] += kw
	r.n[i]++
	if m > r.newest {
		r.newest = m
	}
	r.ver++
}

// view copies the HistoryMinutes minutes ending with minute end into an
// immutable History: the mean of each minute's samples, NaN without any.
func (r *minuteRing) view(end int64) History {
	start := end - HistoryMinutes + 1
	kw := make([]float64, HistoryMinutes)
	for k := range kw {
		m := start + int64(k)
		i := int(m % HistoryMinutes)
		if r.tag[i] == m && r.n[i] > 0 {
			kw[k] = r.sum[i] / float64(r.n[i])
		} else {
			kw[k] = math.NaN()
		}
	}
	return History{start: time.Unix(start*60, 0).UTC(), kw: kw}
}

// systemHistory sums feeder histories minute by minute: a minute's system
// load is the sum of the means of the feeders that reported in it, NaN when
// none did. All feeder views must share one start and length.
func systemHistory(feeders []FeederState, end int64) History {
	start := end - HistoryMinutes + 1
	kw := make([]float64, HistoryMinutes)
	for k := range kw {
		kw[k] = math.NaN()
	}
	for _, f := range feeders {
		for k, x := range f.History.kw {
			if math.IsNaN(x) {
				continue
			}
			if math.IsNaN(kw[k]) {
				kw[k] = x
			} else {
				kw[k] += x
			}
		}
	}
	return History{start: time.Unix(start*60, 0).UTC(), kw: kw}
}
