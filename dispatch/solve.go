package dispatch

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Status says how a solve ended.
type Status string

// Statuses of a Result.
const (
	// StatusOptimal: the certified gap is at most OptimalGap.
	StatusOptimal Status = "optimal"
	// StatusWithinGap: the certified gap is at most Options.Gap.
	StatusWithinGap Status = "within-gap"
	// StatusTimeLimit: Options.TimeLimit ran out; the schedule is the
	// best feasible one found and Gap says how good it is.
	StatusTimeLimit Status = "time-limit"
	// StatusIterationLimit: the method stopped making progress before
	// reaching Options.Gap; the schedule is feasible and Gap is certified.
	StatusIterationLimit Status = "iteration-limit"
	// StatusInvalid: the problem did not validate; see the error.
	StatusInvalid Status = "invalid"
)

// OptimalGap is the certified relative gap at which a solve is reported
// optimal: below it the difference is rounding, not sub-optimality.
const OptimalGap = 1e-9

// Options tune Solve. The zero value asks for a gap of 1e-4, no time limit
// and one worker per CPU.
type Options struct {
	// Gap is the certified relative gap to stop at (default 1e-4).
	Gap float64
	// TimeLimit, when positive, stops the solve and returns the best
	// feasible schedule found so far with its certified gap: the greedy
	// schedule (quick.go), made first, or a priced iterate if cheaper.
	// When too few interior point steps would fit, the time goes on the
	// dual bound (dual.go) instead, and so does the time an interior
	// point stop leaves.
	// The solve stops when the next phase, pricing the iterate and filling
	// in the Result would no longer end in time, by costs it measures as
	// it goes (limit.go); a misestimate overruns by up to one phase
	// (docs/dispatch.md, "Time limit"), and the greedy schedule itself is
	// made even when the limit is shorter.
	TimeLimit time.Duration
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
	// MaxIterations caps interior point iterations (default 200).
	MaxIterations int

	// expired, set only by tests, stands in for the clock: when not nil
	// it says whether the time limit has run out at iteration it (0
	// before the first step, also before the LP is built), whatever
	// TimeLimit says, and every stop after a step prices its iterate. A limit that runs out after exactly k steps cannot
	// be had from a clock without wall-clock assumptions.
	expired func(it int) bool
	// unpriced, set only by tests with expired, says a stop has no time
	// left to price its iterate, so that it returns the best schedule
	// priced before.
	unpriced bool
	// dualSteps, set only by tests with expired, is how many steps of the
	// dual bound a solve takes after it stops: before building the LP, or
	// after an interior point step (the first at the iterate's duals
	// after minSteps steps or more).
	dualSteps int
}

// Result is a solved dispatch. Its JSON form is documented in
// docs/dispatch.md.
type Result struct {
	Status     Status  `json:"status"`
	Objective  float64 `json:"objective"`
	LowerBound float64 `json:"lower_bound"`
	// Gap is (Objective - LowerBound) / max(1, |Objective|), a certificate:
	// no schedule is cheaper than LowerBound.
	Gap          float64       `json:"gap"`
	Slots        int           `json:"slots"`
	SlotMinutes  int           `json:"slot_minutes"`
	EVs          []EVResult    `json:"evs"`
	Feeders      []LoadResult  `json:"feeders"`
	SystemKW     []float64     `json:"system_kw"`
	SystemSlack  []float64     `json:"system_slack_kw,omitempty"`
	Caps         []SlackResult `json:"caps,omitempty"`
	Costs        Costs         `json:"costs"`
	MaxViolation float64       `json:"max_hard_violation"`
	Iterations   int           `json:"iterations"`
	SolveSeconds float64       `json:"solve_seconds"`
}

// EVResult is one EV's schedule. Slices have one entry per slot of the
// horizon and are zero outside the EV's stay.
type EVResult struct {
	ID string `json:"id"`
	// KW is the signed net power, ChargeKW - DischargeKW.
	KW          []float64 `json:"kw"`
	ChargeKW    []float64 `json:"charge_kw"`
	DischargeKW []float64 `json:"discharge_kw"`
	// EnergyKWh is the state of charge at the end of each slot.
	EnergyKWh []float64 `json:"energy_kwh"`
	FinalKWh  float64   `json:"final_kwh"`
	UnmetKWh  float64   `json:"unmet_kwh"`
}

// LoadResult is a feeder's load and its limit shortfalls per slot.
type LoadResult struct {
	ID          string    `json:"id"`
	KW          []float64 `json:"kw"`
	ImportSlack []float64 `json:"import_slack_kw"`
	ExportSlack []float64 `json:"export_slack_kw"`
}

// SlackResult is a cap's shortfall per slot of the horizon (zero outside
// its window).
type SlackResult struct {
	ID      string    `json:"id"`
	SlackKW []float64 `json:"slack_kw"`
}

// Costs splits the objective into its terms.
type Costs struct {
	Energy      float64 `json:"energy"`
	Degradation float64 `json:"degradation"`
	Unmet       float64 `json:"unmet"`
	Overload    float64 `json:"overload"`
	Caps        float64 `json:"caps"`
}

// Solve validates p and computes a schedule whose cost is certified to be
// within opts.Gap (relative) of optimal. It returns an error wrapping
// ErrInvalid for a bad problem and ctx.Err() when ctx ends first; reaching
// opts.TimeLimit is not an error but StatusTimeLimit.
//
// Solve starts from fresh memory each time; a caller that solves again and
// again (a planner, a benchmark) saves that with a Solver.
func Solve(ctx context.Context, p *Problem, opts Options) (*Result, error) {
	var s Solver
	return s.Solve(ctx, p, opts)
}

// A Solver solves Problems one after another, as Solve does, keeping the
// working memory of each solve for the next instead of allocating it anew:
// about 20 MB at 1,000 EVs on 100 feeders, a gigabyte at 100,000 EVs, which
// it holds for as long as it lives. At 1,000 EVs a solve from fresh memory
// spends about a tenth of its time on that memory's page faults, zeroing
// and garbage collection (docs/benchmarks.md, "A Solver that keeps its
// memory"). Results are the same, bit for bit, as Solve's, whatever the
// Solver solved before. The zero Solver is ready to use; a Solver must not
// be used by two goroutines at once.
type Solver struct {
	mem memory
}

// Solve is the package's Solve, with the Solver's memory.
func (sv *Solver) Solve(ctx context.Context, p *Problem, opts Options) (*Result, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return &Result{Status: StatusInvalid}, err
	}
	if opts.Gap <= 0 {
		opts.Gap = 1e-4
	}
	if opts.MaxIterations <= 0 {
		opts.MaxIterations = 200
	}
	t := newTeam(opts.Workers)
	defer t.close()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dispatch: solve: %w", err)
	}
	// lim is nil without a limit, so the solve without one checks nothing
	// but ctx. With one, the greedy schedule comes first: a stop then
	// always has a schedule in hand, and making it measures what the
	// later phases cost (limit.go).
	var lim *limit
	if opts.expired != nil || opts.TimeLimit > 0 {
		lim = newLimit(p, t, start, opts)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("dispatch: solve: %w", err)
		}
		if !lim.worthBuilding() {
			if err := lim.ascend(ctx, t, nil); err != nil {
				return nil, fmt.Errorf("dispatch: solve: %w", err)
			}
			res := lim.result(p, StatusTimeLimit, 0, math.Inf(-1))
			res.SolveSeconds = time.Since(start).Seconds()
			return res, nil
		}
	}
	sv.mem.reset()
	m := buildLPIn(p, &sv.mem)
	s := newIPMIn(m, t, &sv.mem)
	res, err := s.run(ctx, p, opts.Gap, opts.MaxIterations, lim)
	if err != nil {
		return nil, fmt.Errorf("dispatch: solve: %w", err)
	}
	res.SolveSeconds = time.Since(start).Seconds()
	return res, nil
}
