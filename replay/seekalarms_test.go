package replay_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// seekDesk is a replay desk in miniature with its alarm engine told of the
// player's catch-ups, as cmd/v2gdesk wires it: a clockWatch (a snapshot
// observed after every message) on a fleet with FleetOptions.CatchingUp.
type seekDesk struct {
	w      *clockWatch
	p      *replay.Player
	caught chan int
	sent   int
	done   chan error
	cancel context.CancelFunc
}

func newSeekDesk(t *testing.T, rec *replay.Recording, start time.Time) *seekDesk {
	t.Helper()
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 60, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	d := &seekDesk{p: p, caught: make(chan int), done: make(chan error, 1)}
	d.w = &clockWatch{tb: t, p: p, fleet: feeds.NewFleet(feeds.FleetOptions{Clock: p.Now, CatchingUp: p.CatchingUp}),
		alarms: alarm.NewEngine(alarm.Options{}), times: map[time.Time]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	replay.SetOnWait(p, func(time.Duration) {
		select {
		case d.caught <- d.w.frames:
		case <-ctx.Done():
		}
	})
	if err := p.Seek(start); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- p.Run(ctx, d.w) }()
	t.Cleanup(func() { cancel(); <-d.done })
	d.arrive()
	return d
}

// arrive waits until Run blocks with new frames delivered (the catch-up is
// in) and observes the arrival snapshot, as the desk's next tick does.
func (d *seekDesk) arrive() *alarm.Board {
	for n := range d.caught {
		if n > d.sent {
			d.sent = n
			break
		}
	}
	d.w.alarms.Observe(d.w.fleet.Snapshot())
	return d.w.alarms.Board()
}

// shown is what a desk lists of each alarm, in list order.
// shown lists the board's alarms by id: two desks agree on what they list,
// but the order of alarms otherwise equal follows the order in which each
// engine saw them ask for attention, which is timing, not content.
func shown(b *alarm.Board) []string {
	var out []string
	for _, a := range b.Alarms {
		out = append(out, fmt.Sprintf("%s %v %v first %s last %s", a.ID, a.Severity, a.State,
			a.First.UTC().Format("15:04:05"), a.Last.UTC().Format("15:04:05")))
	}
	sort.Strings(out)
	return out
}

// TestSeekBackAlarmsMatchAFreshDesk: the demo day from 16:00 started at
// 18:30, then `:seek 18:50` and `:seek 17:20`. After the backward seek no
// alarm listed may have a time after the desk's clock (one kept its 18:20
// times under a 17:30 clock), and the list is the one a second desk
// started at 17:20 shows. The forward seek's catch-up is summarised.
func TestSeekBackAlarmsMatchAFreshDesk(t *testing.T) {
	rec := demoRecording(t, 16*time.Hour, 3*time.Hour)
	at := func(h, m int) time.Time {
		return rec.Start().Add(time.Duration(h-16)*time.Hour + time.Duration(m)*time.Minute)
	}
	d := newSeekDesk(t, rec, at(18, 30))
	if b := d.w.alarms.Board(); len(b.Alarms) == 0 {
		t.Fatal("no alarm at 18:30 on the demo day: the test needs its evening overloads")
	}
	if c, ok := d.w.alarms.LastCatchUp(); !ok || !c.To.Equal(at(18, 30)) {
		t.Errorf("catch-up of --start 18:30: %+v %v, want one to 18:30", c, ok)
	}

	if err := d.p.Seek(at(18, 50)); err != nil {
		t.Fatal(err)
	}
	d.arrive()
	c, _ := d.w.alarms.LastCatchUp()
	if c.N != 2 || !c.From.Equal(at(18, 30)) || !c.To.Equal(at(18, 50)) {
		t.Errorf(":seek 18:50: catch-up #%d %s..%s, want #2 18:30..18:50", c.N, c.From.Format("15:04"), c.To.Format("15:04"))
	}

	if err := d.p.Seek(at(17, 20)); err != nil {
		t.Fatal(err)
	}
	b := d.arrive()
	clk := d.p.Now()
	if !clk.Equal(at(17, 20)) {
		t.Fatalf("clock %v after :seek 17:20", clk)
	}
	for _, a := range b.Alarms {
		if a.First.After(clk) || a.Last.After(clk) {
			t.Errorf("%s first %s last %s, after the clock %s", a.ID, a.First.Format("15:04:05"), a.Last.Format("15:04:05"), clk.Format("15:04:05"))
		}
	}

	fresh := newSeekDesk(t, rec, at(17, 20))
	if got, want := shown(b), shown(fresh.w.alarms.Board()); !reflect.DeepEqual(got, want) {
		t.Errorf("after :seek 17:20 the desk lists\n%v\na desk started at 17:20 lists\n%v", got, want)
	}
}
