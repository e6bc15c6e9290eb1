package sim

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// TestRestartRefusesSetpointsOfTheDayItDrops: a setpoint that comes after a
// Restart is asked for and before its new day is delivered was planned on
// the day being dropped (the desk has not seen the day start over), so it
// is refused, saying so, and is not in force in the new day. It used to be
// taken and applied to the new day: an earlier pass's hand-back steering
// the morning until its validity. Once the new day is delivered,
// setpoints are taken again.
func TestRestartRefusesSetpointsOfTheDayItDrops(t *testing.T) {
	sc := testScenario(t)
	day := sc.Start()
	s, err := New(sc, Options{Start: day.Add(18*time.Hour + 30*time.Minute), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	// Run blocks in onWait until the test lets it go (release): the
	// restart asked for stays untaken while the setpoint comes. Told only
	// of the wait, Run went on into it, and Restart's wake-up had it take
	// the restart before the setpoint came (CI, once under -race).
	waits := make(chan time.Duration)
	release := make(chan struct{})
	s.onWait = func(d time.Duration) {
		waits <- d
		<-release
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, &linkSink{}) }()
	<-waits // hello and state delivered; Run is held before it waits for the next step

	sp := func(id string, until time.Time) feeds.SetpointFrame {
		return feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: id, Charger: "CP-0002", KW: 2, ValidUntil: until}
	}
	if ack := s.ApplySetpoint(sp("before", day.Add(20*time.Hour))); ack.Status != feeds.AckAccepted {
		t.Fatalf("setpoint before the restart: %s %q, want accepted", ack.Status, ack.Reason)
	}
	target := day.Add(18*time.Hour + 5*time.Minute)
	if err := s.Restart(target); err != nil {
		t.Fatal(err)
	}
	ack := s.ApplySetpoint(sp("during", day.Add(20*time.Hour)))
	const why = "the simulated day is starting over at 18:05: a setpoint planned before it is not applied"
	if ack.Status != feeds.AckRejected || ack.Reason != why {
		t.Errorf("setpoint during the restart: %s %q, want rejected %q", ack.Status, ack.Reason, why)
	}
	release <- struct{}{} // Run goes on: Restart's wake-up is pending
	<-waits               // Run took the restart and delivered the new day; held again
	if n := s.InForce(); n != 0 {
		t.Errorf("%d setpoints in force in the new day, want 0: neither the one dropped nor the one refused", n)
	}
	if ev, _ := s.EV("CP-0002"); ev.SetpointKW != nil {
		t.Errorf("CP-0002 in the new day holds a setpoint of %g kW, want none", *ev.SetpointKW)
	}
	if ack := s.ApplySetpoint(sp("after", day.Add(20*time.Hour))); ack.Status != feeds.AckAccepted || strings.Contains(ack.Reason, "starting over") {
		t.Errorf("setpoint after the restart was delivered: %s %q, want accepted", ack.Status, ack.Reason)
	}
	cancel()
	close(release) // every later onWait returns at once
	go func() {
		for range waits {
		}
	}()
	<-done
}

// clockSink records, at each message of a restart, what the simulator
// says of its clock: a desk's fleet and controller ask then.
type clockSink struct {
	s      *Sim
	mu     sync.Mutex
	resets []clockSeen // at the reset link event
	frames []clockSeen // at each frame after the reset, to the restart signal
	told   bool        // the restart signal came
}

type clockSeen struct {
	now    time.Time
	active bool
}

func (c *clockSink) seen() clockSeen {
	_, active := c.s.CatchingUp()
	return clockSeen{now: c.s.Now(), active: active}
}

func (c *clockSink) HandleLink(ev feeds.LinkEvent) {
	if ev.Reset {
		seen := c.seen()
		c.mu.Lock()
		c.resets = append(c.resets, seen)
		c.mu.Unlock()
	}
}

func (c *clockSink) HandleFrame(raw []byte) {
	seen := c.seen()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.resets) > 0 && !c.told {
		c.frames = append(c.frames, seen)
		c.told = strings.HasPrefix(string(raw), restartHead)
	}
}

// TestRestartIsUnderWayUntilDelivered: from a Restart until the sink has
// the new day, the simulator says a catch-up is under way (CatchingUp),
// and Now reads the new day's time only from the reset the sink is told
// of. A desk's controller steps on the fleet clock (Now) when no catch-up
// is under way: it stepped once between the swap of the new day and the
// reset, at 08:00 over the evening's data, took the seek back for none,
// and planned the evening's event in force on into the morning.
func TestRestartIsUnderWayUntilDelivered(t *testing.T) {
	sc := testScenario(t)
	day := sc.Start()
	s, err := New(sc, Options{Start: day.Add(19 * time.Hour), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 8)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := &clockSink{s: s}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	<-waits
	target := day.Add(8 * time.Hour)
	if err := s.Restart(target); err != nil {
		t.Fatal(err)
	}
	<-waits // delivered
	cancel()
	<-done
	if len(sink.resets) != 1 || !sink.resets[0].now.Equal(target) || !sink.resets[0].active {
		t.Fatalf("at the reset: %+v, want once, Now 08:00 and a catch-up under way", sink.resets)
	}
	if len(sink.frames) < 3 || !sink.told {
		t.Fatalf("%d frames after the reset, restart signal %v; want the hello, the state and the signal", len(sink.frames), sink.told)
	}
	for i, f := range sink.frames {
		if !f.now.Equal(target) || !f.active {
			t.Errorf("frame %d of the new day: Now %s, under way %v; want 08:00 and under way", i, f.now.Format("15:04"), f.active)
		}
	}
	if _, active := s.CatchingUp(); active || !s.Now().Equal(target) {
		t.Errorf("after the delivery: Now %s, under way %v; want 08:00, done", s.Now().Format("15:04"), active)
	}
}
