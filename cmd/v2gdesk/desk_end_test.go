package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestDeskDispatchEndsWithTheScenario: a DR event in force when the
// in-process scenario day ends is ended by the desk's controller loop, on
// the record, with the end for reason; it was re-planned in the background
// and its setpoints went to a simulator that had stopped, until the desk
// itself stopped and cancelled it.
func TestDeskDispatchEndsWithTheScenario(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := openIngest(ingestOptions{scenario: "demo", start: "23:57", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// Paused while the event is proposed and confirmed: the day must not
	// end before it is in force.
	in.sim.Pause()
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	desk, err := startDesk(in, deskOptions{journal: journal}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			desk.stop()
		}
	}
	defer stop()
	ctl := desk.dispatch
	snaps, unsubscribe := desk.hub.Subscribe()
	for s := desk.fleet.Snapshot(); !s.HaveTopology; s = <-snaps {
	}
	unsubscribe()
	now := desk.fleet.Snapshot().At
	ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: "F10", Start: now, End: now.Add(2 * time.Hour), KW: 1200}
	ana := control.Actor{Name: "ana", Dispatcher: true}
	ctx := context.Background()
	id, err := ctl.Propose(ev, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ctl.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Confirm(ctx, id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	in.sim.Resume()

	// Until the controller has ended it: every change wakes the wait.
	var v control.EventView
	for {
		ch := ctl.Changes()
		if v, _ = ctl.Event(id); v.State.Final() {
			break
		}
		<-ch
	}
	const reason = "the scenario ended at 00:00"
	if v.State != control.StateEnded || v.Reason != reason || v.EndWhy.Kind != control.WhySourceEnded {
		t.Errorf("%s at the end of the day: %s, %q (%s); want ended, %q", id, v.State, v.Reason, v.EndWhy.Kind, reason)
	}
	if !desk.fleet.Snapshot().Stats.Ended {
		t.Error("the event ended before the scenario did")
	}
	stop() // the desk's stop finds nothing left to cancel
	f, err := os.Open(journal)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ends, cancels int
	for sc := bufio.NewScanner(f); sc.Scan(); {
		var rec struct{ Kind, Event, Reason string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		switch {
		case rec.Event != id:
		case rec.Kind == string(control.RecDispatchEnd) && rec.Reason == reason:
			ends++
		case rec.Kind == string(control.RecDispatchCancel):
			cancels++
			if !strings.Contains(rec.Reason, "desk stopped") {
				t.Errorf("unexpected cancel: %+v", rec)
			}
		}
	}
	if ends != 1 || cancels != 0 {
		t.Errorf("journal: %d dispatch_end with %q, %d dispatch_cancel; want 1 and 0", ends, reason, cancels)
	}
}
