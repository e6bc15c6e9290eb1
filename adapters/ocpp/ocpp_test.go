package ocpp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// wait bounds how long a test waits for the node peer; it is a safety net
// for a hung peer, not a timing assertion.
const wait = 30 * time.Second

// peerDir holds the ocpp-rpc charge point; CI runs `npm ci` there.
var peerDir = filepath.Join("testdata", "peer")

func needPeer(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(peerDir, "node_modules", "ocpp-rpc"))
	if err != nil || modErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("ocpp-rpc peer missing in CI (node: %v, module: %v); run `cd adapters/ocpp/testdata/peer && npm ci`", err, modErr)
		}
		t.Skipf("ocpp-rpc peer not installed (node: %v, module: %v); run `cd adapters/ocpp/testdata/peer && npm ci`", err, modErr)
	}
	return node
}

// peerEvent is one line the node charge point prints.
type peerEvent struct {
	Event         string          `json:"event"`
	TransactionID int             `json:"transactionId"`
	Params        json.RawMessage `json:"params"`
	Held          *int            `json:"held"`
	Message       string          `json:"message"`
	Code          int             `json:"code"`   // "closed": the websocket close code
	Reason        string          `json:"reason"` // "closed": the close reason
}

// startPeer runs the node charge point against port in mode and returns its
// events. Closing its stdin (at cleanup) ends it.
func startPeer(t *testing.T, node string, port int, identity, mode string) <-chan peerEvent {
	t.Helper()
	events, _ := startPeerIn(t, node, port, identity, mode)
	return events
}

// startPeerIn is startPeer that also returns the peer's stdin, for the
// "late" mode's "answer" line.
func startPeerIn(t *testing.T, node string, port int, identity, mode string) (<-chan peerEvent, io.Writer) {
	t.Helper()
	return startPeerWith(t, node, port, identity, mode, "")
}

// startPeerWith is startPeerIn with the peer's OPTIONS (chargepoint.js:
// "protocol=ocpp2.0.1", "sayclose").
func startPeerWith(t *testing.T, node string, port int, identity, mode, options string) (<-chan peerEvent, io.Writer) {
	t.Helper()
	cmd := exec.Command(node, "chargepoint.js", fmt.Sprintf("ws://127.0.0.1:%d/ocpp", port), identity, mode, options)
	cmd.Dir = peerDir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	events := make(chan peerEvent, 64)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var e peerEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				e = peerEvent{Event: "unparsed", Message: sc.Text()}
			}
			events <- e
		}
	}()
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	return events, stdin
}

func next(t *testing.T, events <-chan peerEvent, want string) peerEvent {
	t.Helper()
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatalf("peer exited while waiting for %q", want)
		}
		if e.Event != want {
			t.Fatalf("peer said %+v, want event %q", e, want)
		}
		return e
	case <-time.After(wait):
		t.Fatalf("peer said nothing for %s, want %q", wait, want)
	}
	return peerEvent{}
}

// sink records telemetry frames.
type sink struct {
	mu      sync.Mutex
	frames  []map[string]any
	changed chan struct{}
}

func newSink() *sink { return &sink{changed: make(chan struct{}, 1)} }

func (s *sink) HandleFrame(raw []byte) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(err)
	}
	s.mu.Lock()
	s.frames = append(s.frames, m)
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *sink) HandleLink(feeds.LinkEvent) {}

// waitFor waits until some frame satisfies ok.
func (s *sink) waitFor(t *testing.T, what string, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.After(wait)
	for {
		s.mu.Lock()
		for _, f := range s.frames {
			if ok(f) {
				s.mu.Unlock()
				return f
			}
		}
		s.mu.Unlock()
		select {
		case <-s.changed:
		case <-deadline:
			t.Fatalf("no telemetry frame with %s", what)
		}
	}
}

// startCS starts a central system for CP-A (11 kW, ±0) and CP-OFF (never
// connects), with rate unit unit.
func startCS(t *testing.T, unit string) (*ocpp.CentralSystem, *sink) {
	t.Helper()
	return startCSWith(t, unit, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// startCSWith is startCS logging to log, with before called on the central
// system before it starts (nil: nothing).
func startCSWith(t *testing.T, unit string, log *slog.Logger, before func(*ocpp.CentralSystem)) (*ocpp.CentralSystem, *sink) {
	t.Helper()
	raw := json.RawMessage(fmt.Sprintf(`{"listen":"127.0.0.1:0","rate_unit":%q,"voltage":230,"phases":3}`, unit))
	cs, err := ocpp.FromConfig(raw, []adapters.ChargerConfig{
		{ID: "CP-A", Adapter: "o", Feeder: "F1", MaxChargeKW: 11, Settings: json.RawMessage(`{"identity":"CP-A","connector":1}`)},
		{ID: "CP-OFF", Adapter: "o", Feeder: "F1", MaxChargeKW: 11},
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before(cs)
	}
	if err := cs.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	s := newSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cs.Run(ctx, s) }()
	t.Cleanup(func() { cancel(); <-done })
	return cs, s
}

// profile is the part of SetChargingProfile.req the tests check.
type profile struct {
	ConnectorID int `json:"connectorId"`
	CS          struct {
		ID            int    `json:"chargingProfileId"`
		TransactionID int    `json:"transactionId"`
		StackLevel    int    `json:"stackLevel"`
		Purpose       string `json:"chargingProfilePurpose"`
		Kind          string `json:"chargingProfileKind"`
		ValidTo       string `json:"validTo"`
		Schedule      struct {
			Duration int    `json:"duration"`
			Unit     string `json:"chargingRateUnit"`
			Periods  []struct {
				StartPeriod  int     `json:"startPeriod"`
				Limit        float64 `json:"limit"`
				NumberPhases int     `json:"numberPhases"`
			} `json:"chargingSchedulePeriod"`
		} `json:"chargingSchedule"`
	} `json:"csChargingProfiles"`
}

func decodeProfile(t *testing.T, e peerEvent) profile {
	t.Helper()
	var p profile
	if err := json.Unmarshal(e.Params, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func setpoint(id string, kw float64, until time.Time) adapters.Setpoint {
	return adapters.Setpoint{ID: id, Charger: "CP-A", KW: kw, ValidUntil: until, Operator: "t", Reason: "test"}
}

func TestCentralSystemAgainstOcppRpc(t *testing.T) {
	node := needPeer(t)
	tests := []struct {
		name    string
		unit    string
		mode    string
		kw      float64
		want    adapters.Status
		applied float64
		reason  string
		purpose string
		limit   float64
		phases  int
	}{
		{"watts in a transaction", "W", "accept", 7.4, adapters.StatusAccepted, 7.4, "TxProfile 7001", "TxProfile", 7400, 0},
		{"amperes, rounded down", "A", "accept", 11, adapters.StatusAccepted, 15.9 * 690 / 1000, "limit 15.9 A", "TxProfile", 15.9, 3},
		{"no transaction: default profile", "W", "notx", 3.3, adapters.StatusAccepted, 3.3, "TxDefaultProfile 7001", "TxDefaultProfile", 3300, 0},
		{"peer rejects", "W", "reject", 5, adapters.StatusRejected, 0, "answered Rejected", "TxProfile", 5000, 0},
		{"peer answers an error", "W", "error", 5, adapters.StatusFailed, 0, "simulated charger fault", "TxProfile", 5000, 0},
		{"peer slow", "W", "slow", 5, adapters.StatusTimeout, 0, "no answer before the deadline", "TxProfile", 5000, 0},
		// The profile went out; the socket dropped before an answer: the
		// charge point may hold it, so the outcome is unknown, not failed.
		{"peer drops the socket", "W", "drop", 5, adapters.StatusTimeout, 0, "client disconnected", "TxProfile", 5000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, s := startCS(t, tt.unit)
			events := startPeer(t, node, cs.Port(), "CP-A", tt.mode)
			ready := next(t, events, "ready")
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			if err := cs.WaitConnected(ctx, "CP-A"); err != nil {
				t.Fatal(err)
			}
			if tt.mode != "notx" {
				s.waitFor(t, "CP-A charging at 7.2 kW, SoC 0.55", func(f map[string]any) bool {
					return f["type"] == "charger" && f["id"] == "CP-A" && f["state"] == "charging" && f["kw"] == 7.2 && f["soc"] == 0.55 && f["plugged"] == true
				})
			}
			until := time.Now().Add(15 * time.Minute).UTC().Truncate(time.Second)
			actx := context.Background()
			if tt.mode == "slow" {
				var c context.CancelFunc
				actx, c = context.WithTimeout(actx, 500*time.Millisecond)
				defer c()
			}
			r := cs.Apply(actx, setpoint("sp1", tt.kw, until))
			if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("result %+v, want %s with %q", r, tt.want, tt.reason)
			}
			if tt.want == adapters.StatusAccepted && fmt.Sprintf("%.4f", r.AppliedKW) != fmt.Sprintf("%.4f", tt.applied) {
				t.Errorf("applied %v kW, want %v", r.AppliedKW, tt.applied)
			}
			p := decodeProfile(t, next(t, events, "SetChargingProfile"))
			pc := p.CS
			if p.ConnectorID != 1 || pc.ID != 7001 || pc.Purpose != tt.purpose || pc.Kind != "Absolute" || pc.StackLevel != 1 ||
				pc.Schedule.Unit != tt.unit || len(pc.Schedule.Periods) != 1 || pc.Schedule.Periods[0].Limit != tt.limit ||
				pc.Schedule.Periods[0].StartPeriod != 0 || pc.Schedule.Periods[0].NumberPhases != tt.phases {
				t.Fatalf("peer holds %+v", p)
			}
			if pc.TransactionID != ready.TransactionID {
				t.Errorf("transactionId %d, want %d", pc.TransactionID, ready.TransactionID)
			}
			if vt, err := time.Parse(time.RFC3339, pc.ValidTo); err != nil || !vt.Equal(until) {
				t.Errorf("validTo %q, want %s", pc.ValidTo, until.Format(time.RFC3339))
			}
			if d := pc.Schedule.Duration; d < 895 || d > 900 {
				t.Errorf("duration %d s, want about 900", d)
			}
			if tt.mode != "accept" {
				return
			}
			// A new setpoint replaces the profile: same id.
			r2 := cs.Apply(context.Background(), setpoint("sp2", 2, until))
			p2 := decodeProfile(t, next(t, events, "SetChargingProfile"))
			if r2.Status != adapters.StatusAccepted || p2.CS.ID != 7001 {
				t.Fatalf("second setpoint %+v, profile id %d, want accepted and 7001", r2, p2.CS.ID)
			}
			s.waitFor(t, "setpoint_kw of the second setpoint", func(f map[string]any) bool {
				v, ok := f["setpoint_kw"].(float64)
				return f["id"] == "CP-A" && ok && fmt.Sprintf("%.3f", v) == fmt.Sprintf("%.3f", r2.AppliedKW)
			})
			if err := cs.Release(context.Background(), "CP-A"); err != nil {
				t.Fatal(err)
			}
			clr := next(t, events, "ClearChargingProfile")
			if !strings.Contains(string(clr.Params), `"id":7001`) || clr.Held == nil || *clr.Held != 0 {
				t.Fatalf("clear %+v, want id 7001 and nothing held after", clr)
			}
			// OCPP 1.6 cannot discharge.
			if r := cs.Apply(context.Background(), setpoint("sp3", -3, until)); r.Status != adapters.StatusRejected || !strings.Contains(r.Reason, "cannot express discharge") {
				t.Fatalf("negative setpoint %+v", r)
			}
		})
	}
}

func TestCentralSystemOfflineFailsAtOnce(t *testing.T) {
	cs, s := startCS(t, "W")
	r := cs.Apply(context.Background(), adapters.Setpoint{ID: "x", Charger: "CP-OFF", KW: 3, ValidUntil: time.Now().Add(time.Minute)})
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "not connected") {
		t.Fatalf("offline charger: %+v", r)
	}
	hello := s.waitFor(t, "hello", func(f map[string]any) bool { return f["type"] == "hello" })
	chargers, _ := hello["chargers"].([]any)
	if len(chargers) != 2 {
		t.Fatalf("hello chargers %v", hello["chargers"])
	}
	s.waitFor(t, "CP-OFF offline", func(f map[string]any) bool { return f["id"] == "CP-OFF" && f["state"] == "offline" })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := cs.WaitConnected(ctx, "CP-OFF"); err == nil {
		t.Fatal("WaitConnected returned for a charger that never connected")
	}
}

// TestUnknownChargePointRefused checks that an identity not in the config
// cannot connect, using the node peer as the stranger.
func TestUnknownChargePointRefused(t *testing.T) {
	node := needPeer(t)
	cs, _ := startCS(t, "W")
	events := startPeer(t, node, cs.Port(), "STRANGER", "accept")
	e := next(t, events, "error")
	if e.Message == "" {
		t.Fatal("peer reported no error")
	}
	if cs.Counts().UnknownStations != 1 {
		t.Fatalf("counts %+v", cs.Counts())
	}
}

func TestStartPortInUse(t *testing.T) {
	cs, _ := startCS(t, "W")
	other, err := ocpp.FromConfig(json.RawMessage(fmt.Sprintf(`{"listen":":%d"}`, cs.Port())), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "listen on port") {
		t.Fatalf("second central system on a used port: %v", err)
	}
}

// readJournal returns the records of the journal at path.
func readJournal(t *testing.T, path string) []adapters.Record {
	t.Helper()
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

// guardFor returns a guard journalling to a temp file and sending to cs.
func guardFor(t *testing.T, cs *ocpp.CentralSystem, opts adapters.GuardOptions) (*adapters.Guard, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	g := adapters.NewGuard(j, opts)
	if err := g.AddAdapter("o", cs, 1, 4); err != nil {
		t.Fatal(err)
	}
	g.SetCharger(adapters.ChargerConfig{ID: "CP-A", Adapter: "o", MaxChargeKW: 11})
	return g, path
}

// TestLateAcceptanceIsJournalled: a charge point that accepts after the
// batch deadline holds the profile; the journal must say so (late_result
// accepted with the applied power), after the timeout's result record.
func TestLateAcceptanceIsJournalled(t *testing.T) {
	node := needPeer(t)
	cs, _ := startCS(t, "W")
	events, stdin := startPeerIn(t, node, cs.Port(), "CP-A", "late")
	next(t, events, "ready")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cs.WaitConnected(ctx, "CP-A"); err != nil {
		t.Fatal(err)
	}
	g, path := guardFor(t, cs, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: wait})
	// The batch's deadline passes once the charge point has the call,
	// not after a wall time that could pass before it was sent.
	dl := adapterstest.NewDeadline()
	res := make(chan adapters.Result, 1)
	go func() { res <- g.Apply(dl, setpoint("late1", 6, time.Now().Add(20*time.Minute))) }()
	next(t, events, "SetChargingProfile")
	dl.Pass()
	if r := <-res; r.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout at the batch deadline", r)
	}
	if _, err := io.WriteString(stdin, "answer\n"); err != nil {
		t.Fatal(err)
	}
	next(t, events, "answering")
	g.Close() // waits for the worker, which journals the late answer
	recs := readJournal(t, path)
	if len(recs) != 3 || recs[1].Kind != adapters.RecResult || recs[2].Kind != adapters.RecLateResult {
		t.Fatalf("records %+v, want setpoint, result, late_result", recs)
	}
	if l := recs[2]; l.Status != adapters.StatusAccepted || l.AppliedKW == nil || *l.AppliedKW != 6 {
		t.Fatalf("late_result %+v, want accepted at 6 kW", l)
	}
}

// harness is a central system started by connectPeer and its telemetry.
type harness struct {
	cs *ocpp.CentralSystem
	s  *sink
}

// connectPeer starts a central system ("W") and the node charge point CP-A
// in mode, and waits until the peer is connected and ready. The writer is
// the peer's stdin ("answer", "boot").
func connectPeer(t *testing.T, mode string) (*harness, <-chan peerEvent, io.Writer) {
	t.Helper()
	node := needPeer(t)
	cs, s := startCS(t, "W")
	events, stdin := startPeerIn(t, node, cs.Port(), "CP-A", mode)
	next(t, events, "ready")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cs.WaitConnected(ctx, "CP-A"); err != nil {
		t.Fatal(err)
	}
	return &harness{cs: cs, s: s}, events, stdin
}
