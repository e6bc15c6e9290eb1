package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	simclock "github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

// linkSink feeds a Fleet and tells the test about every link event and
// every message.
type linkSink struct {
	fl     *feeds.Fleet
	links  chan feeds.LinkEvent
	frames chan struct{}
}

// HandleFrame implements feeds.Sink.
func (s *linkSink) HandleFrame(raw []byte) {
	s.fl.HandleFrame(raw)
	s.frames <- struct{}{}
}

// HandleLink implements feeds.Sink.
func (s *linkSink) HandleLink(ev feeds.LinkEvent) {
	s.fl.HandleLink(ev)
	s.links <- ev
}

// lateSim is the demo day from 23:57 at 60x, logging to log, on a fake
// clock: the day moves only when the test ends it.
func lateSim(t *testing.T, log *slog.Logger) *sim.Sim {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(23*time.Hour + 57*time.Minute), Speed: 60,
		Clock: simclock.NewFake(time.Unix(0, 0)), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// simDesk is `v2gdesk sim` on the demo day from 23:57, on a fake clock,
// with the desk's --feed source connected to it and holding the state.
type simDesk struct {
	s      *sim.Sim
	srv    *sim.Server
	hs     *httptest.Server
	conns  *connTracker // the server's TCP connections
	sink   *linkSink
	result func() error // waits for the feed source's Run and returns its error
	model  *tui.Model
	alarms *alarm.Engine
}

func startSimDesk(t *testing.T, w, h int) *simDesk {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := lateSim(t, quiet)
	d := &simDesk{s: s, srv: sim.NewServer(s, sim.ServerOptions{Logger: quiet})}
	d.hs = httptest.NewUnstartedServer(d.srv)
	d.conns = &connTracker{Listener: d.hs.Listener}
	d.hs.Listener = d.conns
	d.hs.Start()
	t.Cleanup(d.hs.Close)
	url := "ws" + strings.TrimPrefix(d.hs.URL, "http") + "/v1"

	// The source the desk runs for --feed, as the command line builds it.
	in, err := openIngest(ingestOptions{feed: url, speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	d.sink = &linkSink{fl: feeds.NewFleet(feeds.FleetOptions{Logger: quiet}),
		links: make(chan feeds.LinkEvent, 100), frames: make(chan struct{}, 100000)}
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- in.src.Run(ctx, d.sink) }()
	d.result = sync.OnceValue(func() error { return <-runErr })
	t.Cleanup(func() { cancel(); d.result() })

	if ev := <-d.sink.links; !ev.Up {
		t.Fatalf("first link event %+v, want up", ev)
	}
	for !ready(d.sink.fl.Snapshot()) {
		<-d.sink.frames
	}
	d.alarms = alarm.NewEngine(alarm.Options{FeedStaleAfter: in.staleAfter})
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	d.model = tui.New(tui.Options{Mode: in.mode, Alarms: d.alarms, Renderer: r})
	d.model.Update(tea.WindowSizeMsg{Width: w, Height: h})
	d.show()
	if v := d.model.View(); !strings.Contains(v, "SIMULATION") || !strings.Contains(v, "● up") {
		t.Fatalf("the desk on the simulator does not show SIMULATION and the link up:\n%s", v)
	}
	return d
}

// connTracker is a listener that remembers the connections it accepted,
// so a test can drop them (httptest forgets a connection once it is
// upgraded to a websocket).
type connTracker struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// Accept implements net.Listener.
func (l *connTracker) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

// drop closes every connection accepted so far, without a close frame.
func (l *connTracker) drop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
}

// ready reports whether s holds the topology and every feeder's values.
func ready(s *feeds.Snapshot) bool {
	if !s.HaveTopology || len(s.Feeders) == 0 {
		return false
	}
	for _, f := range s.Feeders {
		if !f.Seen {
			return false
		}
	}
	return true
}

// show hands the fleet's snapshot of now to the dashboard.
func (d *simDesk) show() { d.model.Update(tui.SnapshotMsg{Snapshot: d.sink.fl.Snapshot()}) }

// feedDown returns the active "feed link down" alarm.
func (d *simDesk) feedDown() (alarm.Alarm, bool) {
	for _, a := range d.alarms.Board().Alarms {
		if a.Kind == alarm.KindFeedDown && a.Active {
			return a, true
		}
	}
	return alarm.Alarm{}, false
}

// TestDeskSimulatorDayEnds: `v2gdesk sim` reaching the end of its day ends
// the desk's --feed with a normal closure; the desk says the scenario
// ended, raises no feed-loss alarm and does not connect again.
func TestDeskSimulatorDayEnds(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		d := startSimDesk(t, size[0], size[1])
		if err := d.s.Seek(d.s.End()); err != nil {
			t.Fatal(err)
		}
		if err := d.srv.Run(context.Background()); err != nil {
			t.Fatalf("the simulator's day: %v", err)
		}
		ev := <-d.sink.links
		if ev.Up || !ev.End || ev.Err != nil {
			t.Fatalf("link event at the end of the day %+v, want End", ev)
		}
		// The source has returned by itself, without being cancelled.
		if err := d.result(); err != nil {
			t.Errorf("the feed source returned %v at the end of the day, want nil", err)
		}
		if n := d.srv.Stats().Connections; n != 1 {
			t.Errorf("%d connections to the simulator, want 1: a feed that ended is not reconnected to", n)
		}
		d.show()
		v := d.model.View()
		want := "■ scenario ended " + d.s.End().In(d.sink.fl.Snapshot().Location).Format("15:04")
		if !strings.Contains(v, want) || strings.Contains(v, "DOWN") || !strings.Contains(v, "SIMULATION") {
			t.Errorf("%dx%d: the desk at the end of the day does not show %q (and SIMULATION, no DOWN):\n%s", size[0], size[1], want, v)
		}
		if a, ok := d.feedDown(); ok {
			t.Errorf("%dx%d: feed link down alarm at the end of the day: %+v", size[0], size[1], a)
		}
	}
}

// TestDeskSimulatorLinkLost: the simulator stopped before the end of its
// day (it closes with going away, 1001) or the connection dropped (no close
// frame: 1006) is a lost link: DOWN, the high-priority feed-loss alarm, and
// the source connects again.
func TestDeskSimulatorLinkLost(t *testing.T) {
	cases := []struct {
		name string
		lose func(d *simDesk, stopSim func() error)
		want string // in the link's error
	}{
		{"simulator stopped", func(_ *simDesk, stopSim func() error) { stopSim() }, "close 1001"},
		{"connection dropped", func(d *simDesk, _ func() error) { d.conns.drop() }, "close 1006"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := startSimDesk(t, 160, 45)
			ctx, cancel := context.WithCancel(context.Background())
			simDone := make(chan error, 1)
			go func() { simDone <- d.srv.Run(ctx) }()
			stopSim := sync.OnceValue(func() error { cancel(); return <-simDone })
			t.Cleanup(func() { stopSim() })

			tc.lose(d, stopSim)
			ev := <-d.sink.links
			if ev.Up || ev.End || ev.Err == nil || !strings.Contains(ev.Err.Error(), tc.want) {
				t.Fatalf("link event %+v, want down with an error saying %q", ev, tc.want)
			}
			d.show()
			v := d.model.View()
			if !strings.Contains(v, "○ DOWN") || strings.Contains(v, "ended") {
				t.Errorf("the desk after the link was lost does not show DOWN:\n%s", v)
			}
			if a, ok := d.feedDown(); !ok || a.Priority != alarm.PriorityHigh {
				t.Errorf("feed link down alarm %+v (active %v), want a high-priority one", a, ok)
			}
			// A lost link is connected to again (the stopped simulator's
			// server still answers here, with its close).
			if ev := <-d.sink.links; !ev.Up {
				t.Errorf("link event after the loss %+v, want the source connected again", ev)
			}
		})
	}
}

// TestDeskMixedFeedEnds: a desk whose --feed is `v2gdesk sim` and whose
// --adapters adds an OCPP central system merges the two; the simulator's
// day ending ends the desk's view although the central system is still up
// (the feed leads: its hello gives the site, mode and clock). The desk says
// the scenario ended, not "1 of 2 up" or DOWN, and raises no feed-loss
// alarm.
func TestDeskMixedFeedEnds(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := lateSim(t, quiet)
	cfg := writeTestFile(t, t.TempDir(), "adapters.json", ocppSite)
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	o := ingestOptions{feed: serveFeed(t, srv), speed: 60, adapters: cfg}
	in, err := openIngest(o, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	if desk.sources == nil {
		t.Fatal("the desk did not merge the feed with the OCPP central system")
	}
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	// Every snapshot goes through an alarm engine of the test's own, so
	// what it raised is known when the loop below stops.
	alarms := alarm.NewEngine(alarm.Options{FeedStaleAfter: in.staleAfter})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a safety net, not a timing assertion
	defer cancel()
	next := func(what string) *feeds.Snapshot {
		t.Helper()
		select {
		case snap := <-snaps:
			alarms.Observe(snap)
			return snap
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v; stats %+v, sources %+v", what, ctx.Err(), desk.fleet.Snapshot().Stats, desk.sources())
			return nil
		}
	}
	// Ready once both topologies are merged and the feed's first feeder
	// has its values (the central system's feeder has none: OCPP does not
	// measure feeders).
	snap := next("the simulator's day")
	for !snap.HaveTopology || snap.NumChargers() < 2 || len(snap.Feeders) == 0 || !snap.Feeders[0].Seen || !snap.Stats.Connected {
		snap = next("the simulator's day")
	}
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Run(context.Background()); err != nil {
		t.Fatalf("the simulator's day: %v", err)
	}
	for !snap.Stats.Ended {
		snap = next("the end of the day")
	}
	if snap.Stats.Connected || !snap.Stats.EndedAt.Equal(s.End()) {
		t.Errorf("stats %+v: want not connected, ended at %s", snap.Stats, s.End())
	}
	if l := desk.sources(); len(l) != 2 || l[0].Up || l[0].Err != nil || !l[1].Up {
		t.Errorf("sources %+v: want the feed ended cleanly and the central system up", l)
	}
	for _, a := range alarms.Board().Alarms {
		if a.Active && (a.Kind == alarm.KindFeedDown || (a.Kind == alarm.KindStaleFeed && a.Source == "feed")) {
			t.Errorf("feed-loss alarm at the end of the day: %+v", a)
		}
	}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := tui.New(tui.Options{Mode: in.mode, Alarms: alarms, Sources: desk.sources, Renderer: r})
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m.Update(tui.SnapshotMsg{Snapshot: snap})
		v := m.View()
		want := "■ scenario ended " + s.End().In(snap.Location).Format("15:04")
		if !strings.Contains(v, want) || strings.Contains(v, "DOWN") || strings.Contains(v, "of 2 up") {
			t.Errorf("%dx%d: the mixed desk at the end of the day does not show %q (and no DOWN, no '1 of 2 up'):\n%s", size[0], size[1], want, v)
		}
	}
}
