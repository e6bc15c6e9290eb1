package sim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
)

// feedDesk is a desk on a --feed, as far as alarms go: a Fleet on its own
// data clock (told nothing in process) and an alarm engine that looks at
// every message, the most a desk could see of a seek's delivery.
type feedDesk struct {
	fleet  *feeds.Fleet
	alarms *alarm.Engine

	mu sync.Mutex
	// listedCatchingUp counts the alarms listed while the fleet said it
	// was catching up, or before any catch-up was begun but after the
	// clock had jumped (the flood a desk without the signal raised).
	listedCatchingUp int
	wait             func(*feeds.Snapshot) bool
	met              chan struct{}
}

func newFeedDesk() *feedDesk {
	// A fixed wall clock: the data clock reads the feed's times exactly.
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	return &feedDesk{
		fleet:  feeds.NewFleet(feeds.FleetOptions{Wall: func() time.Time { return wall }}),
		alarms: alarm.NewEngine(alarm.Options{}),
	}
}

func (d *feedDesk) HandleFrame(raw []byte) {
	d.fleet.HandleFrame(raw)
	d.look()
}

func (d *feedDesk) HandleLink(ev feeds.LinkEvent) {
	d.fleet.HandleLink(ev)
	d.look()
}

func (d *feedDesk) look() {
	s := d.fleet.Snapshot()
	d.alarms.Observe(s)
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.CatchingUp {
		d.listedCatchingUp += len(d.alarms.Board().Alarms)
	}
	if d.wait != nil && d.wait(s) {
		d.wait = nil
		close(d.met)
	}
}

// until returns a channel closed once a snapshot taken after a message
// satisfies cond.
func (d *feedDesk) until(cond func(*feeds.Snapshot) bool) <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.wait, d.met = cond, make(chan struct{})
	return d.met
}

// TestFeedDeskHoldsASimulatorsSeek: `v2gdesk sim` on the demo day from
// 00:00 served over websocket, a desk subscribed to it with a Subscriber,
// and the simulator sought forward twice, to 16:00 and across the
// evening's overloads to 19:00. The desk must do what a desk running the
// simulator in process does (TestSeekAlarmsDatedFromHistory): list nothing
// while the skipped hours arrive, sum up what came and went (F10's
// loading warning in the small hours), and date the overloads still on at
// 19:00 from when each began by the history (F10 16:26 ... F06 17:54).
// Without the catch_up signal the desk raised the span's conditions as
// they went by: its clock ran ahead with the loads and found 3,065
// chargers silent for hours, and F10 was first at 19:00.
func TestFeedDeskHoldsASimulatorsSeek(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	loc := sc.Location()
	day := sc.Start()
	s, err := New(sc, Options{Start: day, Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Run(ctx) }()

	desk := newFeedDesk()
	ready := desk.until(func(s *feeds.Snapshot) bool { return s.HaveTopology && s.Unknown == 0 && s.NumChargers() > 0 })
	sub := feeds.NewSubscriber("ws"+strings.TrimPrefix(hs.URL, "http")+"/v1", feeds.SubscriberOptions{Logger: quiet})
	subbed := make(chan error, 1)
	go func() { subbed <- sub.Run(ctx, desk) }()
	<-ready

	arrivedAt := func(t time.Time) func(*feeds.Snapshot) bool {
		return func(s *feeds.Snapshot) bool { return !s.CatchingUp && !s.At.Before(t) }
	}
	at16, at19 := day.Add(16*time.Hour), day.Add(19*time.Hour)
	arrived := desk.until(arrivedAt(at16))
	if err := s.Seek(at16); err != nil {
		t.Fatal(err)
	}
	<-arrived

	snap := desk.fleet.Snapshot()
	if snap.Stats.BadCatchUps != 0 || snap.Stats.RejectTotal() != 0 {
		t.Errorf("bad catch_up signals %d, rejects %v (%s); want none", snap.Stats.BadCatchUps, snap.Stats.Rejects, snap.Stats.LastReject)
	}
	c, ok := desk.alarms.LastCatchUp()
	if !ok || !c.From.Equal(day) || !c.To.Equal(at16) {
		t.Errorf("catch-up %v %s..%s, want one 00:00..16:00", ok, c.From.In(loc).Format("15:04"), c.To.In(loc).Format("15:04"))
	}
	if n, feeders := c.Warnings(); n == 0 || feeders[0] != "F10" || c.Others() != 0 {
		t.Errorf("summary: %d loading warnings on %v, %d others (%+v); want F10's warning, no other condition", n, feeders, c.Others(), c.Missed)
	}
	desk.mu.Lock()
	listed := desk.listedCatchingUp
	desk.mu.Unlock()
	if listed != 0 {
		t.Errorf("%d alarms listed while the seek was delivered, want none", listed)
	}
	if b := desk.alarms.Board(); len(b.Alarms) != 0 {
		t.Errorf("%d alarms at 16:00 (%s first %s), want none: what came and went is summed up, not raised",
			len(b.Alarms), b.Alarms[0].ID, b.Alarms[0].First.In(loc).Format("15:04"))
	}

	arrived = desk.until(arrivedAt(at19))
	if err := s.Seek(at19); err != nil {
		t.Fatal(err)
	}
	<-arrived
	if c, ok := desk.alarms.LastCatchUp(); !ok || c.N != 2 || !c.From.Equal(at16) || !c.To.Equal(at19) {
		t.Errorf("second catch-up %v #%d %s..%s, want #2 16:00..19:00", ok, c.N, c.From.In(loc).Format("15:04"), c.To.In(loc).Format("15:04"))
	}
	b := desk.alarms.Board()
	if len(b.Alarms) < 2 {
		t.Fatalf("%d alarms at 19:00 on the demo day, want its evening overloads", len(b.Alarms))
	}
	for _, a := range b.Alarms {
		if a.Kind != alarm.KindLoading || a.State != alarm.StateUnack || !a.First.After(at16) || !a.First.Before(at16.Add(2*time.Hour)) || !a.Last.Equal(at19) {
			t.Errorf("%s %v first %s last %s, want a loading alarm unacknowledged, first between 16:00 and 18:00 (its history), last 19:00",
				a.ID, a.State, a.First.In(loc).Format("15:04"), a.Last.In(loc).Format("15:04"))
		}
	}
	cancel()
	if err := <-served; !errors.Is(err, context.Canceled) {
		t.Errorf("server: %v", err)
	}
	<-subbed
}

// TestSeekSignalsItsCatchUp: the simulator brackets a seek's delivery with
// catch_up signals, numbered by seek, reaching the time the seek reaches;
// every frame between them is stamped at or before it.
func TestSeekSignalsItsCatchUp(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(10 * time.Hour), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 8)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := &recordingSink{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	<-waits
	start := sink.len()
	for i, target := range []time.Time{sc.Start().Add(12 * time.Hour), sc.Start().Add(12*time.Hour + 30*time.Second)} {
		if err := s.Seek(target); err != nil {
			t.Fatal(err)
		}
		<-waits
		msgs := sink.since(start)
		start = sink.len()
		reached := target.Truncate(time.Minute)
		if i == 1 {
			reached = reached.Add(time.Minute) // stepping stops at the first step at or after the target
		}
		if len(msgs) < 3 {
			t.Fatalf("seek %d delivered %d messages, want a begin, frames and an end", i+1, len(msgs))
		}
		begin, end := decodeBatch(t, msgs[0]), decodeBatch(t, msgs[len(msgs)-1])
		if cu := begin.CatchUp; cu == nil || cu.Seek != uint64(i+1) || cu.Done || !cu.To.Equal(reached) || len(begin.Frames) != 0 {
			t.Errorf("seek %d: first message %s, want a begin of seek %d to %s", i+1, msgs[0], i+1, reached.Format(time.RFC3339))
		}
		if cu := end.CatchUp; cu == nil || cu.Seek != uint64(i+1) || !cu.Done || !cu.To.Equal(reached) {
			t.Errorf("seek %d: last message %s, want its end", i+1, msgs[len(msgs)-1])
		}
		for _, m := range msgs[1 : len(msgs)-1] {
			b := decodeBatch(t, m)
			if b.CatchUp != nil {
				t.Errorf("seek %d: a signal inside the span: %s", i+1, m)
			}
			for _, f := range b.Frames {
				var ts struct{ TS time.Time }
				if err := json.Unmarshal(f, &ts); err != nil || ts.TS.After(reached) {
					t.Errorf("seek %d: frame %s stamped after the target %s", i+1, f, reached.Format(time.RFC3339))
				}
			}
		}
	}
	cancel()
	<-done
}

// TestServerPassesCatchUpSignals: a client that asked for some feeders
// gets the signals too, though they carry no frame of its feeders.
func TestServerPassesCatchUpSignals(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(time.Hour), Logger: quiet, Clock: clock.NewFake(time.Unix(0, 0))})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	begin, end := catchUpSignals(4, sc.Start().Add(2*time.Hour))
	for _, sig := range [][]byte{begin, end} {
		out := srv.filtered(sig, map[string]bool{"F02": true})
		b := decodeBatch(t, out)
		if b.CatchUp == nil || b.CatchUp.Seek != 4 {
			t.Errorf("filtered %s: %s, want the signal", sig, out)
		}
	}
	if out := srv.filtered([]byte(`{"v":1,"type":"batch","frames":[]}`), map[string]bool{"F02": true}); out != nil {
		t.Errorf("an empty batch without a signal passed the filter: %s", out)
	}
}

func decodeBatch(t *testing.T, raw []byte) *feeds.Batch {
	t.Helper()
	fr, err := feeds.Decode(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	b, ok := fr.(*feeds.Batch)
	if !ok {
		t.Fatalf("%s: not a batch", raw)
	}
	return b
}

// recordingSink keeps every message, for a test to read while Run runs.
type recordingSink struct {
	mu   sync.Mutex
	msgs [][]byte
}

func (r *recordingSink) HandleFrame(raw []byte) {
	r.mu.Lock()
	r.msgs = append(r.msgs, append([]byte(nil), raw...))
	r.mu.Unlock()
}

func (r *recordingSink) HandleLink(feeds.LinkEvent) {}

func (r *recordingSink) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

func (r *recordingSink) since(i int) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.msgs[i:]...)
}

// TestSubscribeDuringACatchUp: a client that subscribes while a seek is
// being fanned out gets the begin after its state: without it the rest of
// the span and the end reached it as live frames and an end of nothing.
func TestSubscribeDuringACatchUp(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(time.Hour), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	conn := dial(t, "ws"+strings.TrimPrefix(hs.URL, "http")+"/v1")
	if f := readFrame(t, conn); f["type"] != "hello" {
		t.Fatalf("first frame %v, want the hello", f)
	}
	begin, end := catchUpSignals(1, sc.Start().Add(3*time.Hour))
	srv.HandleFrame(begin) // the seek's delivery has begun; this client is not subscribed yet
	send(t, conn, feeds.Subscribe{Header: feeds.NewHeader(feeds.TypeSubscribe)})
	if f := readFrame(t, conn); f["type"] != "hello" {
		t.Fatalf("answer to subscribe %v, want the hello", f)
	}
	// The answer's hello, state and begin are queued at once: the end,
	// fanned out now, comes after them.
	srv.HandleFrame(end)
	var next map[string]any
	for next = readFrame(t, conn); next["catch_up"] == nil; next = readFrame(t, conn) {
		if next["type"] != "batch" || len(next["frames"].([]any)) == 0 {
			t.Fatalf("after subscribing: %v, want the state, then the begin", next)
		}
	}
	if cu := next["catch_up"].(map[string]any); cu["seek"] != 1.0 || cu["done"] != nil {
		t.Fatalf("signal after the state %v, want the begin of seek 1", cu)
	}
	if f := readFrame(t, conn); f["catch_up"] == nil || f["catch_up"].(map[string]any)["done"] != true {
		t.Errorf("then %v, want the end", f)
	}
	srv.mu.Lock()
	catching := srv.catching
	srv.mu.Unlock()
	if catching != nil {
		t.Errorf("after the end the server still holds a begin for new subscribers: %s", catching)
	}
}
