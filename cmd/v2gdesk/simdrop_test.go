package main

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// TestSimSeekBackSaysTheSetpointsDropped: a seek back starts the day over
// and drops the setpoints in force (docs/replay.md), which the desks that
// sent them still count until their validity. The presenter's answer says
// how many; an expired one is not counted; with none in force it says
// nothing of them. Before, the answer was silent about them.
func TestSimSeekBackSaysTheSetpointsDropped(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18 * time.Hour), Speed: 60, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	now := s.Now()
	var sent int
	for _, c := range sc.Chargers() {
		if ev, ok := s.EV(c); !ok || !ev.Plugged {
			continue
		}
		// Two valid for an hour, one that expires in a minute.
		until := now.Add(time.Hour)
		if sent == 2 {
			until = now.Add(time.Minute)
		}
		sp := feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: fmt.Sprintf("sp-%d", sent), Charger: c, KW: 1, ValidUntil: until}
		if ack := s.ApplySetpoint(sp); ack.Status != feeds.AckAccepted && ack.Status != feeds.AckClamped {
			t.Fatalf("setpoint on %s: %s %s", c, ack.Status, ack.Reason)
		}
		if sent++; sent == 3 {
			break
		}
	}
	if n := s.InForce(); n != 3 {
		t.Fatalf("InForce = %d after 3 setpoints, want 3", n)
	}
	s.Step(2 * time.Minute) // the short one expires
	if n := s.InForce(); n != 2 {
		t.Fatalf("InForce = %d after one expired, want 2", n)
	}
	console := &simConsole{sim: s, clients: func() int { return 0 }, day: sc.Start(), loc: sc.Location()}
	got := console.do("seek 17:00")
	if want := "sim: seek back to 17:00: the day starts over there, desks on the feed reset, 2 setpoints in force dropped (the desks that sent them still count them until their validity); at 2024-01-17 17:00 CST"; !strings.HasPrefix(got, want) {
		t.Errorf("seek back answered %q, want %q...", got, want)
	}
	if n := s.InForce(); n != 0 {
		t.Errorf("InForce = %d after the restart, want 0", n)
	}
	if got := console.do("seek 16:00"); strings.Contains(got, "dropped") {
		t.Errorf("seek back with none in force answered %q, want nothing said of setpoints", got)
	}
}

// TestFeedDeskToldOfTheSetpointsDropped: over websocket, a seek back's
// restart signal (docs/protocol.md, Restart) comes after the new day's
// hello and state and tells the --feed desk how many setpoints in force
// the simulator dropped (Stats.Restarts, LastRestart), which it had no way
// to know: the hello only resets its fleet.
func TestFeedDeskToldOfTheSetpointsDropped(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	sd := serveDemoSim(t, quiet) // from 12:00
	sc, s, srv := sd.sc, sd.sim, sd.srv
	desk := &watchDesk{fleet: feeds.NewFleet(feeds.FleetOptions{Logger: quiet})}
	ready := desk.until(func(s *feeds.Snapshot) bool { return s.HaveTopology && s.Unknown == 0 && s.NumChargers() > 0 })
	go feeds.NewSubscriber(sd.url, feeds.SubscriberOptions{Logger: quiet}).Run(sd.ctx, desk)
	<-ready

	sd.holdPlugged(t, 4)
	console := &simConsole{sim: s, clients: func() int { return srv.Stats().Clients }, day: sc.Start(), loc: sc.Location()}
	if got := console.do("seek 11:00"); !strings.Contains(got, "4 setpoints in force dropped") {
		t.Errorf("seek back answered %q, want 4 setpoints dropped", got)
	}
	// The pause signal comes after anything the restart sent: once the
	// desk is paused, it has had the restart's messages.
	paused := desk.until(func(s *feeds.Snapshot) bool { return s.Stats.Resets == 1 && s.Paused })
	console.do("pause")
	<-paused
	st := desk.fleet.Snapshot()
	if r := st.Stats.LastRestart; r.Dropped != 4 || !r.At.Equal(sc.Start().Add(11*time.Hour)) || st.Stats.Resets != 1 {
		t.Errorf("desk told of a restart at %s dropping %d, %d resets; want 11:00, 4 and 1", r.At, r.Dropped, st.Stats.Resets)
	}
	if st.Stats.RejectTotal() != 0 {
		t.Errorf("the restart signal was rejected: %s", st.Stats.LastReject)
	}
}
