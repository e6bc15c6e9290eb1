package sim

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// owed closes c's outbox and returns everything it still owes, in order.
func owed(c *client) [][]byte {
	c.out.close()
	var out [][]byte
	for {
		msg, ok := c.out.next()
		if !ok {
			return out
		}
		out = append(out, msg)
	}
}

// owedOpen returns everything c's outbox owes now, in order, leaving it
// open: what is queued while a set is encoded is still taken.
func owedOpen(c *client) [][]byte {
	var out [][]byte
	for {
		c.out.mu.Lock()
		has := len(c.out.msgs) > 0 || c.out.set != nil && !c.out.set.empty()
		c.out.mu.Unlock()
		if !has {
			return out
		}
		msg, _ := c.out.next()
		out = append(out, msg)
	}
}

// stuckClient is a subscribed client of srv whose writer never runs.
func stuckClient(srv *Server) *client {
	c := &client{out: newOutbox(srv.limits, &srv.counts), subscribed: true, done: make(chan struct{})}
	srv.mu.Lock()
	srv.clients[c] = struct{}{}
	srv.mu.Unlock()
	return c
}

// chargersOf returns the charger members of a batch, by id.
func chargersOf(t *testing.T, msg []byte) map[string]string {
	t.Helper()
	var b feeds.Batch
	if err := json.Unmarshal(msg, &b); err != nil {
		t.Fatalf("%s: %v", msg, err)
	}
	out := map[string]string{}
	for _, m := range b.Frames {
		var h struct{ Type, ID string }
		if err := json.Unmarshal(m, &h); err != nil {
			t.Fatal(err)
		}
		if h.Type == "charger" {
			if _, dup := out[h.ID]; dup {
				t.Errorf("charger %s twice in one batch", h.ID)
			}
			out[h.ID] = string(m)
		}
	}
	return out
}

// TestServerConflatesASlowClient: a client whose queue is full is never
// dropped: the telemetry for it goes into a set holding each charger's
// latest frame and every feeder frame, sent once its queue is written,
// between conflated signals (docs/protocol.md, Conflated). An ack jumps
// the set; a signal keeps its place after it. Before, a client that
// missed 64 messages in a row was dropped and joined again, 26 MB behind
// at 100,000 EVs.
func TestServerConflatesASlowClient(t *testing.T) {
	s := newSim(t, 18*time.Hour)
	srv := NewServer(s, ServerOptions{Logger: quiet, QueueLen: 2})
	c := stuckClient(srv)

	var states [][]byte
	state := func() {
		s.Step(time.Minute)
		b := s.StateFrames()
		if len(b) != 1 {
			t.Fatalf("the test scenario's state is %d batches, want 1", len(b))
		}
		states = append(states, b[0])
		handOver(srv, b[0])
	}
	for range 5 {
		state() // 2 queued, 3 conflated
	}
	ack := []byte(`{"v":1,"type":"ack","id":"sp-1","status":"accepted","applied_kw":3}`)
	handOver(srv, ack)
	pause := pauseSignal(s.Now(), false)
	handOver(srv, pause)
	state()
	state()

	got := owed(c)
	want := []string{"state 1", "state 2", "ack", "begin 1", "set 1", "done 1", "pause", "begin 2", "set 2", "done 2"}
	if len(got) != len(want) {
		for i, m := range got {
			t.Logf("message %d: %.120s", i, m)
		}
		t.Fatalf("%d messages owed, want %d: %v", len(got), len(want), want)
	}
	for i, m := range got[:2] {
		if string(m) != string(states[i]) {
			t.Errorf("message %d is not state %d as queued", i, i+1)
		}
	}
	if string(got[2]) != string(ack) || string(got[6]) != string(pause) {
		t.Errorf("messages 3 and 7 = %s, %s; want the ack (ahead of the set) and the pause (after it)", got[2], got[6])
	}
	for _, tc := range []struct {
		begin, set, done []byte
		n                uint64
		latest           []byte
		feeders          int
		replaced         uint64
	}{
		{got[3], got[4], got[5], 1, states[4], 3 * 2, 2 * 3},
		{got[7], got[8], got[9], 2, states[6], 2 * 2, 1 * 3},
	} {
		for _, sig := range []struct {
			raw  []byte
			done bool
		}{{tc.begin, false}, {tc.done, true}} {
			fr, err := feeds.Decode(sig.raw)
			b, ok := fr.(*feeds.Batch)
			if err != nil || !ok || b.Conflated == nil || len(b.Frames) != 0 {
				t.Fatalf("set %d: signal %s: %v, want a batch of no frames with conflated", tc.n, sig.raw, err)
			}
			if cf := b.Conflated; cf.Set != tc.n || cf.Done != sig.done || cf.Replaced != tc.replaced || !cf.To.Equal(s.Now()) && tc.n == 2 {
				t.Errorf("set %d: signal %+v, want set %d, done %v, %d replaced", tc.n, *cf, tc.n, sig.done, tc.replaced)
			}
		}
		if got, want := chargersOf(t, tc.set), chargersOf(t, tc.latest); len(got) != 3 || len(got) != len(want) {
			t.Errorf("set %d holds %d chargers, want the 3", tc.n, len(got))
		} else {
			for id, f := range want {
				if got[id] != f {
					t.Errorf("set %d: %s is %s, want its latest %s", tc.n, id, got[id], f)
				}
			}
		}
		if n := strings.Count(string(tc.set), `"type":"feeder"`); n != tc.feeders {
			t.Errorf("set %d holds %d feeder frames, want every one, %d", tc.n, n, tc.feeders)
		}
	}
	if st := srv.Stats(); st.Sets != 2 || st.Conflated != 9 || st.Dropped != 0 {
		t.Errorf("stats %+v, want 2 sets, 9 frames conflated, none dropped", st)
	}
}

// TestServerDropsAClientOverItsBound: what cannot be conflated (a hello,
// a signal) still queues, up to MaxQueueBytes: a client owed more is
// dropped, counted, rather than held without bound.
func TestServerDropsAClientOverItsBound(t *testing.T) {
	s := newSim(t, 18*time.Hour)
	srv := NewServer(s, ServerOptions{Logger: quiet, QueueLen: 1, MaxQueueBytes: 1000})
	c := stuckClient(srv)
	hello := s.Hello()
	for range 1000/len(hello) + 2 {
		srv.mu.Lock()
		srv.enqueueLocked(c, hello)
		srv.mu.Unlock()
	}
	if st := srv.Stats(); st.Dropped != 1 || st.Clients != 0 {
		t.Errorf("stats %+v, want the client dropped", st)
	}
	if got := owed(c); len(got) != 0 {
		t.Errorf("a dropped client is still owed %d messages", len(got))
	}
}

// TestSplitReadsWhatTheServerSends: the split takes the sim's batches
// and a filtered client's (re-marshalled), and leaves whole anything
// else: a signal, a charger it does not know, a batch it cannot read.
func TestSplitReadsWhatTheServerSends(t *testing.T) {
	x := newChargerIndex([]string{"CP-1", `CP "2"`, "CP}3"})
	const ts = `"2024-02-04T18:00:00+08:00"`
	charger := func(idJSON string) string {
		return `{"v":1,"type":"charger","id":` + idJSON + `,"ts":` + ts + `,"state":"available","kw":0,"plugged":false}`
	}
	feeder := `{"v":1,"type":"feeder","id":"F01","ts":` + ts + `,"kw":12.5}`
	for _, tc := range []struct {
		name, msg string
		ok        bool
		chargers  []int32
	}{
		{"sim batch", batchHead + feeder + "," + charger(`"CP-1"`) + "," + charger(`"CP}3"`) + "]}", true, []int32{-1, 0, 2}},
		{"escaped id", batchHead + charger(`"CP \"2\""`) + "]}", true, []int32{1}},
		{"unicode-escaped id", batchHead + charger(`"CP-\u0031"`) + "]}", true, []int32{0}},
		{"unknown charger", batchHead + charger(`"CP-9"`) + "]}", false, nil},
		{"signal", conflatedHead + `{"set":1,"to":` + ts + `,"replaced":0}}`, false, nil},
		{"frames and a signal", batchHead + feeder + `],"pause":{"at":` + ts + `}}`, false, nil},
		{"an event", batchHead + `{"v":1,"type":"event","id":"DR-1"}]}`, false, nil},
		{"torn", batchHead + feeder[:20], false, nil},
		{"an ack", `{"v":1,"type":"ack","id":"x","status":"accepted","applied_kw":0}`, false, nil},
	} {
		frames, ok := x.split([]byte(tc.msg), nil)
		if ok != tc.ok {
			t.Errorf("%s: split ok = %v, want %v", tc.name, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if len(frames) != len(tc.chargers) {
			t.Fatalf("%s: %d frames, want %d", tc.name, len(frames), len(tc.chargers))
		}
		for i, f := range frames {
			if f.charger != tc.chargers[i] || `"`+string(f.ts)+`"` != ts || !json.Valid(f.raw) {
				t.Errorf("%s: frame %d = charger %d ts %s %s, want charger %d", tc.name, i, f.charger, f.ts, f.raw, tc.chargers[i])
			}
		}
	}

	// A filtered client's batch, re-marshalled by encoding/json.
	s := newSim(t, 18*time.Hour)
	srv := NewServer(s, ServerOptions{Logger: quiet})
	state := s.StateFrames()[0]
	filtered := srv.filtered(state, map[string]bool{"F01": true})
	frames, ok := srv.limits.chargers.split(filtered, nil)
	if !ok || len(frames) != 3 { // F01 and its two chargers
		t.Errorf("filtered batch %s: split %v into %d frames, want 3", filtered, ok, len(frames))
	}
}

// TestSetEncodedOffTheLockKeepsTheOrder: the writer encodes a set with the
// outbox unlocked, so the fan-out of the next steps does not wait for it
// (tens of milliseconds at 100,000 chargers). What comes meanwhile goes
// after that set: telemetry into the next set, and a signal after both.
func TestSetEncodedOffTheLockKeepsTheOrder(t *testing.T) {
	s := newSim(t, 18*time.Hour)
	srv := NewServer(s, ServerOptions{Logger: quiet, QueueLen: 1})
	c := stuckClient(srv)
	handOver(srv, s.StateFrames()[0]) // queued
	s.Step(time.Minute)
	handOver(srv, s.StateFrames()[0]) // set 1
	var pause []byte
	c.out.onSeal = func() {
		c.out.onSeal = nil
		s.Step(time.Minute)
		handOver(srv, s.StateFrames()[0]) // set 2: the client is behind while set 1 is encoded
		pause = pauseSignal(s.Now(), false)
		handOver(srv, pause) // after set 2, so after set 1
	}
	got := owedOpen(c)
	var kinds []string
	for _, m := range got {
		fr, err := feeds.Decode(m)
		b, ok := fr.(*feeds.Batch)
		switch {
		case err != nil || !ok:
			t.Fatalf("%s: %v", m, err)
		case b.Conflated != nil && b.Conflated.Done:
			kinds = append(kinds, fmt.Sprintf("done %d", b.Conflated.Set))
		case b.Conflated != nil:
			kinds = append(kinds, fmt.Sprintf("begin %d", b.Conflated.Set))
		case b.Pause != nil:
			kinds = append(kinds, "pause")
		default:
			kinds = append(kinds, "frames")
		}
	}
	if got, want := strings.Join(kinds, ", "), "frames, begin 1, frames, done 1, begin 2, frames, done 2, pause"; got != want {
		t.Errorf("owed %s\nwant %s", got, want)
	}
}
