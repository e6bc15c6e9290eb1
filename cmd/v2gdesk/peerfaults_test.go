package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/tui"
)

// lockedBuffer is a bytes.Buffer safe for the desk's goroutines to log to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDeskPeerFaults: a desk on an OCPP central system whose peers
// misbehave (a charge point not in the file knocks, the known one sends a
// meter value that is not a number) has the faults in what the overview
// reads (the desk's setpoint counter) and logs them, by adapter, when it
// stops.
func TestDeskPeerFaults(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg := writeTestFile(t, t.TempDir(), "adapters.json", ocppSite)
	o := ingestOptions{speed: 60, adapters: cfg}
	if msg := o.check("en"); msg != "" {
		t.Fatal(msg)
	}
	in, err := openIngest(o, log)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, log)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			desk.stop()
		}
	}()
	cs := desk.site.OCPP["depot"]
	url := fmt.Sprintf("ws://127.0.0.1:%d/ocpp", cs.Port())

	// Refused in the HTTP upgrade: counted before Start returns.
	stranger := ocpp16.NewChargePoint("CP-STRANGER", nil, nil)
	if err := stranger.Start(url); err == nil {
		stranger.Stop()
		t.Fatal("a charge point not in the file was let in")
	}
	cp := ocpp16.NewChargePoint("CP-DEPOT-1", nil, nil)
	if err := cp.Start(url); err != nil {
		t.Fatal(err)
	}
	defer cp.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a safety net, not a timing assertion
	defer cancel()
	if err := cs.WaitConnected(ctx, "OCPP-1"); err != nil {
		t.Fatal(err)
	}
	// The central system reads the values before it answers.
	if _, err := cp.MeterValues(1, []types.MeterValue{{Timestamp: types.NewDateTime(time.Now()), SampledValue: []types.SampledValue{
		{Value: "lots", Measurand: types.MeasurandPowerActiveImport, Unit: types.UnitOfMeasureW},
	}}}); err != nil {
		t.Fatal(err)
	}

	want := adapters.PeerFaults{Refused: 1, BadValues: 1}
	r, ok := tui.SetpointCounter(desk.setpoints).(adapters.PeerFaultReporter)
	if !ok {
		t.Fatalf("the desk's setpoint counter %T cannot report peer faults", desk.setpoints)
	}
	if f := r.PeerFaults(); f != want {
		t.Fatalf("the overview would read %+v, want %+v", f, want)
	}
	desk.stop()
	stopped = true
	got := logs.String()
	var line string
	for _, l := range strings.Split(got, "\n") {
		if strings.Contains(l, "peer faults at stop") {
			line = l
		}
	}
	for _, w := range []string{"level=WARN", "adapter=depot", "malformed=0", "unmatched_answers=0", "refused_connections=1", "bad_values=1"} {
		if !strings.Contains(line, w) {
			t.Errorf("stop log line %q lacks %q; log:\n%s", line, w, got)
		}
	}
}
