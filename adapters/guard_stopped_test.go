package adapters_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestGuardSaysTheCallerStoppedWaiting: a batch whose caller's context
// ends before the batch deadline (^C on `v2gdesk setpoint` a second in)
// said "no answer from adapter before the batch deadline (5s)", in the
// result and the journal, of a deadline that never passed. It names the
// stop: the setpoint sent is timeout (it may hold it), the one still
// queued is failed, not sent, and neither speaks of the deadline.
func TestGuardSaysTheCallerStoppedWaiting(t *testing.T) {
	slow := &blocker{release: make(chan struct{}), started: make(chan string, 8)}
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour}, nil)
	if err := r.g.AddAdapter("one", slow, 1, 4); err != nil { // one worker: the second waits in the queue
		t.Fatal(err)
	}
	r.g.SetCharger(adapters.ChargerConfig{ID: "DC1", Adapter: "one", MaxChargeKW: 50})
	r.g.SetCharger(adapters.ChargerConfig{ID: "DC2", Adapter: "one", MaxChargeKW: 50})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan []adapters.Result)
	go func() { done <- r.g.ApplyBatch(ctx, []adapters.Setpoint{sp("sent", "DC1", 5), sp("queued", "DC2", 5)}) }()
	<-slow.started // "sent" is with the adapter; "queued" waits behind it
	cancel()
	res := <-done
	if res[0].Status != adapters.StatusTimeout ||
		!strings.Contains(res[0].Reason, `no answer from adapter "one" when the wait was stopped (context canceled)`) ||
		!strings.Contains(res[0].Reason, "into the batch's 1h0m0s; sent, so the charger may hold it") {
		t.Errorf("sent: %+v, want timeout saying the wait was stopped", res[0])
	}
	if res[1].Status != adapters.StatusFailed ||
		res[1].Reason != "not sent: the wait was stopped (context canceled) while the setpoint waited in the adapter's queue" {
		t.Errorf("queued: %+v, want failed, not sent, saying the wait was stopped", res[1])
	}
	close(slow.release)
	r.g.Close()
	for _, rec := range readRecords(t, r.path) {
		if rec.Kind == adapters.RecResult && strings.Contains(rec.Detail, "deadline") {
			t.Errorf("journal: %s's result says %q: no deadline passed", rec.Setpoint, rec.Detail)
		}
	}
}
