package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// ^C on `v2gdesk setpoint` while it waits for the ack of a setpoint sent
// printed, and journalled, either "no answer from adapter before the batch
// deadline (5s)" (no deadline had passed) or "the connection closed before
// the ack (use of closed network connection)" (the command closed it on
// the ^C, not the peer), whichever came first. Both now say the wait was
// stopped, and that the charger may hold the setpoint.
func TestSetpointInterruptedWhileWaitingForTheAckSaysSo(t *testing.T) {
	got := make(chan string, 1)
	silent := silentPeer(t, func(f feeds.SetpointFrame) { got <- f.ID })
	cfg, journal := writeConfig(t, silent)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--id", "sp-stopped"}, &out, &errb)
	}()
	<-got // the frame reached the peer; the command waits for its ack
	cancel()
	if code := <-done; code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	stdout := out.String()
	if !strings.Contains(stdout, "sp-stopped V2G1: timeout") || !strings.Contains(stdout, "stopped (context canceled)") ||
		!strings.Contains(stdout, "may hold it") {
		t.Errorf("stdout:\n%s\nwant a timeout saying the wait was stopped and the charger may hold it", stdout)
	}
	var details []string
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Setpoint == "sp-stopped" && r.Kind == adapters.RecResult {
			details = append(details, r.Detail)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 || !strings.Contains(details[0], "stopped (context canceled)") ||
		strings.Contains(details[0], "deadline") || strings.Contains(details[0], "use of closed network connection") {
		t.Errorf("journalled results %q, want one saying the wait was stopped", details)
	}
}
