package main

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestFeedDeskCatchUpAcrossServerSeek: `v2gdesk --feed ws://… --journal F`
// on a `v2gdesk sim` of the demo day at 12:00, whose simulator is then
// sought to 16:00. F10's loading warning of 12:21..14:59 came and went in
// the skipped span: as on a desk running the day itself
// (TestDeskCatchUpAcrossSeek) it is not listed, the alarms page of every
// session sums it up (English at 160x45, zh-CN at 80x24), and the journal
// records alarm_catch_up. The feed carried no such signal before: the desk
// summed up nothing and journalled nothing.
func TestFeedDeskCatchUpAcrossServerSeek(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	// The simulator steps only when the test says: its clock is fake.
	d := serveDemoSim(t, quiet)
	sc, s := d.sc, d.sim
	in, err := openIngest(ingestOptions{feed: d.url, speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
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
	en := catchUpSession(t, in, desk, "", 160, 45)
	zh := catchUpSession(t, in, desk, "zh-CN", 80, 24)

	// The desk has the server's state at 12:00 before the seek.
	for snap := range snaps {
		if snap.HaveTopology && snap.NumChargers() > 0 && snap.Unknown == 0 {
			break
		}
	}
	target := sc.Start().Add(16 * time.Hour)
	if err := s.Seek(target); err != nil {
		t.Fatal(err)
	}
	// Until the desk is at 16:00 and not catching up: the arrival, with
	// the signal or (as before it) without.
	for snap := range snaps {
		desk.alarms.Observe(snap) // the desk's own follower may not have yet
		for _, m := range []*tui.Model{en, zh} {
			m.Update(tui.SnapshotMsg{Snapshot: snap})
		}
		if !snap.CatchingUp && !snap.At.Before(target) {
			break
		}
	}
	c, ok := desk.alarms.LastCatchUp()
	if !ok {
		t.Fatal("no catch-up at 16:00: the desk took the skipped hours for hours watched live")
	}
	loc := desk.fleet.Snapshot().Location
	if n, fs := c.Warnings(); n != 1 || strings.Join(fs, ",") != "F10" || c.Others() != 0 {
		t.Fatalf("catch-up %+v, want 1 warning on F10", c)
	}
	if m := c.Missed[0]; m.First.In(loc).Format("15:04")+".."+m.Last.In(loc).Format("15:04") != "12:21..14:59" {
		t.Errorf("F10's warning %s..%s, want 12:21..14:59", m.First.In(loc).Format("15:04"), m.Last.In(loc).Format("15:04"))
	}
	span := c.From.In(loc).Format("15:04") + "–" + c.To.In(loc).Format("15:04")
	if span != "12:00–16:00" {
		t.Errorf("span %s, want 12:00–16:00: the server's clock before the seek and its target", span)
	}
	for _, a := range desk.alarms.Board().Alarms {
		if a.Kind != alarm.KindLoading || a.Active {
			t.Errorf("%s listed at 16:00 (%v, first %s): only a condition still on may be", a.ID, a.State, a.First.In(loc).Format("15:04"))
		}
	}
	for _, tc := range []struct {
		m           *tui.Model
		want, never string
	}{
		{en, "skipped " + span + ": 1 loading warning on F10 · d dismiss", ""},
		{zh, "已跳过 " + span + "：F10 负载预警 1 次 · d 关闭", "skipped"},
	} {
		typeKeys(tc.m, "4")
		screen := tc.m.View()
		if !strings.Contains(screen, tc.want) || (tc.never != "" && strings.Contains(screen, tc.never)) {
			t.Errorf("alarms page lacks %q:\n%s", tc.want, screen)
		}
	}
	if st := desk.fleet.Snapshot().Stats; st.BadCatchUps != 0 || st.RejectTotal() != 0 {
		t.Errorf("bad catch_up signals %d, rejects %v; want none", st.BadCatchUps, st.Rejects)
	}

	unsubscribe()
	desk.stop()
	stopped = true
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Kind == adapters.RecAlarmCatchUp {
			recs = append(recs, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if reason := "skipped " + span + ": 1 loading warning on F10"; len(recs) != 1 || recs[0].Reason != reason {
		t.Errorf("journal's alarm_catch_up %+v, want one %q", recs, reason)
	}
}
