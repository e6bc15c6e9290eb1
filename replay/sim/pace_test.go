package sim

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// costSink stands for a step that costs wall time: each step's batch (the
// test scenario's steps are one batch each, with the feeder frames) moves
// the fake clock on by cost(step), as simulating, encoding and handing it
// over would. It stops Run after steps steps, and calls at(step) first
// when set.
type costSink struct {
	clk    *clock.Fake
	cost   func(step int) time.Duration
	at     func(step int)
	steps  int
	stop   context.CancelFunc
	stepNo int
}

func (c *costSink) HandleFrame(raw []byte) {
	if !bytes.Contains(raw, []byte(`"type":"feeder"`)) {
		return // the hello or a signal, not a step
	}
	c.stepNo++ // the state before the first step counts as step 1
	if c.at != nil {
		c.at(c.stepNo)
	}
	c.clk.Advance(c.cost(c.stepNo))
	if c.stepNo > c.steps {
		c.stop()
	}
}

func (c *costSink) HandleLink(feeds.LinkEvent) {}

// pacedSim runs the test scenario from 17:00 at 600x (a step of one
// simulated minute every 100 ms) on a fake clock that moves only by the
// sink's step costs and Run's waits, for steps steps. It returns the sim
// and what it logged.
func pacedSim(t *testing.T, steps int, cost func(int) time.Duration, at func(s *Sim, clk *clock.Fake, step int)) (*Sim, string) {
	t.Helper()
	sc := testScenario(t)
	clk := clock.NewFake(time.Unix(0, 0))
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := New(sc, Options{Start: sc.Start().Add(17 * time.Hour), Speed: 600, Clock: clk, Logger: log, Heartbeat: -1})
	if err != nil {
		t.Fatal(err)
	}
	// Run waits for the next step's time on the fake clock: let it pass.
	// Paused (d < 0), it waits a minute of wall time for a resume.
	s.onWait = func(d time.Duration) {
		if d < 0 {
			clk.Advance(time.Minute)
			s.Resume()
			return
		}
		clk.Advance(d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &costSink{clk: clk, cost: cost, steps: steps, stop: cancel}
	if at != nil {
		sink.at = func(step int) { at(s, clk, step) }
	}
	if err := s.Run(ctx, sink); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want it stopped by the test", err)
	}
	return s, logged.String()
}

// TestPaceBehindIsSaid: steps that cost 150 ms where 600x gives them
// 100 ms fall behind, and the sim says so (before, it went on at 400x in
// silence): Pace is behind at 400x with the step's cost and the simulated
// time slipped, and the log warns with the same figures.
func TestPaceBehindIsSaid(t *testing.T) {
	s, logged := pacedSim(t, 80, func(int) time.Duration { return 150 * time.Millisecond }, nil)
	p := s.Pace()
	if !p.Behind || p.BehindWindows != 1 {
		t.Fatalf("Pace %+v, want behind, one window", p)
	}
	// A minute per 150 ms is 400x, a little less with the step's budget
	// Run waits after giving up a late second.
	if p.Speed != 600 || p.Achieved < 370 || p.Achieved > 400 {
		t.Errorf("Pace speed %g achieved %g, want 600 asked and 370x to 400x achieved", p.Speed, p.Achieved)
	}
	if p.StepCost != 150*time.Millisecond || p.Budget != 100*time.Millisecond {
		t.Errorf("Pace step cost %v of %v, want 150ms of 100ms", p.StepCost, p.Budget)
	}
	// 81 steps at 150 ms are over 12 s of wall time, 120 simulated
	// minutes at 600x, for 81 covered: what was over a second late (three
	// times a little over a second) was given up.
	if p.Slipped < 30*time.Minute || p.Slipped > 45*time.Minute {
		t.Errorf("Pace slipped %v of simulated time, want 30 to 45 minutes", p.Slipped)
	}
	for _, want := range []string{"level=WARN", `msg="sim: falling behind its speed"`, "speed=600", "achieved=3",
		"step_cost=150ms", "step_budget=100ms", "slipped_simulated="} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %q:\n%s", want, logged)
		}
	}
}

// TestPaceKeptIsQuiet: steps that fit their 100 ms keep pace: nothing is
// logged and nothing slipped.
func TestPaceKeptIsQuiet(t *testing.T) {
	s, logged := pacedSim(t, 250, func(int) time.Duration { return 60 * time.Millisecond }, nil)
	p := s.Pace()
	if p.Behind || p.BehindWindows != 0 || p.Slipped != 0 {
		t.Fatalf("Pace %+v, want kept, none slipped", p)
	}
	if p.Achieved < 600 || p.StepCost != 60*time.Millisecond {
		t.Errorf("Pace achieved %g, step cost %v; want at least 600x, 60ms", p.Achieved, p.StepCost)
	}
	if logged != "" {
		t.Errorf("logged while keeping pace:\n%s", logged)
	}
}

// TestPaceRecoveryIsSaid: a sim that falls behind and then keeps pace
// again says both, and Pace is no longer behind.
func TestPaceRecoveryIsSaid(t *testing.T) {
	cost := func(step int) time.Duration {
		if step <= 75 {
			return 150 * time.Millisecond
		}
		return 50 * time.Millisecond
	}
	s, logged := pacedSim(t, 400, cost, nil)
	p := s.Pace()
	if p.Behind || p.BehindWindows != 1 || p.Achieved < 600 {
		t.Fatalf("Pace %+v, want kept again after one window behind", p)
	}
	behind := strings.Index(logged, "sim: falling behind its speed")
	again := strings.Index(logged, "sim: keeping pace again")
	if behind < 0 || again < behind || strings.Count(logged, "sim: keeping pace again") != 1 {
		t.Errorf("log: want one warning of falling behind, then one of keeping pace again:\n%s", logged)
	}
}

// TestPausedTimeIsNotBehind: a minute of wall time paused inside a window
// is not counted against the steps (a presenter's pause is not the sim
// falling behind).
func TestPausedTimeIsNotBehind(t *testing.T) {
	at := func(s *Sim, _ *clock.Fake, step int) {
		if step == 40 {
			s.Pause() // pacedSim resumes it after a minute
		}
	}
	s, _ := pacedSim(t, 250, func(int) time.Duration { return 60 * time.Millisecond }, at)
	if p := s.Pace(); p.Behind || p.BehindWindows != 0 || p.Slipped != 0 {
		t.Fatalf("Pace %+v, want kept: the pause is not the steps'", p)
	}
}
