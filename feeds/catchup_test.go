package feeds

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// catchUpDay is the simulated day of the catch-up tests: the feed is at
// 16:05 when its operator seeks to 19:00.
var catchUpDay = time.Date(2024, 1, 17, 16, 5, 0, 0, time.UTC)

func catchUpHello(mode string) []byte {
	return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T16:05:00Z","mode":"` + mode + `",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[{"id":"C1","feeder":"F1","max_charge_kw":11}]}`)
}

func catchUpSignal(seek int, to string, done bool) []byte {
	d := ""
	if done {
		d = `,"done":true`
	}
	return fmt.Appendf(nil, `{"v":1,"type":"batch","frames":[],"catch_up":{"seek":%d,"to":%q%s}}`, seek, to, d)
}

func feederAtHHMM(hhmm string) []byte {
	return []byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T` + hhmm + `:00Z","kw":50}`)
}

// newCatchUpFleet returns a fleet on its own data clock (a --feed desk's)
// that has heard the hello in mode and a feeder and a charger at 16:05.
func newCatchUpFleet(t *testing.T, mode string) (*Fleet, *time.Time) {
	t.Helper()
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }})
	fl.HandleLink(LinkEvent{Up: true, At: wall})
	fl.HandleFrame(catchUpHello(mode))
	fl.HandleFrame(feederAtHHMM("16:05"))
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"C1","ts":"2024-01-17T16:05:00Z","state":"charging","kw":7,"plugged":true}`))
	if s := fl.Snapshot(); s.Stats.RejectTotal() != 0 {
		t.Fatalf("rejects before the catch-up: %v (%s)", s.Stats.Rejects, s.Stats.LastReject)
	}
	return fl, &wall
}

// TestCatchUpSignalOnASimulatedFeed: the server's begin, the skipped
// span's loads and the state at the target, then its end. Between the two
// the snapshots say the feed is catching up and the clock keeps the time
// before the seek (so the charger, heard at 16:05, is not silent for
// hours); at the end the clock is at the target.
func TestCatchUpSignalOnASimulatedFeed(t *testing.T) {
	for _, mode := range []string{"simulation", "replay"} {
		t.Run(mode, func(t *testing.T) {
			fl, _ := newCatchUpFleet(t, mode)
			fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
			s := fl.Snapshot()
			if !s.CatchingUp || s.CatchUps != 1 {
				t.Fatalf("after the begin: CatchingUp %v, CatchUps %d; want true, 1", s.CatchingUp, s.CatchUps)
			}
			for _, at := range []string{"16:06", "17:30", "18:59"} {
				fl.HandleFrame(feederAtHHMM(at))
			}
			fl.HandleFrame([]byte(`{"v":1,"type":"batch","frames":[{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T19:00:00Z","kw":90},` +
				`{"v":1,"type":"charger","id":"C1","ts":"2024-01-17T19:00:00Z","state":"charging","kw":7,"plugged":true}]}`))
			s = fl.Snapshot()
			if !s.CatchingUp || !s.At.Equal(catchUpDay) {
				t.Errorf("mid-delivery: CatchingUp %v at %s, want true at 16:05 (the time before the seek)", s.CatchingUp, s.At.Format("15:04"))
			}
			if s.StaleChargers != 0 {
				t.Errorf("mid-delivery: %d stale chargers, want none", s.StaleChargers)
			}
			fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", true))
			s = fl.Snapshot()
			if s.CatchingUp || s.CatchUps != 1 || !s.At.Equal(catchUpDay.Add(175*time.Minute)) {
				t.Errorf("after the end: CatchingUp %v, CatchUps %d, at %s; want false, 1, 19:00", s.CatchingUp, s.CatchUps, s.At.Format("15:04"))
			}
			if s.Stats.BadCatchUps != 0 || s.Stats.RejectTotal() != 0 {
				t.Errorf("bad signals %d, rejects %v; want none", s.Stats.BadCatchUps, s.Stats.Rejects)
			}
			if h := s.Feeders[0].History.Range(catchUpDay, catchUpDay.Add(3*time.Hour)); len(h) == 0 {
				t.Error("no feeder history over the span")
			}
		})
	}
}

// TestCatchUpSignalNeverOnALiveFeed: a live feed runs on the wall clock
// and cannot skip hours: its catch_up signals are counted and ignored, and
// its data moves the clock as ever.
func TestCatchUpSignalNeverOnALiveFeed(t *testing.T) {
	for _, mode := range []string{"live", ""} {
		t.Run("mode="+mode, func(t *testing.T) {
			fl, _ := newCatchUpFleet(t, mode)
			fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
			if s := fl.Snapshot(); s.CatchingUp || s.CatchUps != 0 || s.Stats.BadCatchUps != 1 {
				t.Errorf("live feed after a begin: CatchingUp %v, CatchUps %d, bad %d; want false, 0, 1",
					s.CatchingUp, s.CatchUps, s.Stats.BadCatchUps)
			}
			fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", true))
			if s := fl.Snapshot(); s.CatchingUp || s.Stats.BadCatchUps != 2 {
				t.Errorf("live feed after an end: CatchingUp %v, bad %d; want false, 2", s.CatchingUp, s.Stats.BadCatchUps)
			}
		})
	}
	// A feed that turns live mid-catch-up stops catching up at once.
	fl, _ := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
	fl.HandleFrame(catchUpHello("live"))
	if s := fl.Snapshot(); s.CatchingUp {
		t.Error("a feed whose new hello says live still catching up")
	}
}

// TestCatchUpSignalBadOrOutOfOrder: each signal that does not fit the
// stream is counted and ignored, and nothing it could do holds the feed
// in a catch-up for ever.
func TestCatchUpSignalBadOrOutOfOrder(t *testing.T) {
	to := "2024-01-17T19:00:00Z"
	for _, tc := range []struct {
		name     string
		frames   [][]byte
		catching bool   // the last snapshot's CatchingUp
		begun    uint64 // CatchUps
		bad      uint64
	}{
		{"end without a begin", [][]byte{catchUpSignal(1, to, true)}, false, 0, 1},
		{"end of another seek", [][]byte{catchUpSignal(2, to, false), catchUpSignal(1, to, true)}, true, 1, 1},
		{"begin not after the last", [][]byte{catchUpSignal(2, to, false), catchUpSignal(2, to, true), catchUpSignal(1, to, false)}, false, 1, 1},
		{"same begin twice", [][]byte{catchUpSignal(3, to, false), catchUpSignal(3, to, false)}, true, 1, 1},
		{"target not after the data", [][]byte{catchUpSignal(1, "2024-01-17T16:05:00Z", false)}, false, 0, 1},
		{"target over a day ahead", [][]byte{catchUpSignal(1, "2024-01-18T16:06:00Z", false)}, false, 0, 1},
		{"a later begin ends a lost end's", [][]byte{catchUpSignal(1, to, false), catchUpSignal(2, "2024-01-17T20:00:00Z", false)}, true, 2, 0},
		// The stream went on past the target without an end: the
		// catch-up is over, and its data moves the clock.
		{"frames past the target", [][]byte{catchUpSignal(1, to, false), feederAtHHMM("18:00"), feederAtHHMM("19:01")}, false, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fl, _ := newCatchUpFleet(t, "simulation")
			for _, f := range tc.frames {
				fl.HandleFrame(f)
			}
			s := fl.Snapshot()
			if s.CatchingUp != tc.catching || s.CatchUps != tc.begun || s.Stats.BadCatchUps != tc.bad {
				t.Errorf("CatchingUp %v, CatchUps %d, bad %d; want %v, %d, %d",
					s.CatchingUp, s.CatchUps, s.Stats.BadCatchUps, tc.catching, tc.begun, tc.bad)
			}
			if s.Stats.RejectTotal() != 0 {
				t.Errorf("rejects %v (%s): a signal that does not fit is not a bad frame", s.Stats.Rejects, s.Stats.LastReject)
			}
		})
	}
	t.Run("frames past the target move the clock", func(t *testing.T) {
		fl, _ := newCatchUpFleet(t, "simulation")
		fl.HandleFrame(catchUpSignal(1, to, false))
		fl.HandleFrame(feederAtHHMM("18:00"))
		fl.HandleFrame(feederAtHHMM("19:01"))
		if s := fl.Snapshot(); !s.At.Equal(catchUpDay.Add(176 * time.Minute)) {
			t.Errorf("clock %s, want 19:01", s.At.Format("15:04"))
		}
	})
}

// TestCatchUpSignalEndsWithItsLink: a connection lost mid-catch-up ends
// it (its frames are what there is), and the next connection, whose server
// may have restarted, numbers its seeks from 1 again.
func TestCatchUpSignalEndsWithItsLink(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(catchUpSignal(5, "2024-01-17T19:00:00Z", false))
	fl.HandleFrame(feederAtHHMM("18:00"))
	fl.HandleLink(LinkEvent{At: *wall})
	s := fl.Snapshot()
	if s.CatchingUp || !s.At.Equal(catchUpDay.Add(115*time.Minute)) {
		t.Errorf("after the link went down: CatchingUp %v at %s; want false at 18:00, the last data", s.CatchingUp, s.At.Format("15:04"))
	}
	fl.HandleLink(LinkEvent{Up: true, At: *wall})
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T20:00:00Z", false))
	if s := fl.Snapshot(); !s.CatchingUp || s.CatchUps != 2 || s.Stats.BadCatchUps != 0 {
		t.Errorf("seek 1 on a new link: CatchingUp %v, CatchUps %d, bad %d; want true, 2, 0", s.CatchingUp, s.CatchUps, s.Stats.BadCatchUps)
	}
}

// TestCatchUpSignalIgnoredInProcess: a fleet whose source reports its
// seeks in process (FleetOptions.CatchingUp) follows that source only; a
// recording's copy of a server's signals is neither followed nor counted.
func TestCatchUpSignalIgnoredInProcess(t *testing.T) {
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }, CatchingUp: func() (uint64, bool) { return 7, false }})
	fl.HandleFrame(catchUpHello("replay"))
	fl.HandleFrame(feederAtHHMM("16:05"))
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
	fl.HandleFrame(feederAtHHMM("18:00"))
	s := fl.Snapshot()
	if s.CatchingUp || s.CatchUps != 7 || s.Stats.BadCatchUps != 0 || !s.At.Equal(catchUpDay.Add(115*time.Minute)) {
		t.Errorf("CatchingUp %v, CatchUps %d, bad %d, at %s; want the source's false, 7, none counted, 18:00",
			s.CatchingUp, s.CatchUps, s.Stats.BadCatchUps, s.At.Format("15:04"))
	}
}

// TestCatchUpSignalDecode: the signal's fields are checked as any frame's,
// and a batch with a malformed one is rejected naming the field.
func TestCatchUpSignalDecode(t *testing.T) {
	fr, err := Decode(catchUpSignal(3, "2024-01-17T19:00:00+08:00", true))
	if err != nil {
		t.Fatal(err)
	}
	b := fr.(*Batch)
	if b.CatchUp == nil || b.CatchUp.Seek != 3 || !b.CatchUp.Done || !b.CatchUp.To.Equal(time.Date(2024, 1, 17, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", b.CatchUp)
	}
	if fr, err := Decode([]byte(`{"v":1,"type":"batch","frames":[],"catch_up":null}`)); err != nil || fr.(*Batch).CatchUp != nil {
		t.Errorf("catch_up null: %v, %+v; want no signal", err, fr)
	}
	back, err := Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := Decode(back); err != nil || *again.(*Batch).CatchUp != *b.CatchUp {
		t.Errorf("round trip %s: %v", back, err)
	}
	for _, tc := range []struct {
		catchUp string
		reason  RejectReason
		detail  string
	}{
		{`"yes"`, RejectBadJSON, "catch_up: want an object"},
		{`{"to":"2024-01-17T19:00:00Z"}`, RejectMissingField, "seek missing"},
		{`{"seek":0,"to":"2024-01-17T19:00:00Z"}`, RejectOutOfRange, "seek 0 below 1"},
		{`{"seek":1.5,"to":"2024-01-17T19:00:00Z"}`, RejectOutOfRange, "seek 1.5 is not a whole number"},
		{`{"seek":"1","to":"2024-01-17T19:00:00Z"}`, RejectBadJSON, "seek: want a number"},
		{`{"seek":1}`, RejectBadTime, "to missing"},
		{`{"seek":1,"to":"19:00"}`, RejectBadTime, `to "19:00"`},
		{`{"seek":1,"to":"2024-01-17T19:00:00Z","done":"yes"}`, RejectBadJSON, "done: want true or false"},
	} {
		raw := `{"v":1,"type":"batch","frames":[],"catch_up":` + tc.catchUp + `}`
		_, err := Decode([]byte(raw))
		if r, _ := ReasonOf(err); r != tc.reason || !strings.Contains(err.Error(), tc.detail) {
			t.Errorf("%s: %v, want %s naming %q", raw, err, tc.reason, tc.detail)
		}
	}
	// Counted as any bad frame, and the fleet carries on.
	fl, _ := newCatchUpFleet(t, "simulation")
	fl.HandleFrame([]byte(`{"v":1,"type":"batch","frames":[],"catch_up":{"seek":1}}`))
	if s := fl.Snapshot(); s.Stats.Rejects[RejectBadTime] != 1 || s.CatchingUp {
		t.Errorf("rejects %v, CatchingUp %v; want one bad_time, not catching up", s.Stats.Rejects, s.CatchingUp)
	}
	if err := validateFrame(&Batch{Header: NewHeader(TypeBatch), CatchUp: &CatchUpSignal{To: catchUpDay}}); err == nil {
		t.Error("a Go batch with catch_up seek 0 validates")
	}
}

// catchingSink is a notifySink that also notes whether any snapshot taken
// after a message said the feed was catching up.
type catchingSink struct {
	*notifySink
	mu     sync.Mutex
	caught int
}

func (s *catchingSink) HandleFrame(raw []byte) {
	s.fl.HandleFrame(raw)
	if s.fl.Snapshot().CatchingUp {
		s.mu.Lock()
		s.caught++
		s.mu.Unlock()
	}
	s.frames <- string(raw)
}

// TestCatchUpSignalsOverTheWire: a live feed over a websocket that sends
// catch_up signals, a malformed one and an out-of-order end among its
// measurements: the desk never catches up, counts each signal, rejects the
// malformed batch naming its field, and stays connected. The same signals
// on a simulated feed do mark it catching up.
func TestCatchUpSignalsOverTheWire(t *testing.T) {
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		mode               string
		caught, bad, begun int
	}{
		{"live", 0, 4, 0},
		{"simulation", 4, 2, 1}, // from the begin to its end
	} {
		t.Run(tc.mode, func(t *testing.T) {
			msgs := []string{
				strings.Replace(string(catchUpHello(tc.mode)), "2024-01-17T16:05:00Z", "2026-11-27T01:00:00Z", 1),
				`{"v":1,"type":"feeder","id":"F1","ts":"2026-11-27T01:00:00Z","kw":50}`,
				string(catchUpSignal(2, "2026-11-27T04:00:00Z", true)), // an end of nothing
				string(catchUpSignal(2, "2026-11-27T04:00:00Z", false)),
				`{"v":1,"type":"feeder","id":"F1","ts":"2026-11-27T03:00:00Z","kw":50}`,
				`{"v":1,"type":"batch","frames":[],"catch_up":{"seek":"two","to":"2026-11-27T04:00:00Z"}}`,
				string(catchUpSignal(1, "2026-11-27T05:00:00Z", false)), // out of order
				string(catchUpSignal(2, "2026-11-27T04:00:00Z", true)),
			}
			srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
				for _, m := range msgs {
					c.WriteMessage(websocket.TextMessage, []byte(m))
				}
				holdOpen(c, release)
			})
			sink := &catchingSink{notifySink: newNotifySink(FleetOptions{Wall: func() time.Time { return wall }})}
			runSub(t, NewSubscriber(srv.url(), testSubOptions()), sink)
			sink.waitLink(t)
			sink.waitFrames(t, len(msgs))
			s := sink.fl.Snapshot()
			sink.mu.Lock()
			caught := sink.caught
			sink.mu.Unlock()
			if caught != tc.caught || s.CatchingUp || s.CatchUps != uint64(tc.begun) || s.Stats.BadCatchUps != uint64(tc.bad) {
				t.Errorf("%d snapshots catching up, now %v, %d begun, %d bad signals; want %d, false, %d, %d",
					caught, s.CatchingUp, s.CatchUps, s.Stats.BadCatchUps, tc.caught, tc.begun, tc.bad)
			}
			if s.Stats.Rejects[RejectBadJSON] != 1 || !strings.Contains(s.Stats.LastReject, "batch catch_up: seek") || !s.Stats.Connected {
				t.Errorf("rejects %v (%s), connected %v; want the malformed signal's batch as bad_json, still connected",
					s.Stats.Rejects, s.Stats.LastReject, s.Stats.Connected)
			}
		})
	}
}

// TestBadCatchUpLogInSiteTime: the warning for an ignored signal gives its
// target and the data time in the site's zone (the hello's tz), as the
// desk shows times; they read in UTC, eight hours off the desk's clock.
func TestBadCatchUpLogInSiteTime(t *testing.T) {
	var logged strings.Builder
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"Asia/Shanghai","ts":"2024-01-17T08:05:00Z","mode":"live",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[{"id":"C1","feeder":"F1","max_charge_kw":11}]}`))
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T11:00:00Z", false))
	if s := fl.Snapshot(); s.Stats.BadCatchUps != 1 {
		t.Fatalf("bad catch-ups %d, want 1 (a signal on a live feed)", s.Stats.BadCatchUps)
	}
	for _, want := range []string{"catch_up signal ignored: on a live feed", "to=2024-01-17T19:00:00+08:00", "data_time=2024-01-17T16:05:00+08:00"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log %q lacks %q", logged.String(), want)
		}
	}
}
