package main

import (
	"bufio"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestFeedDeskSeesTheSimPaused: `v2gdesk sim` of the demo day at 12:00
// served over websocket, a --feed desk (a fleet and an alarm engine with
// the feed-silence alarm a --feed desk sets) subscribed with a Subscriber,
// and the presenter's pause and resume fed to the sim's command reader.
// Paused, the desk says so and its clock stands at 12:00 however long the
// wall clock runs, with no silence alarm; a desk that connects during the
// pause learns it at once; after the resume the clock runs on from 12:00,
// and a silence then is one again. Every step is synchronised on the
// desks' frames; the wall clock is the test's.
func TestFeedDeskSeesTheSimPaused(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	sd := serveDemoSim(t, quiet)
	sc, s, srv, clk, ctx := sd.sc, sd.sim, sd.srv, sd.clk, sd.ctx
	loc, day := sc.Location(), sc.Start()
	noon := day.Add(12 * time.Hour)

	var wallNS atomic.Int64
	wallNS.Store(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC).UnixNano())
	wall := func() time.Time { return time.Unix(0, wallNS.Load()) }
	advanceWall := func(d time.Duration) { wallNS.Add(int64(d)) }
	url := sd.url
	connect := func() *watchDesk {
		d := &watchDesk{fleet: feeds.NewFleet(feeds.FleetOptions{Logger: quiet, Wall: wall})}
		go feeds.NewSubscriber(url, feeds.SubscriberOptions{Logger: quiet}).Run(ctx, d)
		return d
	}
	desk := connect()
	<-desk.until(func(s *feeds.Snapshot) bool { return s.HaveTopology && s.Unknown == 0 && s.NumChargers() > 0 })
	// The feed-silence alarm of a --feed desk (openSource: a minute).
	alarms := alarm.NewEngine(alarm.Options{FeedStaleAfter: time.Minute, Clock: wall, Logger: quiet})
	staleFeed := func() bool {
		alarms.Observe(desk.fleet.Snapshot())
		for _, a := range alarms.Board().Alarms {
			if a.Kind == alarm.KindStaleFeed {
				return true
			}
		}
		return false
	}

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	console := &simConsole{sim: s, clients: func() int { return srv.Stats().Clients }, day: day, loc: loc}
	ran := make(chan error, 1)
	go func() { ran <- console.run(ctx, inR, outW); outW.Close() }()
	answers := bufio.NewScanner(outR)
	expect := func(line, want string) {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
		if !answers.Scan() || !strings.Contains(answers.Text(), want) {
			t.Fatalf("%q answered %q, want %q in it", line, answers.Text(), want)
		}
	}
	hms := func(t time.Time) string { return t.In(loc).Format("15:04:05") }

	paused := desk.until(func(s *feeds.Snapshot) bool { return s.Paused })
	expect("pause", "sim: paused")
	<-paused
	advanceWall(10 * time.Minute)
	if st := desk.fleet.Snapshot(); !st.Paused || !st.At.Equal(noon) || st.StaleChargers != 0 {
		t.Errorf("10 min into the pause: Paused %v, clock %s, %d stale chargers; want true, 12:00:00, none",
			st.Paused, hms(st.At), st.StaleChargers)
	}
	if staleFeed() {
		t.Error("10 min into the pause: a feed-silence alarm; a pause is not a silent feed")
	}

	// A desk that connects during the pause learns it with its state.
	late := connect()
	<-late.until(func(s *feeds.Snapshot) bool {
		return s.HaveTopology && s.Unknown == 0 && s.NumChargers() > 0 && s.Paused && s.At.Equal(noon)
	})

	resumed := desk.until(func(s *feeds.Snapshot) bool { return !s.Paused })
	lateResumed := late.until(func(s *feeds.Snapshot) bool { return !s.Paused })
	expect("resume", "sim: resumed")
	<-resumed
	<-lateResumed
	if st := desk.fleet.Snapshot(); !st.At.Equal(noon) {
		t.Errorf("at the resume the clock reads %s, want 12:00:00 (not the wall time spent paused)", hms(st.At))
	}
	clk.BlockUntil(1)
	step := desk.until(func(s *feeds.Snapshot) bool {
		return s.Stats.LastFrame.Equal(wall()) && s.At.Equal(noon.Add(time.Minute))
	})
	clk.Advance(time.Second) // a step at 60x
	<-step
	for _, d := range []*watchDesk{desk, late} {
		if st := d.fleet.Snapshot().Stats; st.BadPauses != 0 || st.BadCatchUps != 0 || st.RejectTotal() != 0 {
			t.Errorf("bad pauses %d, bad catch-ups %d, rejects %v (%s); want none", st.BadPauses, st.BadCatchUps, st.Rejects, st.LastReject)
		}
	}
	// Running again, a silence is one.
	advanceWall(2 * time.Minute)
	if !staleFeed() {
		t.Error("2 min silent after the resume: no feed-silence alarm")
	}
	inW.Close()
	if err := <-ran; err != nil {
		t.Fatalf("the command reader at the end of its input: %v", err)
	}
}
