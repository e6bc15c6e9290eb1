package sim

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
)

// TestSeekAlarmsDatedFromHistory: the demo day from 16:00, `:seek 19:30`
// on a desk whose fleet is told of the simulator's catch-ups. The seek's
// snapshots all read 16:00 (the clock holds the time before the seek while
// it delivers), so an overload raised by one of them (with no delay-on)
// said "first 16:00", and one raised at the arrival "first 19:30"; the
// evening overloads are listed from when each began by the history
// (F10 16:26 ... F06 17:54), and nothing is listed while the seek is
// delivered.
func TestSeekAlarmsDatedFromHistory(t *testing.T) {
	for _, delayOn := range []time.Duration{0, -1} {
		seekAlarmsDatedFromHistory(t, delayOn)
	}
}

func seekAlarmsDatedFromHistory(t *testing.T, delayOn time.Duration) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	from, target := sc.Start().Add(16*time.Hour), sc.Start().Add(19*time.Hour+30*time.Minute)
	s, err := New(sc, Options{Start: from, Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet, Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 4)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := &watchingSink{fleet: feeds.NewFleet(feeds.FleetOptions{Clock: s.Now, CatchingUp: s.CatchingUp}), alarms: alarm.NewEngine(alarm.Options{DelayOn: delayOn})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	<-waits
	if n := len(sink.alarms.Board().Alarms); n != 0 {
		t.Fatalf("%d alarms at 16:00, want none", n)
	}
	if err := s.Seek(target); err != nil {
		t.Fatal(err)
	}
	<-waits
	cancel()
	<-done
	sink.alarms.Observe(sink.fleet.Snapshot())
	b := sink.alarms.Board()
	if len(b.Alarms) < 2 {
		t.Fatalf("%d alarms at 19:30 on the demo day, want its evening overloads", len(b.Alarms))
	}
	for _, a := range b.Alarms {
		if !a.Last.Equal(target) {
			t.Errorf("delay-on %v: %s last %s, want the arrival 19:30 (it was 16:00, before its first)",
				delayOn, a.ID, a.Last.In(sc.Location()).Format("15:04"))
		}
		if a.Kind != alarm.KindLoading || !a.First.After(from) || !a.First.Before(from.Add(2*time.Hour)) || a.State != alarm.StateUnack {
			t.Errorf("delay-on %v: %s %v first %s, want a loading alarm unacknowledged, first between 16:00 and 18:00",
				delayOn, a.ID, a.State, a.First.In(sc.Location()).Format("15:04"))
		}
	}
	// The start's backfill (00:00..16:00) and the seek came with no
	// snapshot between them: one catch-up, from the history's start.
	if c, ok := sink.alarms.LastCatchUp(); !ok || !c.From.Equal(sc.Start()) || !c.To.Equal(target) {
		t.Errorf("catch-up %+v %v, want 00:00..19:30", c, ok)
	}
}
