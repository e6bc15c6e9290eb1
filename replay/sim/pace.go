package sim

import (
	"math"
	"time"
)

// A simulator that cannot keep to its speed (100,000 EVs at 600x on a
// loaded machine: a step costs more wall time than Step/Speed) used to fall
// behind in silence: Run gave up the lost time once it was a second behind,
// and neither its log nor its status said so, which misleads a demo
// audience and a load test alike. Run now judges its pace over each
// PaceWindow of running at one speed, logs a warning when a window falls
// short and when the pace is kept again, and Pace reports the figures.

// PaceWindow is the stretch of wall time, running at one speed, over which
// Run judges whether it keeps its speed. A pause, seek, restart or change
// of speed starts a new window.
const PaceWindow = 10 * time.Second

// paceKept is the share of its speed a window must reach to keep pace: a
// window holds whole steps, so a sim on time may measure a little under.
const paceKept = 0.95

// Pace says whether Run keeps to its speed.
type Pace struct {
	Speed float64 // asked, simulated time per wall time
	// Achieved is the simulated time per wall time over the last whole
	// window (0 until one has passed), steps taken and handed to the sink.
	Achieved float64
	// Behind: the last window reached less than 95% of Speed.
	Behind bool
	// StepCost is the mean wall time a step took over the last window
	// (simulate, encode, hand to the sink); it keeps pace while it is
	// under Step/Speed.
	StepCost time.Duration
	// Budget is Step/Speed, the wall time a step has.
	Budget time.Duration
	// Slipped is the simulated time given up in all since Run started:
	// when Run is more than a second late it goes on from the wall clock
	// instead of rushing, and the simulated time it would have covered
	// meanwhile is lost to the schedule.
	Slipped time.Duration
	// BehindWindows counts the windows that fell short.
	BehindWindows uint64
}

// paceState is Run's account of its pace, guarded by Sim.mu.
type paceState struct {
	// the window under way; wallFrom zero: none (Run is not stepping)
	wallFrom time.Time
	simFrom  time.Time
	speed    float64
	steps    int
	cost     time.Duration

	last    Pace // the last window's verdict
	slipped time.Duration
	windows uint64 // windows behind
}

// stopWindow ends the window under way without judging it: Run paused,
// sought, restarted or waits, so the wall time is not the step's fault.
func (p *paceState) stopWindow() { p.wallFrom = time.Time{} }

// stepped accounts for one step that started at wall time from, with the
// simulation at simFrom before it, and was handed to the sink by done,
// with the simulation at simNow; lost is the wall time Run gave up after
// it (0 when on time or catching up). It returns the verdict when the step
// closes a window, else nil.
func (p *paceState) stepped(from, done time.Time, simFrom, simNow time.Time, speed float64, step, lost time.Duration) *Pace {
	if p.wallFrom.IsZero() || p.speed != speed {
		p.wallFrom, p.simFrom, p.speed, p.steps, p.cost = from, simFrom, speed, 0, 0
	}
	p.steps++
	p.cost += done.Sub(from)
	p.slipped += time.Duration(float64(lost) * speed)
	wall := done.Sub(p.wallFrom)
	if wall < PaceWindow {
		return nil
	}
	v := Pace{Speed: speed, Achieved: float64(simNow.Sub(p.simFrom)) / float64(wall),
		StepCost: p.cost / time.Duration(p.steps), Budget: time.Duration(float64(step) / speed), Slipped: p.slipped}
	v.Behind = v.Achieved < paceKept*speed
	if v.Behind {
		p.windows++
	}
	v.BehindWindows = p.windows
	p.last = v
	p.wallFrom = time.Time{}
	return &v
}

// Pace returns how Run keeps to its speed: the last window's figures, the
// simulated time slipped so far and the speed asked now.
func (s *Sim) Pace() Pace {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pace.last
	p.Speed, p.Budget = s.speed, time.Duration(float64(s.step)/s.speed)
	p.Slipped, p.BehindWindows = s.pace.slipped, s.pace.windows
	return p
}

// logPace warns when a window fell short, and when the pace is kept again
// after one that did; prev is the window before v.
func (s *Sim) logPace(prev Pace, v Pace) {
	switch {
	case v.Behind:
		s.log.Warn("sim: falling behind its speed", "speed", v.Speed, "achieved", round1(v.Achieved),
			"over", PaceWindow, "step_cost", v.StepCost.Round(time.Millisecond), "step_budget", v.Budget.Round(time.Millisecond),
			"slipped_simulated", v.Slipped.Round(time.Second))
	case prev.Behind:
		s.log.Warn("sim: keeping pace again", "speed", v.Speed, "achieved", round1(v.Achieved),
			"over", PaceWindow, "slipped_simulated", v.Slipped.Round(time.Second))
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
