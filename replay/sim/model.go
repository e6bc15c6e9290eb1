package sim

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// Defaults for Options.
const (
	DefaultStep    = time.Minute
	DefaultRefresh = 15 * time.Minute
	// DefaultHeartbeat is below feeds.DefaultStaleAfter (5 minutes), so a
	// Fleet never marks a quiet simulated charger stale.
	DefaultHeartbeat = 4 * time.Minute
	DefaultAdapter   = "sim"
)

// ErrSeekBackwards is returned by Seek for a time before the simulator's clock.
var ErrSeekBackwards = errors.New("the simulator cannot seek backwards")

// Options configure a Sim. Zero values take the defaults.
type Options struct {
	// Start is where the simulation is when Run begins. The day is simulated
	// from its start up to there without emitting anything, so EVs plugged
	// in earlier have charged. Zero: the scenario's start.
	Start   time.Time
	Speed   float64       // simulated time per wall time, replay.MinSpeed..MaxSpeed; 1 when zero
	Step    time.Duration // simulated step; DefaultStep when zero
	Refresh time.Duration // full charger refresh period; DefaultRefresh when zero
	// Heartbeat is the longest a charger goes without a frame: chargers are
	// re-sent in a rolling fashion (a 1/n share each step) so none is silent
	// longer. DefaultHeartbeat when zero; negative disables it.
	Heartbeat time.Duration
	Clock     clock.Clock  // paces Run; clock.Real when nil
	Logger    *slog.Logger // unmet energy and setpoints; slog.Default when nil
	Adapter   string       // adapter route the hello gives each charger; DefaultAdapter when empty
	// Backfill makes Run send, after the hello, the feeder loads of the
	// part of the day simulated before Start, so a desk that starts at
	// 16:00 shows the load curve from midnight. Only feeder frames are
	// sent: chargers report their state as of Start.
	Backfill bool
	// HoldAtEnd makes Run hold at the end of the day instead of returning:
	// the clock stops there, the sink gets the pause signal a presenter's
	// pause sends (so a desk on the feed shows the source paused, not a
	// silent feed), and Run waits for a Restart, ReleaseEnd or ctx. A
	// `v2gdesk sim` that takes commands holds, so its presenter can seek
	// back to replay the evening without every desk losing its link.
	HoldAtEnd bool
	// OnHold, when set, is called from Run's goroutine, off the lock, each
	// time Run starts holding at the end of the day (HoldAtEnd), once the
	// sink has the pause signal; end is the day's end in the scenario's zone.
	OnHold func(end time.Time)
	// EndWhenHeld, with HoldAtEnd, tells the sink the day ended
	// (LinkEvent{End: true}) where it holds, instead of pausing it: an
	// in-process desk shows the day over and ends its DR events, as a
	// replay held at its end does, and a Restart's reset (LinkEvent{Up,
	// Reset}) takes it back. A desk on a served feed is paused instead:
	// over the protocol an end closes the link.
	EndWhenHeld bool
}

// Stats counts what the simulation did.
type Stats struct {
	Steps         uint64
	Departed      int     // EVs that left
	UnmetSessions int     // of which short of their target
	UnmetKWh      float64 // total energy short of target at departure
	ChargedKWh    float64 // grid side, all EVs
	DischargedKWh float64 // grid side, all EVs
	Accepted      uint64  // setpoints accepted as asked
	Clamped       uint64  // setpoints accepted at a bounded power
	Rejected      uint64  // setpoints refused
}

// EVState is one charger's EV as the simulator holds it: the session
// plugged in now, else the charger's next session (Plugged false), else
// its last (Left true: every session at the charger has left).
type EVState struct {
	Charger, Feeder    string
	Session            string // the scenario session's id
	Plugged, Left      bool
	KW                 float64 // grid power now, positive charging
	EnergyKWh          float64 // in the battery
	BatteryKWh         float64
	TargetKWh          float64
	ChargedKWh         float64 // grid side, so far, at the charger (all its sessions)
	DischargedKWh      float64 // grid side, so far, at the charger (all its sessions)
	SetpointKW         *float64
	SetpointValidUntil time.Time
	MaxChargeKW        float64
	MaxDischargeKW     float64
	Plugin, Departure  time.Time
}

// FeederLoad is one feeder's load now.
type FeederLoad struct {
	ID          string
	KW, LimitKW float64
}

// phase is where an EV is in its session.
type phase uint8

const (
	phaseBefore phase = iota
	phasePlugged
	phaseLeft
)

type setpoint struct {
	active bool
	kw     float64
	until  int64 // unix nanoseconds
	id     string
}

// visit is one of a charger's sessions, as the simulator needs it.
type visit struct {
	session   string
	plugin    int64 // unix nanoseconds
	plugout   int64
	cap       float64
	arrival   float64 // energy at plug-in
	target    float64
	departure []byte // RFC 3339, precomputed
}

// ev is one charger and the EV of the session it is at: a charger runs
// through its sessions (visits) in order, so frames, setpoints and the
// charger list stay per charger.
type ev struct {
	id        string
	visits    []visit // the charger's sessions by plug-in; never written after New
	cur       int     // the session the fields below are of
	session   string
	feeder    int
	plugin    int64 // unix nanoseconds
	plugout   int64
	cap       float64
	e         float64
	target    float64
	maxC      float64
	maxD      float64 // 0 when not V2G
	phase     phase
	kw        float64
	sp        setpoint
	charged   float64
	discharg  float64
	departure []byte // RFC 3339, precomputed

	// what the last emitted frame said
	emitted   bool
	lastState feeds.ChargerState
	lastKW    float64
	lastSP    setpoint
}

// Sim is a running re-enactment of a scenario. All methods are safe for
// concurrent use; Step must not be called while Run runs.
type Sim struct {
	params // set by New, then only read: no lock needed

	mu sync.Mutex
	// model is the simulated state, guarded by mu, except while seeking
	// is set: then nothing writes it (Run computes the seek on a copy, and
	// ApplySetpoint queues in seeking), so Run may read it without mu.
	model

	speed  float64
	paused bool
	// holdEnd: Run holds at the end of the day (Options.HoldAtEnd, until
	// ReleaseEnd); ended: it holds there now, until a restart.
	holdEnd  bool
	ended    bool
	onHold   func(end time.Time)
	endHeld  bool // Options.EndWhenHeld
	seek     *time.Time
	restart  *time.Time // Restart's target, for Run to take (restart.go)
	seeking  *seekState // Run is computing a seek off the lock (source.go)
	held     *time.Time // what Now says while Run delivers a seek: the time before it
	filling  bool       // Run is delivering the backfill of a later start (CatchingUp)
	catchUps uint64     // seeks begun (CatchingUp)
	pace     paceState  // whether Run keeps its speed (pace.go)
	wake     chan struct{}
	started  bool
	// taken is closed, and replaced, each time Run has delivered a seek or
	// a restart, and at Run's end: WaitTaken waits on it (settle.go).
	taken   chan struct{}
	runOver bool                  // Run has returned: nothing asked for will be taken now
	onWait  func(d time.Duration) // tests: called each time Run blocks (-1 while paused)
	// onSeekAhead, when set (tests only), is called by Run off the lock
	// once a seek's new state is computed and before it is swapped in.
	onSeekAhead func()

	backfill   [][]byte // Options.Backfill: feeder batches before Start, sent once by Run
	backfillOn bool     // Options.Backfill, for a Seek before Run

	// dawn is the model at the day's start, before anything was simulated:
	// Restart simulates a copy of it up to its target. Set by New, then
	// only read.
	dawn model
}

// params are what a Sim is set up with; New sets them and nothing changes
// them after, so a seek computed off the lock shares them.
type params struct {
	sc         *scenario.Scenario
	loc        *time.Location
	step       time.Duration
	refresh    time.Duration
	beat       int // heartbeat period in steps; 0: none
	clk        clock.Clock
	log        *slog.Logger
	adapter    string
	end        time.Time
	chargerIdx map[string]int
	hello      []byte
	// chargerHeads and feederHeads start each charger's and feeder's
	// frame (frameHeads), by index in evs and sc.Feeders.
	chargerHeads, feederHeads [][]byte
}

// model is the state that simulating moves on. It is a value apart from
// the Sim so that a seek can advance a copy without holding the lock the
// live path (Now, status, setpoints) needs.
type model struct {
	now      time.Time
	evs      []ev
	feederKW []float64
	stats    Stats
	// catchingUp: the day before Start is being simulated (New, or Seek
	// before Run); departures are then summed up in one log line (catchUp)
	// rather than logged one by one.
	catchingUp bool
}

// clone returns a copy of m that shares nothing m's owner writes (an ev's
// id, visits and departure are never written after New).
func (m *model) clone() model {
	c := *m
	c.evs = append([]ev(nil), m.evs...)
	c.feederKW = append([]float64(nil), m.feederKW...)
	return c
}

// New returns a simulation of sc positioned at opts.Start.
func New(sc *scenario.Scenario, opts Options) (*Sim, error) {
	if sc == nil {
		return nil, errors.New("sim: no scenario")
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	s := &Sim{params: params{sc: sc, loc: sc.Location(), step: opts.Step, refresh: opts.Refresh, clk: opts.Clock, log: opts.Logger,
		adapter: opts.Adapter}, speed: opts.Speed, wake: make(chan struct{}, 1), taken: make(chan struct{}), backfillOn: opts.Backfill,
		holdEnd: opts.HoldAtEnd, onHold: opts.OnHold, endHeld: opts.EndWhenHeld}
	if s.step <= 0 {
		s.step = DefaultStep
	}
	if s.refresh <= 0 {
		s.refresh = DefaultRefresh
	}
	switch hb := opts.Heartbeat; {
	case hb == 0:
		s.beat = int(DefaultHeartbeat / s.step)
	case hb > 0:
		s.beat = int(hb / s.step)
	}
	if opts.Heartbeat >= 0 && s.beat < 1 {
		s.beat = 1
	}
	if s.clk == nil {
		s.clk = clock.Real()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.adapter == "" {
		s.adapter = DefaultAdapter
	}
	if s.speed == 0 {
		s.speed = 1
	}
	if err := replay.CheckSpeed(s.speed); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	s.now = sc.Start()
	s.end = sc.End()
	start := opts.Start
	if start.IsZero() {
		start = s.now
	}
	if start.Before(s.now) || !start.Before(s.end) {
		return nil, fmt.Errorf("sim: start %s is not within the scenario day %s..%s", start.Format(time.RFC3339),
			s.now.Format(time.RFC3339), s.end.Format(time.RFC3339))
	}
	feederIdx := map[string]int{}
	for i, f := range sc.Feeders {
		feederIdx[f.ID] = i
	}
	s.feederKW = make([]float64, len(sc.Feeders))
	chargers := sc.Chargers()
	s.evs = make([]ev, len(chargers))
	s.chargerIdx = make(map[string]int, len(chargers))
	for i, c := range chargers {
		s.chargerIdx[c] = i
		s.evs[i].id = c
	}
	s.chargerHeads = frameHeads("charger", chargers)
	feederIDs := make([]string, len(sc.Feeders))
	for i, f := range sc.Feeders {
		feederIDs[i] = f.ID
	}
	s.feederHeads = frameHeads("feeder", feederIDs)
	// Validate made the sessions at a charger agree on its feeder and
	// bounds, and take turns.
	for _, ss := range sc.Sessions {
		e := &s.evs[s.chargerIdx[ss.Charger]]
		e.feeder, e.maxC = feederIdx[ss.Feeder], ss.MaxKW
		if ss.V2G {
			e.maxD = ss.MaxKW
		}
		e.visits = append(e.visits, visit{session: ss.ID, plugin: ss.Plugin.UnixNano(), plugout: ss.Plugout.UnixNano(),
			cap: ss.BatteryKWh, arrival: ss.ArrivalKWh(), target: ss.TargetKWh(),
			departure: ss.Plugout.In(s.loc).AppendFormat(nil, time.RFC3339)})
	}
	for i := range s.evs {
		e := &s.evs[i]
		sort.SliceStable(e.visits, func(a, b int) bool { return e.visits[a].plugin < e.visits[b].plugin })
		e.begin(0)
	}
	hello, err := s.buildHello()
	if err != nil {
		return nil, err
	}
	s.hello = hello
	s.decide()
	s.dawn = s.model.clone()
	var fill batcher
	fillp := &fill
	if !opts.Backfill {
		fillp = nil
	}
	s.catchUp(start, fillp, "before the start")
	fill.close()
	s.backfill = fill.out
	return s, nil
}

// catchUp simulates, without emitting, up to to, appending the feeder loads
// of each step to fill when it is not nil. The EVs that left short of their
// target meanwhile are logged in one line, saying when (why: "before the
// start", "during the seek"): a desk started at 18:00 replays the
// departures of the whole day so far, and a line for each of them buried
// the start-up lines (`listening on`) under a hundred others.
func (s *Sim) catchUp(to time.Time, fill *batcher, why string) {
	from, before := s.now, s.stats
	s.catchingUp = true
	for s.now.Before(to) {
		if fill != nil {
			s.appendFeeders(fill)
		}
		s.advance(false)
	}
	s.catchingUp = false
	if n := s.stats.UnmetSessions - before.UnmetSessions; n > 0 {
		s.log.Info("sim: EVs left short of their target "+why, "sessions", n,
			"short_kwh", math.Round((s.stats.UnmetKWh-before.UnmetKWh)*100)/100,
			"departed", s.stats.Departed-before.Departed,
			"from", from.In(s.loc).Format("15:04"), "to", s.now.In(s.loc).Format("15:04"))
	}
}

// Scenario returns the scenario being re-enacted.
func (s *Sim) Scenario() *scenario.Scenario { return s.sc }

// decide handles arrivals, departures and expired setpoints at s.now and
// sets every EV's power for the coming step, then the feeder loads.
func (s *Sim) decide() {
	now := s.now.UnixNano()
	s.baseLoads()
	for i := range s.evs {
		s.decideEV(&s.evs[i], now)
	}
}

// baseLoads sets every feeder's load to its base at s.now, for decideEV
// to add the EVs to.
func (s *Sim) baseLoads() {
	for f := range s.feederKW {
		s.feederKW[f] = s.sc.BaseAt(f, s.now)
	}
}

// decideEV is decide for one EV at now (unix nanoseconds).
func (s *Sim) decideEV(e *ev, now int64) {
	if !s.arrive(e, now) {
		return
	}
	dh := s.step.Hours()
	ec, ed := s.sc.ChargeEfficiency, s.sc.DischargeEfficiency
	if e.sp.active && now >= e.sp.until {
		e.sp = setpoint{}
	}
	var kw float64
	if e.sp.active {
		kw = e.sp.kw
		if kw > 0 {
			kw = math.Min(kw, (e.cap-e.e)/(ec*dh))
		} else if kw < 0 {
			kw = math.Max(kw, -e.e*ed/dh)
		}
	} else if need := e.target - e.e; need > 1e-9 {
		kw = math.Min(e.maxC, need/(ec*dh))
	}
	if math.Abs(kw) < 1e-9 {
		kw = 0
	}
	e.kw = kw
	s.feederKW[e.feeder] += kw
}

// arrive moves e's sessions on to now: plug-outs due (a charger's next
// session may plug in at the same step), then a plug-in due. It reports
// whether an EV is plugged in for the coming step.
func (s *Sim) arrive(e *ev, now int64) bool {
	for {
		switch e.phase {
		case phaseBefore:
			if now < e.plugin {
				return false
			}
			if now < e.plugout {
				e.phase = phasePlugged
				return true
			}
		case phasePlugged:
			if now < e.plugout {
				return true
			}
		case phaseLeft:
			return false
		}
		// e's session is over (in a step it plugged out or never reached)
		e.phase, e.kw, e.sp = phaseLeft, 0, setpoint{}
		if !s.depart(e) {
			return false
		}
	}
}

// depart logs and counts an EV leaving short of its target, then readies
// the charger for its next session, if it has one, and reports whether it
// has.
func (s *Sim) depart(e *ev) bool {
	s.stats.Departed++
	if short := e.target - e.e; short > 0.01 {
		s.stats.UnmetSessions++
		s.stats.UnmetKWh += short
		if !s.catchingUp { // else catchUp sums these up
			s.log.Info("sim: EV left short of its target", "charger", e.id, "session", e.session,
				"short_kwh", math.Round(short*100)/100, "at", s.now.In(s.loc).Format("15:04"))
		}
	}
	if e.cur+1 >= len(e.visits) {
		return false
	}
	e.begin(e.cur + 1)
	return true
}

// begin readies e for its k-th session: not plugged in yet, with that
// session's car. A setpoint does not carry over: it was for the car that
// left. The charger's energy counters run on.
func (e *ev) begin(k int) {
	v := &e.visits[k]
	e.cur, e.session, e.phase = k, v.session, phaseBefore
	e.plugin, e.plugout, e.departure = v.plugin, v.plugout, v.departure
	e.cap, e.e, e.target = v.cap, v.arrival, v.target
	e.kw, e.sp = 0, setpoint{}
	// A charger reports when its car changes, even when the next plugs in
	// at the step the last left and draws the same power.
	e.emitted = false
}

// advance integrates one step, moves the clock and decides the next step;
// with emit it returns the step's frames as batches. Each EV is integrated
// and decided in one pass (what one EV does depends on no other): at
// 100,000 EVs of some 300 bytes each, a pass over them is a walk through
// 30 MB, and two were a good part of a step's cost.
func (s *Sim) advance(emit bool) [][]byte {
	dh := s.step.Hours()
	ec, ed := s.sc.ChargeEfficiency, s.sc.DischargeEfficiency
	s.now = s.now.Add(s.step)
	s.stats.Steps++
	now := s.now.UnixNano()
	s.baseLoads()
	for i := range s.evs {
		e := &s.evs[i]
		if e.phase == phasePlugged && e.kw != 0 {
			if e.kw > 0 {
				e.e += ec * e.kw * dh
				e.charged += e.kw * dh
				s.stats.ChargedKWh += e.kw * dh
			} else {
				e.e += e.kw / ed * dh
				e.discharg -= e.kw * dh
				s.stats.DischargedKWh -= e.kw * dh
			}
			e.e = math.Min(math.Max(e.e, 0), e.cap)
		}
		s.decideEV(e, now)
	}
	if !emit {
		return nil
	}
	full := s.now.Sub(s.sc.Start())%s.refresh == 0
	return s.frames(full)
}

// state returns what a charger would report now.
func (e *ev) state() feeds.ChargerState {
	switch {
	case e.phase != phasePlugged:
		return feeds.StateAvailable
	case e.kw > 0:
		return feeds.StateCharging
	case e.kw < 0:
		return feeds.StateDischarging
	default:
		return feeds.StateSuspended
	}
}

// changed reports whether e differs from its last emitted frame.
func (e *ev) changed() bool {
	return !e.emitted || e.state() != e.lastState || math.Abs(e.kw-e.lastKW) > 0.01 ||
		e.sp.active != e.lastSP.active || e.sp.kw != e.lastSP.kw || e.sp.until != e.lastSP.until
}

// CatchingUp reports how many seeks have begun, and whether one is under way: asked for and not yet
// taken by Run, or being computed off the lock, or being delivered (Now holds the time before it), or
// the backfill of a start later than the day's being delivered; a Restart,
// from its swap until its new day is delivered, is under way too. A
// desk's fleet passes it on in its snapshots (feeds.FleetOptions), and the
// alarm engine then holds back the conditions of the hours skipped.
func (s *Sim) CatchingUp() (n uint64, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catchUps, s.seek != nil || s.seeking != nil || s.held != nil || s.filling
}

// Now returns the simulation clock. While Run delivers a seek it is still
// the time before the seek: the frames carry the new time, and a Fleet on
// this clock counts a frame stamped ahead of it as heard at its stamp, so
// no snapshot sees the clock jumped and the chargers not yet sent.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held != nil {
		return *s.held
	}
	return s.now
}

// End returns when the simulation ends (the end of the scenario day).
func (s *Sim) End() time.Time { return s.end }

// Stats returns the counters so far. During a seek they are those before
// it, with the setpoints answered meanwhile.
func (s *Sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	if sk := s.seeking; sk != nil {
		st.Accepted += sk.accepted
		st.Clamped += sk.clamped
		st.Rejected += sk.rejected
	}
	return st
}

// EV returns the EV at a charger.
func (s *Sim) EV(charger string) (EVState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.chargerIdx[charger]
	if !ok {
		return EVState{}, false
	}
	e := &s.evs[i]
	st := EVState{Charger: e.id, Session: e.session, Feeder: s.sc.Feeders[e.feeder].ID, Plugged: e.phase == phasePlugged, Left: e.phase == phaseLeft,
		KW: e.kw, EnergyKWh: e.e, BatteryKWh: e.cap, TargetKWh: e.target, ChargedKWh: e.charged, DischargedKWh: e.discharg,
		MaxChargeKW: e.maxC, MaxDischargeKW: e.maxD, Plugin: time.Unix(0, e.plugin).In(s.loc), Departure: time.Unix(0, e.plugout).In(s.loc)}
	if e.sp.active {
		kw := e.sp.kw
		st.SetpointKW = &kw
		st.SetpointValidUntil = time.Unix(0, e.sp.until).In(s.loc)
	}
	return st, true
}

// FeederLoads returns every feeder's load now, in scenario order.
func (s *Sim) FeederLoads() []FeederLoad {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]FeederLoad, len(s.feederKW))
	for i, kw := range s.feederKW {
		out[i] = FeederLoad{ID: s.sc.Feeders[i].ID, KW: kw, LimitKW: s.sc.Feeders[i].ImportLimitKW}
	}
	return out
}

// Step advances the simulation by d (rounded up to whole steps) without
// pacing and returns the batches it produced. It is for tests and tools;
// do not call it while Run runs.
func (s *Sim) Step(d time.Duration) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]byte
	for t := time.Duration(0); t < d && s.now.Before(s.end); t += s.step {
		out = append(out, s.advance(true)...)
	}
	return out
}
