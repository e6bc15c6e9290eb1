package feeds

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// snapshotReuse is how long an unchanged fleet hands out the same Snapshot:
// time alone changes staleness and V2G figures, but not faster than this
// matters to anyone.
const snapshotReuse = time.Second

// EventRetention is how long after its end a DR event is kept.
const EventRetention = 24 * time.Hour

// Snapshot returns the fleet now. It holds the ingest lock only to share the
// charger chunks and copy the small per-feeder state; totals are computed
// after releasing it. An unchanged fleet returns the previous Snapshot
// (same Seq) for up to a second.
func (fl *Fleet) Snapshot() *Snapshot {
	fl.snapMu.Lock()
	defer fl.snapMu.Unlock()

	fl.mu.Lock()
	// Asked before the clock: a catch-up that ends between the two then
	// reads as still catching up at its target, never as an arrival at a
	// time short of it.
	catchUps, catching := fl.catchingUpLocked()
	paused := fl.pausedLocked()
	now := fl.opt.Clock()
	// The arrival is never a reused snapshot: the one before it may be
	// at the same clock, still catching up.
	if prev := fl.last; prev != nil && !fl.dirty && prev.CatchingUp == catching && prev.CatchUps == catchUps && prev.Paused == paused {
		if d := now.Sub(prev.At); d >= 0 && d < snapshotReuse {
			fl.mu.Unlock()
			return prev
		}
	}
	fl.seq++
	fl.dirty = false
	s := &Snapshot{
		Seq:        fl.seq,
		At:         now,
		CatchingUp: catching,
		CatchUps:   catchUps,
		Paused:     paused,
		Location:   fl.opt.Location,
		staleAfter: fl.opt.StaleAfter,
		topo:       fl.topo,
		Stats:      fl.stats.snapshot(fl.opt.Wall()),
	}
	s.Stats.BadCatchUps = fl.catch.bad
	s.Stats.BadPauses = fl.pause.bad
	s.Stats.Conflations, s.Stats.ConflatedFrames, s.Stats.BadConflations = fl.conflate.sets, fl.conflate.replaced, fl.conflate.bad
	fl.pruneEventsLocked(now)
	s.eventHeard = fl.eventsHeardLocked()
	s.Events = make([]EventFrame, 0, len(fl.events))
	for _, e := range fl.events {
		s.Events = append(s.Events, e)
	}
	end := unixMinute(now)
	histVer, histGen := fl.histVer, fl.histGen
	rebuilt := map[int64]bool{} // history blocks rebuilt in some feeder's view
	if t := fl.topo; t != nil {
		s.HaveTopology, s.Site, s.Location, s.FeedMode = true, t.site, t.loc, t.mode
		s.FeedSpeed = fl.feedSpeedLocked()
		s.ClockEstimated = fl.clockEstimatedLocked()
		s.ClockStands = s.ClockEstimated && fl.pause.downPaused
		s.chunks = fl.chargers.share()
		s.Feeders = make([]FeederState, len(t.feeders))
		for i := range t.feeders {
			s.Feeders[i] = fl.feederStateLocked(i, now, end, rebuilt)
		}
	}
	fl.mu.Unlock()

	slices.SortFunc(s.Events, func(a, b EventFrame) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	// sysCache and sysBlocks are guarded by snapMu.
	if c := &fl.sysCache; !c.ok || c.ver != histVer || c.end != end || fl.sysGen != histGen {
		prev := fl.sysBlocks
		if fl.sysGen != histGen {
			prev = nil // feeders came or went, or were reset: every block changes
		}
		var h History
		h, fl.sysBlocks = systemHistory(s.Feeders, end, prev, rebuilt)
		fl.sysGen = histGen
		*c = histCache{ver: histVer, end: end, h: h, ok: true}
	}
	s.systemHist = fl.sysCache.h
	if s.topo != nil {
		s.totals()
	}

	fl.mu.Lock()
	fl.last = s
	fl.mu.Unlock()
	return s
}

func (fl *Fleet) pruneEventsLocked(now time.Time) {
	for id, e := range fl.events {
		if now.Sub(e.End) > EventRetention {
			delete(fl.events, id)
			delete(fl.eventHeard, id)
		}
	}
}

// feederStateLocked copies feeder i's measurement and takes its history
// view, adding the numbers of the history blocks it rebuilt to rebuilt.
func (fl *Fleet) feederStateLocked(i int, now time.Time, end int64, rebuilt map[int64]bool) FeederState {
	fd := &fl.feeders[i]
	info := fl.topo.feeders[i]
	fs := FeederState{FeederInfo: info, Seen: fd.seen, TS: fd.ts, KW: fd.kw, LimitKW: info.ImportLimitKW,
		Chargers: fl.topo.feederCount[i]}
	if fd.hasLimit {
		fs.LimitKW = fd.limit
	}
	if fd.seen {
		fs.Stale = now.UnixNano()-fd.heard > int64(fl.opt.StaleAfter)
	}
	fs.LoadingPct = pct(fs.KW, fs.LimitKW)
	if c := &fd.cache; !c.ok || c.ver != fd.hist.ver || c.end != end {
		*c = histCache{ver: fd.hist.ver, end: end, h: fd.hist.view(end, rebuilt), ok: true}
	}
	fs.History = fd.cache.h
	return fs
}

// pct is x as a percentage of limit; 0 when there is no limit.
func pct(x, limit float64) float64 {
	if limit <= 0 {
		return 0
	}
	return 100 * x / limit
}

// totals derives system load, charger counts and V2G capacity from the
// (immutable) chunks, outside the Fleet's lock.
func (s *Snapshot) totals() {
	t := s.topo
	for i := range s.Feeders {
		f := &s.Feeders[i]
		if f.Seen {
			s.System.KW += f.KW
			if f.Stale {
				s.StaleFeeders++
			}
		}
		s.System.ImportLimitKW += f.LimitKW
	}
	if t.system != nil {
		s.System.ImportLimitKW = t.system.ImportLimitKW
	}
	s.System.LoadingPct = pct(s.System.KW, s.System.ImportLimitKW)

	// The charger pass dominates a snapshot of a large fleet; it runs in
	// parallel over ranges of whole chunks, each part with its own totals.
	parts := runtime.GOMAXPROCS(0)
	if n := len(s.chunks); parts > n {
		parts = n
	}
	if len(t.chargers) < 8*chunkSize {
		parts = 1
	}
	res := make([]chargerTotals, max(parts, 1))
	var wg sync.WaitGroup
	per := (len(s.chunks) + len(res) - 1) / len(res)
	for p := range res {
		lo, hi := p*per*chunkSize, min((p+1)*per*chunkSize, len(t.chargers))
		res[p].feeders = make([]feederTotals, len(s.Feeders))
		if p == len(res)-1 {
			s.countChargers(lo, hi, &res[p])
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.countChargers(lo, hi, &res[p])
		}()
	}
	wg.Wait()
	for _, r := range res {
		for k := range s.States {
			s.States[k] += r.states[k]
		}
		s.Unknown += r.unknown
		s.StaleChargers += r.stale
		for i := range s.Feeders {
			s.Feeders[i].Plugged += r.feeders[i].plugged
			s.Feeders[i].V2G.merge(r.feeders[i].v2g)
		}
	}
	for i := range s.Feeders {
		s.V2G.merge(s.Feeders[i].V2G)
	}
}

// The indexes in ChargerStates of the states that offer no flexibility.
const (
	stateFaultedIdx = 4
	stateOfflineIdx = 5
)

// chargerTotals is what one part of the charger pass counts.
type chargerTotals struct {
	states         [len(ChargerStates)]int
	unknown, stale int
	feeders        []feederTotals
}

type feederTotals struct {
	plugged int
	v2g     V2GCapacity
}

// countChargers counts chargers lo..hi-1 into r.
func (s *Snapshot) countChargers(lo, hi int, r *chargerTotals) {
	t := s.topo
	nowNS := s.At.UnixNano()
	stale := int64(s.staleAfter)
	for i := lo; i < hi; i++ {
		c := &s.chunks[i>>chunkBits].hot[i&chunkMask]
		st := &t.static[i]
		f := &r.feeders[st.feeder]
		if !c.seen {
			r.unknown++
			f.v2g.Unheard++
			continue
		}
		r.states[c.state]++
		if c.plugged {
			f.plugged++
		}
		if nowNS-c.heard > stale {
			r.stale++
			if c.plugged {
				f.v2g.StalePlugged++
			}
			continue
		}
		if !c.plugged || c.state == stateFaultedIdx || c.state == stateOfflineIdx {
			continue
		}
		f.v2g.add(flex(c, st.maxChargeKW, st.maxDischargeKW, nowNS), st.maxDischargeKW > 0)
	}
}
