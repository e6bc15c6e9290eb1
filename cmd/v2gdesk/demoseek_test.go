package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// untilSnapshot returns the fleet's snapshot once ok holds for it: now,
// or one of the hub's that follow, each handed to m. A paused desk's hub
// sends nothing more once what it waits for has come.
func untilSnapshot(t *testing.T, fleet *feeds.Fleet, snaps <-chan *feeds.Snapshot, m *tui.Model, what string, ok func(*feeds.Snapshot) bool) *feeds.Snapshot {
	t.Helper()
	if s := fleet.Snapshot(); ok(s) {
		m.Update(tui.SnapshotMsg{Snapshot: s})
		return s
	}
	for s := range snaps {
		m.Update(tui.SnapshotMsg{Snapshot: s})
		if ok(s) {
			return s
		}
	}
	t.Fatalf("the hub stopped before %s", what)
	return nil
}

// untilEvent waits for the controller's view of event id to satisfy ok,
// handing m the snapshots that come meanwhile, and returns it.
func untilEvent(t *testing.T, ctl *control.Controller, snaps <-chan *feeds.Snapshot, m *tui.Model, id string, ok func(control.EventView) bool) control.EventView {
	t.Helper()
	for {
		ch := ctl.Changes()
		if v, _ := ctl.Event(id); ok(v) {
			return v
		}
		select {
		case <-ch:
		case s, open := <-snaps:
			if !open {
				t.Fatalf("the hub stopped before %s got there", id)
			}
			m.Update(tui.SnapshotMsg{Snapshot: s})
		}
	}
}

// TestDemoDeskSeeksBack: `v2gdesk --journal J` on the embedded demo day
// (the simulator in process), paused; `:seek 19:00`; a DR event on F10
// proposed and confirmed there, its setpoints sent; then `:seek 08:00`.
// The day starts over at 08:00 (it was refused: "the simulator cannot seek
// backwards") and the desk goes through the reset a desk on `v2gdesk sim`'s
// feed does when its presenter seeks back: the clock and the chart at
// 08:00 with nothing of the evening, the event ended as of an earlier
// pass, its chargers' setpoints dropped by the simulator and none sent
// into the new day, the footer saying so, and the journal holding the
// clock_seek, the feed_restart with the setpoints dropped and the
// dispatch_end, in that order. Then the day played to its end holds
// there, shown ended; paused there, :seek 19:00 starts it over again,
// paused.
func TestDemoDeskSeeksBack(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	o := ingestOptions{speed: 60}
	o.deskDefaults() // the demo day from 16:00, with its seek back
	in, err := openIngest(o, quiet)
	if err != nil {
		t.Fatal(err)
	}
	in.sim.Pause() // the clock moves only by the seeks
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	desk, err := startDesk(in, deskOptions{journal: journal}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			desk.stop()
		}
	}()
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := tui.New(tui.Options{Mode: in.mode, Control: in.control, Alarms: desk.alarms, Renderer: r,
		Dispatch: desk.dispatch, Plan: desk.dispatch, Setpoints: desk.setpoints, Act: localActions(desk.actions)})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	hm := func(at time.Time) string { return at.In(in.sc.Location()).Format("15:04") }
	settled := func(at string) func(*feeds.Snapshot) bool {
		return func(s *feeds.Snapshot) bool { return s.HaveTopology && !s.CatchingUp && hm(s.At) == at }
	}
	untilSnapshot(t, desk.fleet, snaps, m, "the desk showed 16:00", settled("16:00"))

	typeKeys(m, ":seek 19:00\r")
	s := untilSnapshot(t, desk.fleet, snaps, m, "the seek to 19:00 arrived", settled("19:00"))
	evening := s.Stats.Resets

	ctl := desk.dispatch
	// The controller steps every 250 ms of wall time: step it at 19:00
	// here, as a dispatcher taking seconds to propose would find it. Left
	// to its ticker, its step of the seek to 19:00 came now before the
	// proposal, now after the seek back had been journalled (re-planning
	// the event and journalling setpoints after the clock_seek), now never
	// (the pass then read from 16:00): three outcomes by the scheduler.
	ctl.Step(context.Background())
	ana := control.Actor{Name: "ana", Dispatcher: true}
	ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: "F10", Start: s.At, End: s.At.Add(2 * time.Hour), KW: 1200}
	id, err := ctl.Propose(ev, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ctl.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Confirm(ctx, id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	inForce := in.sim.InForce()
	if inForce == 0 {
		t.Fatal("no setpoint in force at the simulator after the confirmation: nothing for the seek back to drop")
	}
	// The session sees the event in force, as a dashboard refreshing does.
	m.Update(tui.SnapshotMsg{Snapshot: desk.fleet.Snapshot()})

	typeKeys(m, ":seek 08:00\r")
	v := untilEvent(t, ctl, snaps, m, id, func(v control.EventView) bool { return v.State.Final() })
	s = untilSnapshot(t, desk.fleet, snaps, m, "the day started over at 08:00", func(s *feeds.Snapshot) bool {
		return settled("08:00")(s) && s.Stats.Restarts == 1
	})

	// The clock and the chart: the day from 08:00, nothing of the evening.
	if s.Stats.Resets <= evening {
		t.Errorf("fleet resets %d after the seek back, %d before: the desk did not forget the evening", s.Stats.Resets, evening)
	}
	if got := hm(s.Stats.ResetTo); got != "08:00" {
		t.Errorf("ResetTo %s, want 08:00", got)
	}
	if h := s.SystemHistory(); h.Len() > 0 && h.Start().Add(time.Duration(h.Len()-1)*time.Minute).After(s.At) {
		t.Errorf("the system chart runs to %s with the clock at 08:00: the evening is still drawn",
			hm(h.Start().Add(time.Duration(h.Len()-1)*time.Minute)))
	}
	// The event: ended as of an earlier pass, from 19:00 to 08:00.
	if v.State != control.StateEnded || v.EndWhy.Kind != control.WhyEarlierPass || v.EarlierPass == nil ||
		hm(v.EarlierPass.From) != "19:00" || hm(v.EarlierPass.To) != "08:00" {
		t.Fatalf("%s after the seek back: %s, %s, pass %+v; want ended, an earlier pass from 19:00 to 08:00", id, v.State, v.EndWhy.Kind, v.EarlierPass)
	}
	if pr := v.Progress; pr.Dropped == 0 || pr.ReleaseUnsupported != 0 || hm(pr.DroppedAt) != "08:00" {
		t.Errorf("%s's progress: dropped %d at %s, left to expire %d; want every one dropped at 08:00", id, pr.Dropped, hm(pr.DroppedAt), pr.ReleaseUnsupported)
	}
	// The simulator: nothing of the evening in force.
	if n := in.sim.InForce(); n != 0 {
		t.Errorf("%d setpoints in force at the simulator after the seek back, want 0", n)
	}
	if r := s.Stats.LastRestart; r.Dropped != inForce || hm(r.At) != "08:00" {
		t.Errorf("restart signal %+v, want %d dropped at 08:00", r, inForce)
	}
	// The screens: the footer tells of the event ended, the events list
	// marks it.
	screen := m.View()
	if !strings.Contains(screen, id+" ended by the seek back") && !strings.Contains(screen, "from 01-17 19:00 to 01-17 08:00") {
		t.Errorf("the footer does not tell of %s ended by the seek back:\n%s", id, screen)
	}
	typeKeys(m, "5")
	if screen := m.View(); !strings.Contains(screen, "EARLIER PASS") || !strings.Contains(screen, "earlier pass, before the seek back from 01-17 19:00 to 01-17 08:00") {
		t.Errorf("the events list does not mark %s as an earlier pass's:\n%s", id, screen)
	}
	// Its page says the simulator dropped its setpoints, not that they
	// expire at their validity.
	typeKeys(m, "\r")
	if screen := m.View(); !strings.Contains(screen, "setpoints dropped by the simulator's restart at 08:00: none in force") ||
		strings.Contains(screen, "expire at their validity") {
		t.Errorf("%s's page does not say the restart dropped its setpoints:\n%s", id, screen)
	}
	typeKeys(m, "\x1b")

	// The day's end: the desk shows the day over and holds there, and
	// :seek back plays it again. It used to take a restart of the program.
	typeKeys(m, ":seek 2024-01-18T00:00:00+08:00\r")
	s = untilSnapshot(t, desk.fleet, snaps, m, "the day ended", func(s *feeds.Snapshot) bool { return s.Stats.Ended })
	if !in.sim.AtEnd() {
		t.Error("the simulator is not held at the day's end: a seek back could not start it over")
	}
	// At the held end the clock pauses and resumes, as `v2gdesk sim`'s
	// does: a presenter pauses there, seeks back and starts when ready.
	// It was refused ("the scenario has ended"), and the day sought back
	// to ran at once.
	typeKeys(m, ":resume\r")
	if in.sim.Paused() {
		t.Errorf(":resume at the day's end left the simulator paused:\n%s", m.View())
	}
	typeKeys(m, ":pause\r")
	if !in.sim.Paused() {
		t.Errorf(":pause at the day's end did not pause the simulator:\n%s", m.View())
	}
	typeKeys(m, ":seek 19:00\r")
	s = untilSnapshot(t, desk.fleet, snaps, m, "the day started over at 19:00", func(s *feeds.Snapshot) bool {
		return settled("19:00")(s) && !s.Stats.Ended && s.Stats.Restarts == 2
	})
	if !in.sim.Paused() {
		t.Error("the day sought back to from the held end runs: it was paused there")
	}
	if hm(s.Stats.ResetTo) != "19:00" {
		t.Errorf("ResetTo %s after the seek back from the day's end, want 19:00", hm(s.Stats.ResetTo))
	}
	desk.stop()
	stopped = true

	// The journal: the seek, the restart with what it dropped, the end.
	var seekBack, restart, end adapters.Record
	var seeks []adapters.Record
	var lastSent adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		switch {
		case r.Kind == "clock_seek":
			seeks = append(seeks, r)
			if len(seeks) == 2 {
				seekBack = r // the seek back from 19:00
			}
		case r.Kind == adapters.RecFeedRestart && restart.Seq == 0:
			restart = r
		case r.Kind == control.RecDispatchEnd && r.Event == id:
			end = r
		case r.Kind == adapters.RecSetpoint && r.Event == id && r.Status == "":
			lastSent = r
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seeks) != 4 {
		t.Errorf("%d clock_seek records, want 4 (19:00, 08:00, the day's end, 19:00)", len(seeks))
	}
	if seekBack.Seq == 0 || restart.Seq == 0 || end.Seq == 0 || lastSent.Seq == 0 {
		t.Fatalf("journal: clock_seek %+v, feed_restart %+v, dispatch_end %+v, setpoint %+v; want all four", seekBack, restart, end, lastSent)
	}
	if hm(*seekBack.DataTS) != "19:00" || !strings.Contains(seekBack.Detail, "moved the simulation to 08:00") {
		t.Errorf("the latest clock_seek %+v, want the seek from 19:00 to 08:00", seekBack)
	}
	if !(lastSent.Seq < seekBack.Seq && seekBack.Seq < restart.Seq) {
		t.Errorf("journal order: setpoint #%d, clock_seek #%d, feed_restart #%d; want the setpoints before the seek, the restart after it", lastSent.Seq, seekBack.Seq, restart.Seq)
	}
	if end.Seq < seekBack.Seq || !strings.Contains(end.Reason, "an earlier pass of the day, not planned again") {
		t.Errorf("dispatch_end #%d %q; want after the clock_seek #%d, an earlier pass's", end.Seq, end.Reason, seekBack.Seq)
	}
	if want := "the simulator started its day over at 08:00 and dropped"; !strings.HasPrefix(restart.Reason, want) {
		t.Errorf("feed_restart %q, want %q…", restart.Reason, want)
	}
	// The end says what became of the setpoints: the restart dropped
	// them. It said "N expire at their validity, by 22:33".
	if want := "setpoints dropped when the simulator started its day over at 08:00 (not in force)"; !strings.Contains(end.Detail, want) ||
		strings.Contains(end.Detail, "expire at their validity") || end.Seq < restart.Seq {
		t.Errorf("dispatch_end #%d after feed_restart #%d: %q; want after it, %q", end.Seq, restart.Seq, end.Detail, want)
	}
}
