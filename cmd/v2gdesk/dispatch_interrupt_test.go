package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// ^C while `dispatch --feed` waits for the feed, or for its OCPP charge
// points, stops it there: nothing proposed, nothing sent, and it says so.
// Waiting for the feed it said only "context canceled"; waiting for the
// charge points it went on, journalled a dispatch_propose that nothing
// closed, then failed its plan with "solve: context canceled".
func TestDispatchInterruptedWhileWaiting(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"v":1,"type":"event","id":"DR-94","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T23:58:00+08:00","end":"2024-01-18T00:00:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// A sim feed beside an OCPP adapter whose charge point never dials in.
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[
		{"name":"sim","kind":"wsjson"},
		{"name":"depot","kind":"ocpp","settings":{"listen":"127.0.0.1:0"}}],
		"chargers":[{"id":"OCPP-1","feeder":"F08","adapter":"depot","max_charge_kw":22,"settings":{"identity":"CP-DEPOT-1","connector":1}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	simFeed := serveFeed(t, sim.NewServer(lateSim(t, quiet), sim.ServerOptions{Logger: quiet}))

	for _, tc := range []struct {
		name, seen, want string
		args             []string
	}{
		{"waiting for the feed", "feed unreachable",
			"v2gdesk dispatch: --feed ws://127.0.0.1:1/v1: interrupted while waiting for the feed (no hello yet): nothing proposed, nothing sent",
			[]string{"--feed", "ws://127.0.0.1:1/v1"}}, // nothing listens on port 1
		{"waiting for the OCPP charge points", `waiting up to 1h0m0s for 1 charge point of OCPP adapter "depot" to connect...`,
			"v2gdesk dispatch: interrupted while waiting for the OCPP charge points to connect (OCPP-1 not yet): nothing proposed, nothing sent",
			[]string{"--feed", simFeed, "--yes", "--adapters", cfg}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errb := &watchWriter{want: tc.seen, seen: make(chan struct{})}
			seen := errb.seen
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int, 1)
			go func() {
				args := append([]string{"dispatch", "--event", event, "--timeout", "1h"}, tc.args...)
				done <- run(ctx, args, io.Discard, errb)
			}()
			select {
			case <-seen:
				cancel() // ^C
			case code := <-done:
				t.Fatalf("exit %d before it waited; stderr:\n%s", code, errb)
			}
			if code := <-done; code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if s := errb.String(); !strings.Contains(s, tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, s)
			}
			b, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "dispatch_propose") {
				t.Errorf("the journal has a proposal the operator stopped before it was made:\n%s", b)
			}
			// Nothing journalled: a journal the run made is not left
			// behind empty, looking like a dispatch that wrote nothing.
			if err == nil {
				t.Errorf("the interrupted run left the journal %s (%d bytes) it created; want none", filepath.Join(dir, "audit.jsonl"), len(b))
			}
		})
	}
}
