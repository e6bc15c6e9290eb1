package sim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// holdingSim is the test scenario's sim at start with Options.HoldAtEnd,
// each hold at the end reported on the returned channel, and each time
// Run blocks on waits.
func holdingSim(t *testing.T, start time.Duration) (*Sim, chan time.Time, chan time.Duration) {
	t.Helper()
	sc := testScenario(t)
	held := make(chan time.Time, 4)
	s, err := New(sc, Options{Start: sc.Start().Add(start), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet, Heartbeat: -1,
		HoldAtEnd: true, OnHold: func(end time.Time) { held <- end }})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 64)
	s.onWait = func(d time.Duration) { waits <- d }
	return s, held, waits
}

// holdOrEnd waits for the sim to hold at the end of the day and returns
// when it says; it fails the test when Run returns instead.
func holdOrEnd(t *testing.T, held <-chan time.Time, done <-chan error) time.Time {
	t.Helper()
	select {
	case at := <-held:
		return at
	case err := <-done:
		t.Fatalf("Run returned %v at the end of the day, want it to hold there", err)
	}
	return time.Time{}
}

// pauseAt is the pause signal a sink gets when the clock stops at at.
func pauseAt(at time.Time) string {
	return `{"v":1,"type":"batch","frames":[],"pause":{"at":"` + at.Format(time.RFC3339Nano) + `"}}`
}

// TestHoldAtEndOfDay: with HoldAtEnd, Run does not return at the end of
// the day: it sends the pause signal at the day's end (a desk on the feed
// shows paused, not a silent feed), reports the hold, and waits. Resume
// there leaves it at the end (nothing left to run); a Restart goes on from
// its target, running; at the end again it holds again; ReleaseEnd then
// ends the day as without the option (nil and an End link event). Before
// the fix Run returned at midnight and the feed closed.
func TestHoldAtEndOfDay(t *testing.T) {
	s, held, waits := holdingSim(t, 23*time.Hour+57*time.Minute)
	end := s.End()
	if err := s.Seek(end); err != nil { // the day's last minutes, at once
		t.Fatal(err)
	}
	sink := &linkSink{}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), sink) }()
	if at := holdOrEnd(t, held, done); !at.Equal(end) {
		t.Fatalf("held at %s, want the day's end %s", at, end)
	}
	if d := <-waits; d != -1 {
		t.Fatalf("Run at the end waits %v, want a paused wait (-1)", d)
	}
	seq := sink.since(0)
	if b, ok := seq[len(seq)-1].([]byte); !ok || string(b) != pauseAt(end.In(s.loc)) {
		t.Fatalf("last message at the end %v, want the pause signal %s", seq[len(seq)-1], pauseAt(end.In(s.loc)))
	}
	for _, m := range seq {
		if ev, ok := m.(feeds.LinkEvent); ok && ev.End {
			t.Fatalf("the sink got an End link event while the sim holds: %+v", ev)
		}
	}
	if !s.AtEnd() || s.Paused() {
		t.Errorf("AtEnd %v Paused %v at the end, want true false (the end is no presenter's pause)", s.AtEnd(), s.Paused())
	}

	// Resume at the end: nothing left to run, no resume signal.
	n := len(sink.since(0))
	s.Resume()
	if d := <-waits; d != -1 {
		t.Fatalf("Run after Resume at the end waits %v, want still paused (-1)", d)
	}
	if got := sink.since(n); len(got) != 0 {
		t.Errorf("Resume at the end sent %v, want nothing", got)
	}
	if !s.AtEnd() {
		t.Error("AtEnd false after Resume at the end")
	}

	// Seek back: the day starts over there and runs.
	target := end.Add(-2 * time.Minute)
	if err := s.Restart(target); err != nil {
		t.Fatal(err)
	}
	if s.AtEnd() {
		t.Error("AtEnd true with a restart asked for")
	}
	if d := <-waits; d != time.Second {
		t.Fatalf("Run after the restart waits %v, want 1s (running at 60x)", d)
	}
	if !s.Now().Equal(target) || s.AtEnd() {
		t.Errorf("after the restart at %s, AtEnd %v; want at %s, not at the end", s.Now(), s.AtEnd(), target)
	}

	// At the end again it holds again; ReleaseEnd ends the day.
	if err := s.Seek(end); err != nil {
		t.Fatal(err)
	}
	if at := holdOrEnd(t, held, done); !at.Equal(end) {
		t.Fatalf("held again at %s, want %s", at, end)
	}
	s.ReleaseEnd()
	if err := <-done; err != nil {
		t.Fatalf("Run after ReleaseEnd = %v, want nil (the day ended)", err)
	}
	seq = sink.since(0)
	if ev, ok := seq[len(seq)-1].(feeds.LinkEvent); !ok || !ev.End || !ev.At.Equal(end) {
		t.Errorf("last after ReleaseEnd %v, want an End link event at %s", seq[len(seq)-1], end)
	}
}

// TestHoldAtEndStoppedIsTheDaysEnd: a sim held at the end and then stopped
// (Run's ctx: the presenter's quit or Ctrl-C) returns nil with an End link
// event, as at the day's end: the day did end. Stopped mid-day it still
// returns ctx.Err().
func TestHoldAtEndStoppedIsTheDaysEnd(t *testing.T) {
	s, held, _ := holdingSim(t, 23*time.Hour+57*time.Minute)
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	sink := &linkSink{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	holdOrEnd(t, held, done)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run stopped while held at the end = %v, want nil", err)
	}
	seq := sink.since(0)
	if ev, ok := seq[len(seq)-1].(feeds.LinkEvent); !ok || !ev.End {
		t.Errorf("last %v, want an End link event", seq[len(seq)-1])
	}

	mid, _, waits := holdingSim(t, 20*time.Hour)
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- mid.Run(ctx, &linkSink{}) }()
	<-waits
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run stopped mid-day = %v, want context.Canceled", err)
	}
}

// TestServerHoldsAtEndOfDay: over websocket, a held sim keeps its clients
// at the end of the day: they get the day's last frames and the pause
// signal, and no close; a client that connects then gets the hello, the
// state and the pause. Stopped there, the server closes with a normal
// closure saying the scenario ended (a desk shows the end, not a lost link).
func TestServerHoldsAtEndOfDay(t *testing.T) {
	s, held, _ := holdingSim(t, 23*time.Hour+57*time.Minute)
	end := s.End().In(s.loc)
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"
	a := dial(t, url)
	readFrame(t, a)
	send(t, a, `{"v":1,"type":"subscribe"}`)
	readFrame(t, a) // hello
	readFrame(t, a) // state
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	holdOrEnd(t, held, done)
	for {
		_, data, err := a.ReadMessage()
		if err != nil {
			t.Fatalf("the held server's client: %v, want the pause signal", err)
		}
		if string(data) == pauseAt(end) {
			break
		}
	}

	late := dial(t, url)
	readFrame(t, late)
	send(t, late, `{"v":1,"type":"subscribe"}`)
	if f := readFrame(t, late); f["type"] != "hello" {
		t.Fatalf("late client's answer to subscribe %v, want the hello", f)
	}
	var last map[string]any
	for {
		last = readFrame(t, late)
		if _, ok := last["pause"]; ok {
			break
		}
		if len(last["frames"].([]any)) == 0 {
			t.Fatalf("late client got %v before the pause, want the state", last)
		}
	}
	var p struct {
		At      time.Time `json:"at"`
		Resumed bool      `json:"resumed"`
	}
	b, _ := json.Marshal(last["pause"])
	if err := json.Unmarshal(b, &p); err != nil || !p.At.Equal(end) || p.Resumed {
		t.Errorf("late client's pause %s, want paused at %s", b, end)
	}
	if st := srv.Stats(); st.Clients != 2 {
		t.Errorf("%d clients at the end of the day, want 2 still connected", st.Clients)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run stopped while held = %v, want nil", err)
	}
	for _, c := range []*websocket.Conn{a, late} {
		if code, reason := closeOf(t, c); code != websocket.CloseNormalClosure || reason != DayEndReason {
			t.Errorf("closed with %d %q, want %d %q", code, reason, websocket.CloseNormalClosure, DayEndReason)
		}
	}
}
