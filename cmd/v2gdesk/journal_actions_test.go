package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// waitReady returns the first snapshot of desk's hub holding the feed's
// topology and every feeder's values.
func waitReady(t *testing.T, desk *sharedDesk) *feeds.Snapshot {
	t.Helper()
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	for s := range snaps {
		if ready(s) {
			return s
		}
	}
	t.Fatal("the hub stopped before the feed's topology and values arrived")
	return nil
}

// proposeAndDecline proposes two caps as who and declines one and
// cancels the other (a pending event's cancel is a decline): what a
// dispatcher can do on a desk that cannot send.
func proposeAndDecline(t *testing.T, desk *sharedDesk, who string) (declined, cancelled string) {
	t.Helper()
	s := waitReady(t, desk)
	ana := control.Actor{Name: who, Dispatcher: true}
	ev := feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F10", Start: s.At.Add(time.Hour), End: s.At.Add(2 * time.Hour), KW: 1400}
	var err error
	if declined, err = desk.dispatch.Propose(ev, control.OriginOperator, ana); err != nil {
		t.Fatal(err)
	}
	if err := desk.dispatch.Decline(declined, ana, "not needed"); err != nil {
		t.Fatal(err)
	}
	ev.Scope = "F07"
	if cancelled, err = desk.dispatch.Propose(ev, control.OriginOperator, ana); err != nil {
		t.Fatal(err)
	}
	if err := desk.dispatch.Cancel(t.Context(), cancelled, ana, "changed my mind"); err != nil {
		t.Fatal(err)
	}
	return declined, cancelled
}

// journalKinds is the journal at path as "kind operator event reason" lines.
func journalKinds(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		out = append(out, strings.TrimSpace(strings.Join([]string{string(r.Kind), r.Operator, r.Event, r.Reason}, " ")))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantRecords checks that have holds every line of want, in order.
func wantRecords(t *testing.T, have []string, want ...string) {
	t.Helper()
	i := 0
	for _, h := range have {
		if i < len(want) && h == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("the journal lacks %q (or has it out of order):\n%s", want[i], strings.Join(have, "\n"))
	}
}

// TestServeFeedDeskJournalsEveryAction: `serve --feed URL --journal F`
// without --adapters records its operators' DR actions in F beside their
// sessions' records (alarm acknowledgements), as a desk with adapters does.
// Before, the controller of a feed desk without adapters had no journal:
// proposals and declines were in no file.
func TestServeFeedDeskJournalsEveryAction(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	sd, err := openServeDesk(serveOptions{ingestOptions: ingestOptions{feed: demoFeed(t, quiet)}, journal: path}, nil, quiet, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if sd.auditor == nil || sd.note != "audit journal "+path {
		t.Errorf("sessions' audit: %v, %q; want the journal %s", sd.auditor, sd.note, path)
	}
	declined, cancelled := proposeAndDecline(t, sd.desk, "ana")
	// What a session's Act records (deskFactory, sshd.Session.Act).
	if err := sd.auditor.Record(tui.ActAlarmAck, "ana", map[string]any{"alarm": "F10 overload", "summary": "acknowledged F10"}); err != nil {
		t.Fatal(err)
	}
	sd.close()
	wantRecords(t, journalKinds(t, path),
		"dispatch_propose ana "+declined+" operator",
		"dispatch_decline ana "+declined+" not needed",
		"dispatch_propose ana "+cancelled+" operator",
		"dispatch_decline ana "+cancelled+" changed my mind",
		"alarm_ack ana")
}

// TestLocalFeedDeskJournalsEveryAction: `v2gdesk --feed URL --journal F`
// records the DR actions and the alarm and clock actions of the local
// operator in F. Before, a local feed desk without adapters opened no
// journal at all, and no local desk recorded alarm actions.
func TestLocalFeedDeskJournalsEveryAction(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	in, err := openIngest(ingestOptions{feed: demoFeed(t, quiet)}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// As runDesk starts it.
	desk, err := startDesk(in, deskOptions{journal: path}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if desk.journal != path || desk.actions == nil {
		t.Errorf("desk journal %q (open: %t), want %s", desk.journal, desk.actions != nil, path)
	}
	declined, cancelled := proposeAndDecline(t, desk, tui.LocalOperator)
	act := localActions(desk.actions)
	if act == nil {
		t.Fatal("a local desk with a journal does not record alarm actions")
	}
	if err := act(tui.ActAlarmShelve, tui.Announcement{English: "shelved F10 overload for 1 h"}, map[string]any{"alarm": "F10 overload"}); err != nil {
		t.Fatal(err)
	}
	desk.stop()
	wantRecords(t, journalKinds(t, path),
		"dispatch_propose local "+declined+" operator",
		"dispatch_decline local "+declined+" not needed",
		"dispatch_propose local "+cancelled+" operator",
		"dispatch_decline local "+cancelled+" changed my mind",
		"alarm_shelve local")
	if localActions(nil) != nil {
		t.Error("a desk without a journal records actions")
	}
}

// TestServeScenarioWithoutJournalKeepsEveryAction: `serve --scenario demo`
// without --journal sends setpoints to the simulator through a journal of
// its own in the temporary directory; its sessions' records (logins, alarm
// and clock actions) go to that same journal, and the start-up line says
// where it is and that it is temporary. Before, sessions' records went to
// the log only while DR actions went to the temporary file, which the
// start-up line called "setpoints in …".
func TestServeScenarioWithoutJournalKeepsEveryAction(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	sd, err := openServeDesk(serveOptions{ingestOptions: ingestOptions{scenario: "demo", start: "18:00", speed: 1}}, nil, quiet, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	path := sd.desk.journal
	t.Cleanup(func() { os.Remove(path) })
	if path == "" || filepath.Dir(path) != filepath.Clean(os.TempDir()) {
		t.Fatalf("journal %q, want a new file in the temporary directory", path)
	}
	want := "no --journal: operator actions and setpoints go to the temporary journal " + path
	if sd.auditor == nil || !strings.HasPrefix(sd.note, want) {
		t.Fatalf("sessions' audit: %v, note %q; want the desk's journal and %q", sd.auditor, sd.note, want)
	}
	declined, _ := proposeAndDecline(t, sd.desk, "ana")
	if err := sd.auditor.Record(tui.ActAlarmAck, "ana", map[string]any{"alarm": "F10 overload", "summary": "acknowledged F10"}); err != nil {
		t.Fatal(err)
	}
	sd.close()
	wantRecords(t, journalKinds(t, path),
		"dispatch_propose ana "+declined+" operator",
		"dispatch_decline ana "+declined+" not needed",
		"alarm_ack ana")
}
