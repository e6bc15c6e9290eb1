package main

import (
	"log/slog"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestLocalDeskNamesOneOperator: a local desk's records name its operator
// from two places, the dashboard (the alarm engine's acknowledgement, the
// DR workflow's actor) and this program (the journal's record of the
// dashboard's alarm and clock actions). They named "local" from two
// constants that could drift apart; now both are tui.LocalOperator, and an
// acknowledgement made on the dashboard reads the same operator on the
// board and in the journal.
func TestLocalDeskNamesOneOperator(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	in, err := openIngest(ingestOptions{feed: demoFeed(t, quiet)}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{journal: path}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// As runDashboard makes it, without a terminal.
	m := tui.New(tui.Options{Mode: in.mode, Alarms: desk.alarms, Dispatch: desk.dispatch, Act: localActions(desk.actions)})
	drive(m, tea.WindowSizeMsg{Width: 160, Height: 45})
	snaps, unsubscribe := desk.hub.Subscribe()
	var acked string
	for s := range snaps {
		drive(m, tui.SnapshotMsg{Snapshot: s})
		b := desk.alarms.Board()
		if len(b.Alarms) == 0 || b.Alarms[0].State == alarm.StateNormal {
			continue
		}
		acked = b.Alarms[0].ID
		drive(m, runes("4"))
		drive(m, runes("a"))
		break
	}
	unsubscribe()
	a, ok := desk.alarms.Board().Find(acked)
	if acked == "" || !ok || a.AckedBy == "" {
		t.Fatalf("no alarm acknowledged on the dashboard (alarm %q: %+v)", acked, a)
	}
	desk.stop()
	if a.AckedBy != tui.LocalOperator {
		t.Errorf("the board has %s acknowledged by %q, want %q", acked, a.AckedBy, tui.LocalOperator)
	}
	wantRecords(t, journalKinds(t, path), "alarm_ack "+a.AckedBy)
}
