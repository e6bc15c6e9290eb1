package wsjson_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// peer is a websocket aggregator: for each setpoint frame it answers with
// answer(frame), or not at all when answer returns nil. It also sends a
// charger frame first, which the client must skip.
func peer(t *testing.T, answer func(feeds.SetpointFrame) *feeds.AckFrame) (url string, got func() []feeds.SetpointFrame) {
	t.Helper()
	var mu sync.Mutex
	var frames []feeds.SetpointFrame
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"charger","id":"X","ts":"2026-11-26T06:00:00Z","state":"available","kw":0,"plugged":false}`))
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			var f feeds.SetpointFrame
			if err := json.Unmarshal(msg, &f); err != nil || f.Type != feeds.TypeSetpoint {
				t.Errorf("peer got a frame that is not a setpoint: %s", msg)
				continue
			}
			mu.Lock()
			frames = append(frames, f)
			mu.Unlock()
			if ack := answer(f); ack != nil {
				ack.Header = feeds.NewHeader(feeds.TypeAck)
				b, _ := json.Marshal(ack)
				// Acks arrive wrapped in a batch, as an aggregator may send them.
				batch, _ := json.Marshal(map[string]any{"v": 1, "type": "batch", "frames": []json.RawMessage{b}})
				_ = c.WriteMessage(websocket.TextMessage, batch)
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), func() []feeds.SetpointFrame {
		mu.Lock()
		defer mu.Unlock()
		return append([]feeds.SetpointFrame(nil), frames...)
	}
}

func dialAdapter(t *testing.T, url string) (*wsjson.Adapter, *wsjson.Conn) {
	t.Helper()
	var a *wsjson.Adapter
	conn, err := wsjson.Dial(context.Background(), url, func(ack feeds.AckFrame, err error) { a.HandleAckErr(ack, err) })
	if err != nil {
		t.Fatal(err)
	}
	a = wsjson.New(conn)
	t.Cleanup(func() { conn.Close() })
	return a, conn
}

var until = time.Now().Add(time.Hour).UTC().Truncate(time.Second)

func TestAdapterAgainstPeer(t *testing.T) {
	tests := []struct {
		name   string
		answer func(feeds.SetpointFrame) *feeds.AckFrame
		want   adapters.Status
		kw     float64
		reason string
	}{
		{"accepted", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW}
		}, adapters.StatusAccepted, 6, ""},
		{"clamped by peer", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Status: feeds.AckClamped, AppliedKW: 4, Reason: "site limit"}
		}, adapters.StatusClamped, 4, "site limit"},
		{"peer answers an error", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Status: feeds.AckFailed, Reason: "contactor fault"}
		}, adapters.StatusFailed, 0, "contactor fault"},
		{"peer rejects", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Status: feeds.AckRejected, Reason: "vehicle not plugged"}
		}, adapters.StatusRejected, 0, "not plugged"},
		{"ack for another charger", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Charger: "OTHER", Status: feeds.AckAccepted, AppliedKW: f.KW}
		}, adapters.StatusFailed, 0, `charger "OTHER"`},
		{"unknown status", func(f feeds.SetpointFrame) *feeds.AckFrame {
			return &feeds.AckFrame{ID: f.ID, Status: "maybe"}
		}, adapters.StatusFailed, 0, "unknown ack status"},
		{"peer slow: no ack", func(feeds.SetpointFrame) *feeds.AckFrame { return nil }, adapters.StatusTimeout, 0, "no ack"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, got := peer(t, tt.answer)
			a, _ := dialAdapter(t, url)
			// Only the slow peer should use up the deadline; it is generous
			// so a loaded machine does not turn answers into timeouts.
			d := 10 * time.Second
			if tt.want == adapters.StatusTimeout {
				d = 300 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			sp := adapters.Setpoint{ID: "sp-1", Charger: "CP1", KW: 6, ValidUntil: until, Event: "DR-7", Reason: "shed"}
			r := a.Apply(ctx, sp)
			if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) || r.AppliedKW != tt.kw {
				t.Fatalf("result %+v, want %s %g kW reason containing %q", r, tt.want, tt.kw, tt.reason)
			}
			frames := got()
			if len(frames) != 1 || frames[0].ID != "sp-1" || frames[0].KW != 6 || !frames[0].ValidUntil.Equal(until) || frames[0].Event != "DR-7" {
				t.Fatalf("peer received %+v", frames)
			}
		})
	}
}

func TestAdapterPeerDown(t *testing.T) {
	url, _ := peer(t, func(feeds.SetpointFrame) *feeds.AckFrame { return nil })
	a, conn := dialAdapter(t, url)
	conn.Close()
	r := a.Apply(context.Background(), adapters.Setpoint{ID: "x", Charger: "CP1", KW: 1, ValidUntil: until})
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "send setpoint frame") {
		t.Fatalf("result %+v, want failed at once", r)
	}
	if _, err := wsjson.Dial(context.Background(), "ws://127.0.0.1:1/none", func(feeds.AckFrame, error) {}); err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
}

// TestGuardBatchPartialAck sends a batch through the Guard to a peer that
// acks only some setpoints: those get their status, the rest time out, and
// the late-coming duplicate id returns the first result.
func TestGuardBatchPartialAck(t *testing.T) {
	url, got := peer(t, func(f feeds.SetpointFrame) *feeds.AckFrame {
		if f.Charger == "CP2" {
			return nil
		}
		return &feeds.AckFrame{ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW}
	})
	a, conn := dialAdapter(t, url)
	j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	// CP2 never answers: a short grace lets Close stop waiting for it.
	g := adapters.NewGuard(j, adapters.GuardOptions{BatchTimeout: time.Second, LateGrace: time.Millisecond})
	defer g.Close()
	if err := g.AddAdapter("agg", a, 4, 16); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"CP1", "CP2", "CP3"} {
		g.SetCharger(adapters.ChargerConfig{ID: id, Adapter: "agg", MaxChargeKW: 11, MaxDischargeKW: 11})
	}
	batch := []adapters.Setpoint{
		{ID: "b1", Charger: "CP1", KW: 5, ValidUntil: until},
		{ID: "b2", Charger: "CP2", KW: 5, ValidUntil: until},
		{ID: "b3", Charger: "CP3", KW: -20, ValidUntil: until},
	}
	res := g.ApplyBatch(context.Background(), batch)
	want := []adapters.Status{adapters.StatusAccepted, adapters.StatusTimeout, adapters.StatusClamped}
	for i, w := range want {
		if res[i].Status != w {
			t.Fatalf("result %d: %+v, want %s", i, res[i], w)
		}
	}
	if res[2].AppliedKW != -11 {
		t.Errorf("b3 applied %g, want -11", res[2].AppliedKW)
	}
	again := g.Apply(context.Background(), batch[0])
	if again != res[0] {
		t.Fatalf("duplicate id gave %+v, want %+v", again, res[0])
	}
	if n := len(got()); n != 3 {
		t.Fatalf("peer got %d setpoint frames, want 3 (duplicate not resent)", n)
	}
	if skipped, bad := conn.Counts(); skipped != 1 || bad != 0 {
		t.Errorf("conn counts skipped=%d bad=%d, want the one charger frame skipped", skipped, bad)
	}
}

// TestGuardJournalsLateAck: an ack that comes after the batch deadline is
// journalled as late_result with its status and applied power, after the
// timeout's result record.
func TestGuardJournalsLateAck(t *testing.T) {
	got, release := make(chan struct{}), make(chan struct{})
	url, _ := peer(t, func(f feeds.SetpointFrame) *feeds.AckFrame {
		close(got)
		<-release
		return &feeds.AckFrame{ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW}
	})
	a, _ := dialAdapter(t, url)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	g := adapters.NewGuard(j, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Hour})
	if err := g.AddAdapter("agg", a, 1, 1); err != nil {
		t.Fatal(err)
	}
	g.SetCharger(adapters.ChargerConfig{ID: "CP1", Adapter: "agg", MaxChargeKW: 11, MaxDischargeKW: 11})
	// The batch's deadline passes once the peer holds the setpoint, not
	// after some wall time that could pass before it was sent.
	ctx := adapterstest.NewDeadline()
	res := make(chan adapters.Result, 1)
	go func() {
		res <- g.Apply(ctx, adapters.Setpoint{ID: "late", Charger: "CP1", KW: -5.43, ValidUntil: until})
	}()
	<-got
	ctx.Pass()
	if r := <-res; r.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout", r)
	}
	close(release)
	g.Close()
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1].Kind != adapters.RecResult || recs[2].Kind != adapters.RecLateResult {
		t.Fatalf("records %+v, want setpoint, result, late_result", recs)
	}
	if l := recs[2]; l.Status != adapters.StatusAccepted || l.AppliedKW == nil || *l.AppliedKW != -5.43 {
		t.Fatalf("late_result %+v, want accepted at -5.43 kW", l)
	}
}

// TestAcksThatBreakTheProtocol: an applied status without applied_kw, an
// ack of another version, or one whose applied_kw does not decode, fails
// its setpoint naming the problem (it was journalled as accepted at 0 kW,
// accepted, or left to time out) and is counted.
func TestAcksThatBreakTheProtocol(t *testing.T) {
	tests := []struct {
		name   string
		ack    string // %s: the setpoint id
		want   adapters.Status
		reason string
		counts int
	}{
		{"accepted without applied_kw", `{"v":1,"type":"ack","id":%q,"status":"accepted"}`, adapters.StatusFailed, "ack accepted has no applied_kw", 1},
		{"clamped with null applied_kw", `{"v":1,"type":"ack","id":%q,"status":"clamped","applied_kw":null}`, adapters.StatusFailed, "ack clamped has no applied_kw", 1},
		{"version 2", `{"v":2,"type":"ack","id":%q,"status":"accepted","applied_kw":5}`, adapters.StatusFailed, "ack is protocol v2, not v1", 1},
		{"applied_kw a string", `{"v":1,"type":"ack","id":%q,"status":"accepted","applied_kw":"5"}`, adapters.StatusFailed, `ack does not decode: json: cannot unmarshal string into Go struct field AckFrame.applied_kw of type float64; the peer said "accepted"`, 1},
		// Nothing applied: the status says all, 0 kW is not a guess.
		{"rejected without applied_kw", `{"v":1,"type":"ack","id":%q,"status":"rejected","reason":"unplugged"}`, adapters.StatusRejected, "unplugged", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := wsjsontest.Peer(t, func(f feeds.SetpointFrame) string { return fmt.Sprintf(tt.ack, f.ID) })
			a, _ := dialAdapter(t, url)
			r := a.Apply(context.Background(), adapters.Setpoint{ID: "p1", Charger: "CP1", KW: 5, ValidUntil: until})
			if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) || r.AppliedKW != 0 {
				t.Fatalf("result %+v, want %s with %q", r, tt.want, tt.reason)
			}
			if n := a.ProtocolErrors(); n != tt.counts {
				t.Errorf("protocol errors %d, want %d", n, tt.counts)
			}
		})
	}
}

// sendFunc adapts a function to FrameSender.
type sendFunc func(ctx context.Context, frame any) error

func (f sendFunc) Send(ctx context.Context, frame any) error { return f(ctx, frame) }

func TestHandleAckCountsUnmatched(t *testing.T) {
	a := wsjson.New(sendFunc(func(context.Context, any) error { return errors.New("down") }))
	a.HandleAck(feeds.AckFrame{ID: "nobody", Status: feeds.AckAccepted})
	if a.Unmatched() != 1 {
		t.Fatalf("unmatched %d, want 1", a.Unmatched())
	}
	a.HandleAckErr(feeds.AckFrame{ID: "nobody either", Status: feeds.AckAccepted}, errors.New("no applied_kw"))
	if f := a.PeerFaults(); f != (adapters.PeerFaults{Malformed: 1, Unmatched: 2}) {
		t.Fatalf("peer faults %+v, want 1 malformed and 2 unmatched", f)
	}
}
