package main

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestFeedDeskJournalsASimulatorRestart: `v2gdesk --feed ws://… --journal
// F` on a `v2gdesk sim` of the demo day at 12:00 with three setpoints in
// force; the presenter seeks back to 11:00. The desk's journal records
// feed_restart saying the simulator dropped 3 setpoints, beside the
// setpoint records it still holds. Before, the desk reset and the journal
// said nothing of it.
func TestFeedDeskJournalsASimulatorRestart(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
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
	snaps, unsubscribe := desk.hub.Subscribe()
	for snap := range snaps {
		if snap.HaveTopology && snap.NumChargers() > 0 && snap.Unknown == 0 {
			break
		}
	}
	d.holdPlugged(t, 3)
	if err := s.Restart(sc.Start().Add(11 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	for snap := range snaps {
		if snap.Stats.Restarts == 1 {
			break
		}
	}
	unsubscribe()
	desk.stop()
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Kind == adapters.RecFeedRestart {
			recs = append(recs, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	const reason = "the simulator started its day over at 11:00 and dropped 3 setpoints in force"
	if len(recs) != 1 || recs[0].Reason != reason {
		t.Errorf("journal's feed_restart %+v, want one %q", recs, reason)
	}
	if got := restartRecord(feeds.RestartSignal{At: sc.Start().Add(16 * time.Hour), Dropped: 1}).Reason; got != "the simulator started its day over at 16:00 and dropped 1 setpoint in force" {
		t.Errorf("one dropped reads %q", got)
	}
}
