package adapters

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// maxFutureStart is how far ahead valid_from may lie. Adapters apply a
// setpoint when they receive it, so one meant to start later is refused
// rather than applied early.
const maxFutureStart = time.Minute

// minPruneAt is the size of the guard's set of seen setpoint ids at which
// it is first pruned; after that it is pruned whenever it has doubled since
// the last prune, so pruning costs O(1) per setpoint, amortised, and the set
// holds at most max(minPruneAt, 2 × the ids still remembered) ids.
const minPruneAt = 1024

// appliedTolerance absorbs rounding (W, A, register scale) when checking the
// power an adapter reports against the charger's bounds.
const appliedTolerance = 0.05 // kW

// GuardOptions are the safety settings of a Guard.
type GuardOptions struct {
	DryRun       bool             // journal and answer, send nothing to hardware
	MaxValidity  time.Duration    // longest validity accepted; 0: DefaultMaxValidity
	MinInterval  time.Duration    // least time between two setpoints for one charger; 0: no limit
	BatchTimeout time.Duration    // how long a batch waits for adapters; 0: DefaultBatchTimeout
	Now          func() time.Time // clock; nil: time.Now
	Logger       *slog.Logger     // nil: slog.Default()
	// LateGrace is how long past the batch deadline an adapter may still
	// wait for the equipment's answer, so that an answer the batch no
	// longer waits for is journalled as late_result with what the
	// equipment really did; never past the setpoint's valid_until. 0:
	// DefaultLateGrace.
	LateGrace time.Duration
}

// GuardStats counts what a Guard has done since it was made.
type GuardStats struct {
	// Results counts results by status (duplicates not counted); a late
	// answer is counted in place of the result reported before it (a
	// timeout accepted late counts as accepted), so the counts say what
	// the equipment did.
	Results    map[Status]int
	Duplicates int // setpoints answered from an earlier result with the same id
	QueueFull  int // setpoints refused because their adapter's queue was full
	Late       int // adapter answers that came after the batch stopped waiting (journalled as late_result)
	// Waiting is how many setpoints past their batch's deadline are still
	// with their adapter, which may yet answer (within LateGrace); Close
	// waits for them.
	Waiting int
	// Forgotten counts setpoint ids forgotten because their validity (plus
	// the batch timeout) had passed by the guard's clock, over Prunes
	// passes, and those of the journal forgotten so when the guard was
	// made (Journal.ForgetExpired); Remembered is how many ids the guard
	// remembers now.
	Forgotten, Prunes, Remembered int
	// NotJournalled counts the setpoints not sent because their record
	// could not be written to the journal (a full disk): of
	// Results[StatusFailed].
	NotJournalled int
	// Journal is what became of the journal's appends, the guard's and
	// every other writer's of it: failing, nothing can be sent.
	Journal JournalHealth
}

// Guard stands in front of every adapter and enforces the safety rules:
// known bounds (clamp), no discharge on a one-way charger, a validity window
// no longer than MaxValidity, MinInterval per charger, idempotent ids, dry
// run, the journal before hardware, and a deadline per batch. Each adapter
// has its own queue and workers, so one slow or dead adapter never blocks
// the others. Safe for concurrent use.
type Guard struct {
	opts GuardOptions
	j    *Journal
	log  *slog.Logger

	mu     sync.Mutex
	config map[string]ChargerConfig     // from the --adapters file
	topo   map[string]feeds.ChargerInfo // from the latest hello
	// topoFrom names where topo came from in refusals and clamps
	// ("the feed's hello", "its peer's hello").
	topoFrom string
	seen     map[string]*entry // setpoint id -> first outcome, until its validity has passed
	// pruneAt is the size of seen at which it is next pruned.
	pruneAt int
	last    map[string]time.Time // charger -> last setpoint handed on
	// latest is each charger's latest setpoint with its result, for a
	// charger's page (Latest).
	latest map[string]Outcome
	stats  GuardStats

	life   sync.RWMutex // held for reading while dispatching; Close takes it to close queues
	lanes  map[string]*lane
	closed bool
	wg     sync.WaitGroup
	// jlog collapses the log lines of a journal that keeps failing.
	jlog *journalLog
}

// entry is the first outcome of a setpoint id; done is closed once res is
// set. until is the setpoint's valid_until: a re-send after it is refused as
// expired by check, so the entry is needed only until then.
type entry struct {
	done  chan struct{}
	res   Result
	until time.Time
	first SetpointIdentity // what the id was first used for
	// late: an answer after res was reported has been counted in its
	// place (lateAnswer); lateRes is that answer, and lateCh, made by
	// whichever of lateAnswer and WaitLate comes first, is closed then.
	// Guarded by g.mu.
	late    bool
	lateRes Result
	lateCh  chan struct{}
}

// answer is what a re-send of the id is told: the late answer when one
// came after res was reported (what the equipment did: a timeout it
// accepted late is accepted), else res. The counts and Latest say the
// same. Callers hold g.mu.
func (e *entry) answer() Result {
	if e.late {
		return e.lateRes
	}
	return e.res
}

// identity is what sp is: a later setpoint with its id must be the same.
func identity(sp Setpoint) SetpointIdentity {
	kw, until := sp.KW, sp.ValidUntil
	return SetpointIdentity{Charger: sp.Charger, KW: &kw, ValidUntil: &until}
}

// lane is one adapter with its queue.
type lane struct {
	name string
	a    Adapter
	q    chan *job
}

// job is one setpoint handed to a lane. state moves from pending (queued)
// to dropped (the caller gave up before a worker took it: never sent) or
// to started (a worker took it), and from started to exactly one of
// delivered (the caller gets the result) or abandoned (the caller gave up;
// the worker journals the late answer, if one comes).
type job struct {
	ctx    context.Context // the batch: past its deadline the setpoint is not sent
	parent context.Context // the caller's: its cancellation ends Apply too
	// applyUntil ends Apply: the batch deadline plus the late grace, so an
	// answer that comes after the batch stopped waiting still reaches the
	// journal.
	applyUntil time.Time
	sp         Setpoint // KW already clamped
	asked      float64
	bounds     Bounds
	note       string      // where the bound that clamped sp came from, when not the file (boundsNote)
	out        chan Result // buffered 1
	state      atomic.Int32
	// recorded is closed once the batch has journalled its result, so a
	// late_result never precedes the result record it follows.
	recorded chan struct{}
	// e is the setpoint's entry: its done is closed once the batch has
	// also counted the result and made it the charger's latest, which a
	// late answer then replaces.
	e *entry
}

// applyContext is the context Apply runs with. It outlives the batch
// deadline (until applyUntil) so a late answer is not thrown away, but a
// cancellation of the caller's context (shutdown, ^C) still ends it.
func (j *job) applyContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithDeadline(context.WithoutCancel(j.parent), j.applyUntil)
	stop := context.AfterFunc(j.parent, func() {
		if errors.Is(j.parent.Err(), context.Canceled) {
			cancel()
		}
	})
	return ctx, func() { stop(); cancel() }
}

const (
	jobPending int32 = iota
	jobStarted
	jobDelivered
	jobAbandoned
	jobDropped
)

// NewGuard returns a Guard that journals to j. Add adapters with AddAdapter
// and chargers with SetCharger or UpdateTopology before applying setpoints.
func NewGuard(j *Journal, opts GuardOptions) *Guard {
	if opts.MaxValidity <= 0 {
		opts.MaxValidity = DefaultMaxValidity
	}
	if opts.BatchTimeout <= 0 {
		opts.BatchTimeout = DefaultBatchTimeout
	}
	if opts.LateGrace <= 0 {
		opts.LateGrace = DefaultLateGrace
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	lg := opts.Logger
	if lg == nil {
		lg = slog.Default()
	}
	g := &Guard{
		opts: opts, j: j, log: lg,
		config: map[string]ChargerConfig{}, topo: map[string]feeds.ChargerInfo{}, topoFrom: defaultTopologyFrom,
		seen: map[string]*entry{}, last: map[string]time.Time{}, latest: map[string]Outcome{}, pruneAt: minPruneAt,
		stats: GuardStats{Results: map[Status]int{}},
		lanes: map[string]*lane{},
		jlog:  newJournalLog(),
	}
	// The journal remembers every id its file holds; those whose validity
	// and the batch timeout have passed by this guard's clock are
	// forgotten as prune forgets its own (a re-send is refused as
	// expired), so a long journal is not held in memory. A simulated
	// clock, days before the journal's wall-clock times, forgets none.
	if j != nil {
		if n := j.ForgetExpired(opts.Now().Add(-opts.BatchTimeout)) + j.takeForgottenOnOpen(); n > 0 {
			g.stats.Forgotten += n
			lg.Info("expired setpoint ids of the journal forgotten", "journal", j.Path(), "forgotten", n)
		}
	}
	// The rate limit holds across processes on one journal (`v2gdesk
	// setpoint` run twice in a row): a setpoint the journal shows sent
	// less than MinInterval ago counts. Only times in the guard's own past
	// count, so a simulated clock, days before the journal's wall-clock
	// times, is not blocked by them.
	if j != nil && opts.MinInterval > 0 {
		now := opts.Now()
		for ch, at := range j.LastSentOnOpen() {
			if d := now.Sub(at); d >= 0 && d < opts.MinInterval {
				g.last[ch] = at
			}
		}
	}
	return g
}

// AddAdapter registers a under name with its own queue of depth queue and
// workers concurrent Apply calls (0: defaults).
func (g *Guard) AddAdapter(name string, a Adapter, workers, queue int) error {
	if workers <= 0 {
		workers = DefaultWorkers
	}
	if queue <= 0 {
		queue = DefaultQueueDepth
	}
	g.life.Lock()
	defer g.life.Unlock()
	if g.closed {
		return fmt.Errorf("add adapter %q: %w", name, ErrClosed)
	}
	if _, ok := g.lanes[name]; ok {
		return fmt.Errorf("add adapter %q: name already used", name)
	}
	l := &lane{name: name, a: a, q: make(chan *job, queue)}
	g.lanes[name] = l
	if lr, ok := a.(LateReporter); ok {
		lr.SetLateSink(lateSink{g: g, lane: name})
	}
	for range workers {
		g.wg.Add(1)
		go g.work(l)
	}
	return nil
}

// Adapter returns the adapter registered under name.
func (g *Guard) Adapter(name string) (Adapter, bool) {
	g.life.RLock()
	defer g.life.RUnlock()
	l, ok := g.lanes[name]
	if !ok {
		return nil, false
	}
	return l.a, true
}

// SetCharger declares a charger from the --adapters file.
func (g *Guard) SetCharger(c ChargerConfig) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.config[c.ID] = c
}

// UpdateTopology replaces the topology learnt from a feed's hello. For a
// charger also in the config, the tighter of the two bounds applies and the
// config's route wins.
func (g *Guard) UpdateTopology(chargers []feeds.ChargerInfo) {
	g.UpdateTopologyFrom(defaultTopologyFrom, chargers)
}

// UpdateTopologyFrom is UpdateTopology for a topology learnt elsewhere
// than the feed: from names its source ("its peer's hello") in the reason
// of a setpoint refused or clamped by a bound of the topology tighter than
// the file's.
func (g *Guard) UpdateTopologyFrom(from string, chargers []feeds.ChargerInfo) {
	m := make(map[string]feeds.ChargerInfo, len(chargers))
	for _, c := range chargers {
		m[c.ID] = c
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.topo, g.topoFrom = m, from
}

// Unrouted says why a setpoint for charger could not reach an adapter, or
// "" when it can: its route is known and names a running adapter (any named
// adapter in a dry run). The guard refuses such a setpoint, journalled as
// rejected; a caller about to send a plan asks first, so that a plan none of
// whose chargers is routed is refused before anything is sent.
func (g *Guard) Unrouted(charger string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, name, ok := g.route(charger)
	return g.routeProblem(charger, name, ok)
}

// RouteFault is why a charger's setpoints reach no adapter, as Unrouted
// words it; a screen in another language words it again from this.
type RouteFault int

// The route faults Route returns.
const (
	// RouteOK: the charger's route names a running adapter.
	RouteOK RouteFault = iota
	// RouteUnknown: the charger is in neither the adapters file nor the
	// topology, so it has no bounds.
	RouteUnknown
	// RouteNone: the charger is known but names no adapter.
	RouteNone
	// RouteNotRunning: the adapter it names is not running.
	RouteNotRunning
)

// Route says whether charger's setpoints reach an adapter and, when not,
// why (the adapter named, for RouteNotRunning): Unrouted's sentence as
// figures.
func (g *Guard) Route(charger string) (RouteFault, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, name, ok := g.route(charger)
	switch {
	case !ok:
		return RouteUnknown, ""
	case name == "":
		return RouteNone, ""
	}
	if _, running := g.Adapter(name); !running && !g.opts.DryRun {
		return RouteNotRunning, name
	}
	return RouteOK, name
}

// routeProblem is the guard's refusal of a charger whose route (name, known
// by ok) reaches no adapter, or "". Callers hold g.mu.
func (g *Guard) routeProblem(charger, name string, ok bool) string {
	switch {
	case !ok:
		return fmt.Sprintf("charger %q: %v: no bounds known (not in the adapters file or the topology)", charger, ErrUnknownCharger)
	case name == "":
		return fmt.Sprintf("charger %q has no adapter route", charger)
	}
	if _, running := g.Adapter(name); !running && !g.opts.DryRun {
		return fmt.Sprintf("charger %q routes to adapter %q, which is not running", charger, name)
	}
	return ""
}

// route returns the effective bounds and adapter name of a charger. Callers
// hold g.mu.
func (g *Guard) route(charger string) (Bounds, string, bool) {
	c, inConfig := g.config[charger]
	t, inTopo := g.topo[charger]
	tb := Bounds{MaxChargeKW: t.MaxChargeKW, MaxDischargeKW: t.MaxDischargeKW}
	switch {
	case inConfig && inTopo:
		name := c.Adapter
		if name == "" {
			name = t.Adapter
		}
		return c.Bounds().Tighter(tb), name, true
	case inConfig:
		return c.Bounds(), c.Adapter, true
	case inTopo:
		return tb, t.Adapter, true
	}
	return Bounds{}, "", false
}

// Apply sends one setpoint through the guard. See ApplyBatch.
func (g *Guard) Apply(ctx context.Context, sp Setpoint) Result {
	return g.ApplyBatch(ctx, []Setpoint{sp})[0]
}

// planned is a setpoint that passed the checks and will be handed on.
type planned struct {
	i      int
	sp     Setpoint
	asked  float64
	bounds Bounds
	note   string // where the bound that clamps sp came from, when not the file (boundsNote)
	lane   string
	e      *entry
	job    *job
}

// ApplyBatch sends setpoints through the guard and returns one Result per
// setpoint, in order. It returns within the batch timeout (or ctx's
// deadline, if sooner); setpoints whose adapter did not answer by then get
// StatusTimeout. Every setpoint handed to an adapter is journalled and
// fsynced before the adapter sees it; every result is journalled before it
// is returned. An adapter may go on waiting for its equipment for
// LateGrace after the deadline; an answer that comes then is journalled as
// late_result after the result record.
func (g *Guard) ApplyBatch(ctx context.Context, sps []Setpoint) []Result {
	now := g.opts.Now()
	started := time.Now() // wall clock, as the batch deadline is
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, g.opts.BatchTimeout)
	defer cancel()

	results := make([]Result, len(sps))
	final := make([]bool, len(sps)) // result known and needs no journal record (duplicate)
	owned := map[int]*entry{}       // entries this call must complete
	waits := map[int]*entry{}       // duplicates of setpoints still in flight
	reused := 0                     // ids refused because they were used for another setpoint
	var plan []*planned

	g.mu.Lock()
	for i, sp := range sps {
		if sp.ID != "" {
			e, ok := g.seen[sp.ID]
			if !ok {
				if r, known := g.j.Outcome(sp.ID); known {
					first, ok := g.j.FirstUse(sp.ID)
					if !ok {
						first = SetpointIdentity{Charger: r.Charger}
					}
					e = &entry{done: make(chan struct{}), res: r, until: sp.ValidUntil, first: first}
					close(e.done)
					g.remember(sp.ID, e, now)
				}
			}
			if e != nil {
				// A re-send is answered with the first result only when it
				// is the same setpoint: an id reused for another charger,
				// power or validity must not report the first's outcome as
				// its own (nor be applied).
				if d := e.first.Differs(sp); d != "" {
					results[i] = Result{ID: sp.ID, Charger: sp.Charger, Status: StatusRejected, At: now,
						Reason: fmt.Sprintf("setpoint id %q was used for another setpoint (%s); not sent: use a new id", sp.ID, d)}
					reused++
					continue
				}
				g.stats.Duplicates++
				select {
				case <-e.done:
					results[i], final[i] = e.answer(), true
				default:
					waits[i] = e
				}
				continue
			}
		}
		e := &entry{done: make(chan struct{}), until: sp.ValidUntil, first: identity(sp)}
		if sp.ID != "" {
			g.remember(sp.ID, e, now)
		}
		owned[i] = e
		p, reason := g.check(sp, now)
		if reason != "" {
			results[i] = Result{ID: sp.ID, Charger: sp.Charger, Status: StatusRejected, Reason: reason, At: now}
			continue
		}
		p.i, p.e = i, e
		g.last[sp.Charger] = now
		plan = append(plan, p)
	}
	g.mu.Unlock()

	// The journal comes before hardware: nothing is handed on unless its
	// record is durable.
	if len(plan) > 0 {
		recs := make([]Record, len(plan))
		for k, p := range plan {
			recs[k] = setpointRecord(p.sp, p.sp.KW, p.lane, g.opts.DryRun)
			recs[k].RequestedKW = ptr(p.asked)
		}
		if err := g.j.Append(recs...); err != nil {
			g.jlog.failed(g.log, "setpoints not sent: journal failed", "setpoints_not_sent", len(plan), err)
			g.mu.Lock()
			g.stats.NotJournalled += len(plan)
			g.mu.Unlock()
			for _, p := range plan {
				results[p.i] = Result{ID: p.sp.ID, Charger: p.sp.Charger, Status: StatusFailed, Adapter: p.lane,
					Reason: fmt.Sprintf("not sent: %v", err), At: now}
			}
			plan = nil
		} else {
			g.jlog.ok(g.log)
		}
	}

	if g.opts.DryRun {
		for _, p := range plan {
			results[p.i] = g.finish(p.sp, p.asked, p.bounds, p.note, Result{Status: StatusAccepted, AppliedKW: p.sp.KW,
				Reason: "dry run: journalled, not sent to hardware", DryRun: true, Adapter: p.lane})
		}
	} else {
		if full := g.dispatch(ctx, parent, plan, results); full > 0 {
			g.mu.Lock()
			g.stats.QueueFull += full
			g.mu.Unlock()
		}
		for _, p := range plan {
			if p.job == nil {
				continue
			}
			select {
			case r := <-p.job.out:
				results[p.i] = r
			case <-ctx.Done():
				switch {
				case p.job.state.CompareAndSwap(jobPending, jobDropped):
					// Still in the adapter's queue: no worker will send
					// it now, so it is not in force anywhere. Reported
					// timed out, its charger read "may hold it" of a
					// setpoint that never left (a silent peer holds the
					// workers, and the rest of the batch waits behind).
					results[p.i] = Result{ID: p.sp.ID, Charger: p.sp.Charger, Status: StatusFailed, Adapter: p.lane,
						Reason: notSentQueuedReason(parent), At: g.opts.Now()}
				case p.job.state.CompareAndSwap(jobStarted, jobAbandoned):
					g.mu.Lock()
					g.stats.Waiting++
					g.mu.Unlock()
					results[p.i] = Result{ID: p.sp.ID, Charger: p.sp.Charger, Status: StatusTimeout, Adapter: p.lane,
						Reason: g.noAnswer(parent, started, p.lane), At: g.opts.Now()}
				default:
					results[p.i] = <-p.job.out // delivered just as the deadline passed
				}
			}
		}
	}

	var recs []Record
	for i := range sps {
		if final[i] || waits[i] != nil {
			continue
		}
		recs = append(recs, resultRecord(RecResult, sps[i], results[i]))
	}
	if err := g.j.Append(recs...); err != nil {
		g.jlog.failed(g.log, "results not journalled", "results_not_journalled", len(recs), err)
		for i := range results {
			if !final[i] && waits[i] == nil {
				results[i].Reason = joinReason(results[i].Reason, fmt.Sprintf("result not journalled: %v", err))
			}
		}
	} else if len(recs) > 0 {
		g.jlog.ok(g.log)
	}
	for _, p := range plan {
		if p.job != nil {
			close(p.job.recorded)
		}
	}

	g.mu.Lock()
	for i := range sps {
		// In the batch's order: of two setpoints to one charger, the
		// later is its latest.
		e, ok := owned[i]
		if !ok {
			continue
		}
		e.res = results[i]
		close(e.done)
		g.stats.Results[results[i].Status]++
		g.latest[sps[i].Charger] = Outcome{Setpoint: sps[i], Result: results[i]}
	}
	g.stats.Results[StatusRejected] += reused
	g.mu.Unlock()

	for i, e := range waits {
		select {
		case <-e.done:
			g.mu.Lock()
			results[i] = e.answer()
			g.mu.Unlock()
		case <-ctx.Done():
			results[i] = Result{ID: sps[i].ID, Charger: sps[i].Charger, Status: StatusTimeout, At: g.opts.Now(),
				Reason: "duplicate id: the first setpoint with this id had no result before the batch deadline"}
		}
	}
	return results
}

// remember records e as the first outcome of id, pruning the set first
// when it has grown to pruneAt. Callers hold g.mu.
func (g *Guard) remember(id string, e *entry, now time.Time) {
	if len(g.seen) >= g.pruneAt {
		g.prune(now)
	}
	g.seen[id] = e
}

// prune forgets the ids whose setpoints can no longer be applied: their
// valid_until, plus the batch timeout as a margin for a batch still under
// way, is before now. A re-send of such an id carries the same valid_until,
// so check refuses it as expired: nothing is applied twice. An id still in
// flight (no result yet) is kept whatever its validity. The journal forgets
// the same ids, so neither grows for the life of the process. Callers hold
// g.mu.
func (g *Guard) prune(now time.Time) {
	cutoff := now.Add(-g.opts.BatchTimeout)
	var gone []string
	for id, e := range g.seen {
		if !e.until.Before(cutoff) {
			continue
		}
		select {
		case <-e.done:
		default:
			continue // in flight: a duplicate may be waiting on it
		}
		delete(g.seen, id)
		gone = append(gone, id)
	}
	g.j.Forget(gone...)
	g.forgetChargers(now, cutoff)
	g.stats.Prunes++
	g.stats.Forgotten += len(gone)
	g.pruneAt = max(minPruneAt, 2*len(g.seen))
	g.log.Debug("setpoint ids pruned", "forgotten", len(gone), "remembered", len(g.seen))
}

// forgetChargers drops, on a prune, what the guard keeps per charger once
// it can no longer matter, so a site whose chargers come and go does not
// grow the guard for the life of the process: a send time older than
// MinInterval (the rate limit no longer counts it; one in the guard's
// future, after a simulated clock went back, is kept, as it will count
// again), and the latest setpoint of a charger that is in neither the
// config nor the latest hello once its validity, plus the batch timeout,
// has passed by cutoff (nothing would show it; a charger shown again
// starts without one, as its setpoint has lapsed). Callers hold g.mu.
func (g *Guard) forgetChargers(now, cutoff time.Time) {
	for ch, at := range g.last {
		if now.Sub(at) >= g.opts.MinInterval {
			delete(g.last, ch)
		}
	}
	for ch, o := range g.latest {
		_, configured := g.config[ch]
		_, heard := g.topo[ch]
		if !configured && !heard && o.Setpoint.ValidUntil.Before(cutoff) {
			delete(g.latest, ch)
		}
	}
}

// check applies the safety rules to sp. It returns the plan to hand it on,
// or a rejection reason. Callers hold g.mu.
func (g *Guard) check(sp Setpoint, now time.Time) (*planned, string) {
	if sp.ID == "" {
		return nil, "setpoint has no id (ids make re-sending safe)"
	}
	if sp.Charger == "" {
		return nil, "setpoint names no charger"
	}
	if !finite(sp.KW) {
		return nil, fmt.Sprintf("power %v kW is not a number", sp.KW)
	}
	if sp.ValidUntil.IsZero() {
		return nil, "setpoint has no validity: valid_until is required"
	}
	if !sp.ValidUntil.After(now) {
		return nil, fmt.Sprintf("setpoint expired at %s", sp.ValidUntil.Format(time.RFC3339))
	}
	start := now
	if !sp.ValidFrom.IsZero() {
		if !sp.ValidFrom.Before(sp.ValidUntil) {
			return nil, "valid_from is not before valid_until"
		}
		if sp.ValidFrom.Sub(now) > maxFutureStart {
			return nil, fmt.Sprintf("valid_from %s is in the future; send the setpoint when it starts", sp.ValidFrom.Format(time.RFC3339))
		}
		if sp.ValidFrom.After(now) {
			start = sp.ValidFrom
		}
	}
	if d := sp.ValidUntil.Sub(start); d > g.opts.MaxValidity {
		return nil, fmt.Sprintf("validity %s is longer than the maximum %s", d.Round(time.Second), g.opts.MaxValidity)
	}
	b, laneName, ok := g.route(sp.Charger)
	if why := g.routeProblem(sp.Charger, laneName, ok); why != "" {
		return nil, why
	}
	if toW(sp.KW) < 0 && !b.Bidirectional() {
		why := fmt.Sprintf("charger %q is not bidirectional: discharge of %g kW refused", sp.Charger, -sp.KW)
		if note := g.boundsNote(sp.Charger, sp.KW); note != "" {
			why += " (" + note + ")"
		}
		return nil, why
	}
	if g.opts.MinInterval > 0 {
		// As on opening: only a send in the guard's own past counts. A
		// guard on a simulated clock sees it go back when the simulation
		// seeks back, and the setpoints sent at the later times were
		// dropped with them; counting those refused every setpoint of the
		// re-plan after the seek ("was -20m19s ago"). time.Now's monotonic
		// reading keeps a live guard's clock from going back.
		if last, ok := g.last[sp.Charger]; ok {
			if d := now.Sub(last); d >= 0 && d < g.opts.MinInterval {
				return nil, fmt.Sprintf("rate limit: previous setpoint for %q was %s ago; minimum interval is %s",
					sp.Charger, d.Round(time.Millisecond), g.opts.MinInterval)
			}
		}
	}
	asked := sp.KW
	// Clamp, then round to whole watts toward zero: rounding never leaves
	// the bounds, and no 3.095469740394127e-7 kW (or -0) goes on the wire.
	sp.KW = clampTo(b, toW(clampTo(b, sp.KW))) // again after rounding: a bound within 1e-6 W of a whole watt
	if sp.ValidFrom.IsZero() {
		sp.ValidFrom = now
	}
	return &planned{sp: sp, asked: asked, bounds: b, note: g.boundsNote(sp.Charger, asked), lane: laneName}, ""
}

// dispatch hands each planned setpoint to its lane's queue without
// blocking: a full queue fails the setpoint at once. It returns how many
// found their queue full. It must not take g.mu: check takes g.life inside
// g.mu, so the reverse order could deadlock.
func (g *Guard) dispatch(ctx, parent context.Context, plan []*planned, results []Result) (full int) {
	g.life.RLock()
	defer g.life.RUnlock()
	batchEnd, _ := ctx.Deadline()
	for _, p := range plan {
		l, ok := g.lanes[p.lane]
		if g.closed || !ok {
			results[p.i] = Result{ID: p.sp.ID, Charger: p.sp.Charger, Status: StatusFailed, Adapter: p.lane,
				Reason: fmt.Sprintf("adapter %q: %v", p.lane, ErrClosed), At: g.opts.Now()}
			continue
		}
		j := &job{ctx: ctx, parent: parent, applyUntil: batchEnd.Add(g.lateGrace(p.sp, batchEnd)),
			sp: p.sp, asked: p.asked, bounds: p.bounds, note: p.note, out: make(chan Result, 1), recorded: make(chan struct{}), e: p.e}
		select {
		case l.q <- j:
			p.job = j
		default:
			full++
			results[p.i] = Result{ID: p.sp.ID, Charger: p.sp.Charger, Status: StatusFailed, Adapter: p.lane,
				Reason: fmt.Sprintf("adapter %q queue is full (%d waiting); not sent", p.lane, cap(l.q)), At: g.opts.Now()}
		}
	}
	return full
}

// lateGrace is how long after the batch deadline (batchEnd) Apply may go
// on waiting for sp's answer: LateGrace, but not past sp's valid_until by
// the guard's clock, since an answer after that no longer matters to the
// equipment.
func (g *Guard) lateGrace(sp Setpoint, batchEnd time.Time) time.Duration {
	left := sp.ValidUntil.Sub(g.opts.Now()) - time.Until(batchEnd)
	return max(0, min(g.opts.LateGrace, left))
}

// work runs one worker of lane l until its queue is closed.
func (g *Guard) work(l *lane) {
	defer g.wg.Done()
	for j := range l.q {
		if !j.state.CompareAndSwap(jobPending, jobStarted) {
			continue // dropped at the batch deadline: its result says not sent
		}
		var r Result
		if err := j.ctx.Err(); err != nil {
			// The deadline passed as it was taken: not sent, whatever
			// the batch reported (a timeout, if it gave up on it first,
			// is then replaced by this, journalled as late_result).
			r = Result{Status: StatusFailed, Adapter: l.name, Reason: notSentQueuedReason(j.parent)}
		} else {
			actx, cancel := j.applyContext()
			r = safeApply(actx, l.a, j.sp)
			cancel()
			r.Adapter = l.name
		}
		r = g.finish(j.sp, j.asked, j.bounds, j.note, r)
		if j.state.CompareAndSwap(jobStarted, jobDelivered) {
			j.out <- r
			continue
		}
		<-j.recorded
		<-j.e.done
		g.mu.Lock()
		g.stats.Waiting--
		g.mu.Unlock()
		if r.Status == StatusTimeout {
			// No answer came in the grace either: the result record
			// already says timeout, and a late_result is only for an
			// answer.
			g.log.Warn("no late answer from adapter", "adapter", l.name, "setpoint", j.sp.ID, "reason", r.Reason)
			continue
		}
		if err := g.j.Append(resultRecord(RecLateResult, j.sp, r)); err != nil {
			g.jlog.failed(g.log, "late result not journalled", "late_results_not_journalled", 1, err, "setpoint", j.sp.ID)
		} else {
			g.jlog.ok(g.log)
		}
		g.lateAnswer(j.sp, r)
	}
}

// notSentQueued is the reason of a setpoint whose batch deadline passed
// while it waited in its adapter's queue: it was never sent.
const notSentQueued = "not sent: the batch deadline passed while the setpoint waited in the adapter's queue"

// notSentQueuedReason is notSentQueued, or when the caller's context
// (parent) ended the wait before the deadline (^C on `v2gdesk setpoint`),
// says so: no deadline had passed.
func notSentQueuedReason(parent context.Context) string {
	if err := parent.Err(); err != nil {
		return fmt.Sprintf("not sent: the wait was stopped (%v) while the setpoint waited in the adapter's queue", err)
	}
	return notSentQueued
}

// noAnswer is the reason of a setpoint sent to adapter lane whose batch
// (started then) stopped waiting before it answered: at the batch
// deadline, or when the caller's context (parent) ended first, which it
// names with how far into the batch it came, since "before the batch
// deadline (5s)" told an operator who pressed ^C after a second that five
// had passed.
func (g *Guard) noAnswer(parent context.Context, started time.Time, lane string) string {
	if err := parent.Err(); err != nil {
		return fmt.Sprintf("no answer from adapter %q when the wait was stopped (%v), %s into the batch's %s; sent, so the charger may hold it",
			lane, err, time.Since(started).Round(100*time.Millisecond), g.opts.BatchTimeout)
	}
	return fmt.Sprintf("no answer from adapter %q before the batch deadline (%s)", lane, g.opts.BatchTimeout)
}

// lateAnswer counts r, an answer to sp that came after sp's result was
// reported (and journalled as late_result), in place of that result, and
// makes it the charger's latest when sp still is: the overview's counts
// and the charger's page then say what the equipment did (accepted late),
// not the timeout reported before. Called once sp's batch has counted its
// result (its entry's done is closed).
func (g *Guard) lateAnswer(sp Setpoint, r Result) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stats.Late++
	if e := g.seen[sp.ID]; e != nil && !e.late {
		// One answer replaces the reported result; a second late answer
		// to one call (a charge point repeating itself) is journalled,
		// not counted again.
		e.late, e.lateRes = true, r
		g.stats.Results[e.res.Status]--
		g.stats.Results[r.Status]++
		if e.lateCh == nil {
			e.lateCh = make(chan struct{})
		}
		close(e.lateCh)
	}
	if o, ok := g.latest[sp.Charger]; ok && o.Setpoint.ID == sp.ID {
		o.Result, o.Late = r, true
		g.latest[sp.Charger] = o
	}
}

// finish fills the identity fields of an adapter's result, reports a guard
// clamp (with note, where the clamping bound came from when not the
// adapters file), and refuses to call "applied" a power outside the
// charger's bounds.
func (g *Guard) finish(sp Setpoint, asked float64, b Bounds, note string, r Result) Result {
	r.ID, r.Charger = sp.ID, sp.Charger
	if r.At.IsZero() {
		r.At = g.opts.Now()
	}
	if !r.Status.Written() {
		return r
	}
	if r.AppliedKW > b.MaxChargeKW+appliedTolerance || r.AppliedKW < -b.MaxDischargeKW-appliedTolerance || !finite(r.AppliedKW) {
		r.Reason = joinReason(fmt.Sprintf("adapter reported %g kW, outside the charger's bounds %s; check the equipment",
			r.AppliedKW, b), r.Reason)
		r.Status = StatusFailed
		return r
	}
	if sp.KW != toW(asked) { // a difference below 1 W is rounding, not a clamp
		if r.Status.Applied() { // unverified stays unverified, with the clamp said
			r.Status = StatusClamped
		}
		bounds := b.String()
		if note != "" {
			bounds += ": " + note
		}
		r.Reason = joinReason(fmt.Sprintf("clamped from %g to %g kW (bounds %s)", asked, sp.KW, bounds), r.Reason)
	}
	return r
}

// safeApply calls a.Apply, turning a panic into a failed result so one bad
// adapter cannot take the process down.
func safeApply(ctx context.Context, a Adapter, sp Setpoint) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Status: StatusFailed, Reason: fmt.Sprintf("adapter panicked: %v", p)}
		}
	}()
	return a.Apply(ctx, sp)
}

// Outcome is a setpoint with its result.
type Outcome struct {
	Setpoint Setpoint
	Result   Result
	// Late: Result is the equipment's answer that came after the
	// setpoint's result was reported (journalled as late_result; a
	// charge point that accepted after the batch deadline), in place of
	// that result (timeout).
	Late bool
}

// Latest returns the latest setpoint the guard answered for charger, with
// its result: what a charger's page says of the setpoint in force (its
// validity, when it was applied), whatever adapter it went through.
func (g *Guard) Latest(charger string) (Outcome, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	o, ok := g.latest[charger]
	return o, ok
}

// WaitLate waits for an answer to the setpoint id that comes after its
// result was reported (journalled as late_result by then), and returns
// it. It returns at once when one already came, and ctx's error when ctx
// ends first: the caller bounds the wait (the setpoint's validity, past
// which an answer no longer matters). A one-shot command waits with it
// after a timeout, so an answer after a reconnect is not lost with the
// process. An id the guard does not remember (never applied here, or
// forgotten after its validity) is an error.
func (g *Guard) WaitLate(ctx context.Context, id string) (Result, error) {
	g.mu.Lock()
	e := g.seen[id]
	if e == nil {
		g.mu.Unlock()
		return Result{}, fmt.Errorf("wait for a late answer to setpoint %q: not a setpoint this guard remembers", id)
	}
	if e.lateCh == nil {
		e.lateCh = make(chan struct{})
	}
	ch := e.lateCh
	g.mu.Unlock()
	select {
	case <-ch:
		g.mu.Lock()
		defer g.mu.Unlock()
		return e.lateRes, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("wait for a late answer to setpoint %q: %w", id, ctx.Err())
	}
}

// LateAnswer returns the answer to the setpoint id that came after its
// result was reported (a timeout the equipment accepted, or refused,
// late), without waiting: false when none has come, or the guard does not
// remember id. A dispatcher that polls (the DR event controller, at each
// step) learns with it what became of the setpoints it was told timed out.
func (g *Guard) LateAnswer(id string) (Result, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if e := g.seen[id]; e != nil && e.late {
		return e.lateRes, true
	}
	return Result{}, false
}

// CanRelease reports whether Release can hand charger back before its
// setpoint expires: its adapter runs and has the Releaser capability (a
// dry-run guard releases everything, on the record). A dispatcher is told
// before cancelling when it cannot, rather than after.
func (g *Guard) CanRelease(charger string) bool {
	g.mu.Lock()
	_, laneName, ok := g.route(charger)
	g.mu.Unlock()
	if !ok {
		return false
	}
	if g.opts.DryRun {
		return true
	}
	a, ok := g.Adapter(laneName)
	if !ok {
		return false
	}
	_, ok = a.(Releaser)
	return ok
}

// Release hands a charger back to its own behaviour through its adapter's
// Releaser capability. The request is journalled before the adapter sees it
// and the outcome after.
func (g *Guard) Release(ctx context.Context, charger, operator, reason string) error {
	g.mu.Lock()
	_, laneName, ok := g.route(charger)
	g.mu.Unlock()
	if !ok {
		return fmt.Errorf("release %q: %w", charger, ErrUnknownCharger)
	}
	a, ok := g.Adapter(laneName)
	if !ok && !g.opts.DryRun {
		return fmt.Errorf("release %q: adapter %q is not running", charger, laneName)
	}
	rel, ok := a.(Releaser)
	if !ok && !g.opts.DryRun {
		return fmt.Errorf("release %q via %q: %w", charger, laneName, ErrNotSupported)
	}
	rec := Record{Kind: RecRelease, Operator: operator, Reason: reason, Charger: charger, Adapter: laneName, Detail: "requested", DryRun: g.opts.DryRun}
	if err := g.j.Append(rec); err != nil {
		return fmt.Errorf("release %q: not sent: %w", charger, err)
	}
	if g.opts.DryRun {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, g.opts.BatchTimeout)
	defer cancel()
	err := rel.Release(ctx, charger)
	rec.Detail, rec.Status = "done", StatusAccepted
	if err != nil {
		rec.Detail, rec.Status = err.Error(), StatusFailed
	}
	rec.Seq, rec.TS = 0, time.Time{}
	if jerr := g.j.Append(rec); jerr != nil {
		err = errors.Join(err, jerr)
	}
	if err != nil {
		return fmt.Errorf("release %q via %q: %w", charger, laneName, err)
	}
	return nil
}

// MinInterval is the guard's rate limit: the least time, by its clock, it
// lets pass between two setpoints for one charger (0: no limit). A sender
// of plans (the DR controller) waits it out after a send rather than have
// its next plan refused.
func (g *Guard) MinInterval() time.Duration { return max(g.opts.MinInterval, 0) }

// Stats returns a copy of the guard's counters.
func (g *Guard) Stats() GuardStats {
	// The journal's lock is not taken under the guard's.
	health := g.j.Health()
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.stats
	s.Journal = health
	s.Remembered = len(g.seen)
	s.Results = make(map[Status]int, len(g.stats.Results))
	for k, v := range g.stats.Results {
		s.Results[k] = v
	}
	return s
}

// Close stops the workers after the setpoints already queued. It does not
// close the journal or the adapters; their owners do.
func (g *Guard) Close() {
	g.life.Lock()
	if !g.closed {
		g.closed = true
		for _, l := range g.lanes {
			close(l.q)
		}
	}
	g.life.Unlock()
	g.wg.Wait()
}

// clampTo limits kw to the bounds b.
func clampTo(b Bounds, kw float64) float64 {
	return math.Max(-b.MaxDischargeKW, math.Min(b.MaxChargeKW, kw))
}

// toW rounds kW to whole watts toward zero (a nudge of 1e-6 W first, so
// 4.35 kW, 4349.999… W in binary, stays 4.35), and turns -0 into 0.
func toW(kw float64) float64 {
	w := math.Trunc(kw*1000 + math.Copysign(1e-6, kw))
	if w == 0 {
		return 0
	}
	return w / 1000
}

func joinReason(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
