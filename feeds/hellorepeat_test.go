package feeds

import (
	"strings"
	"testing"
	"time"
)

// TestHelloRepeatNotAppliedAgain: a hello identical to the one the fleet
// holds but for its ts (the hello answering subscribe, the simulator's
// time spliced in) is counted, not decoded and applied again: the hook
// does not run, the values stay. One that differs in anything else (a
// charger's bounds) is applied, and so is one after a hello built in Go.
func TestHelloRepeatNotAppliedAgain(t *testing.T) {
	var hellos int
	fl, _ := newTestFleet(t, FleetOptions{OnHello: func(Hello) { hellos++ }})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(chargerJSON))
	repeat := strings.Replace(helloJSON, `"ts":"2024-02-04T18:00:00+08:00"`, `"ts":"2024-02-04T18:00:30+08:00"`, 1)
	if repeat == helloJSON {
		t.Fatal("test hello has no ts to change")
	}
	fl.HandleFrame([]byte(repeat))
	s := fl.Snapshot()
	if hellos != 1 || s.Stats.HelloRepeats != 1 {
		t.Errorf("after a repeated hello: hook ran %d times, %d repeats; want 1 and 1", hellos, s.Stats.HelloRepeats)
	}
	if s.Stats.Frames != 3 || s.Stats.RejectTotal() != 0 || s.Stats.Bytes != uint64(len(helloJSON)+len(chargerJSON)+len(repeat)) {
		t.Errorf("after a repeated hello: %d frames, %d bytes, rejects %v; want 3 accepted, every byte counted",
			s.Stats.Frames, s.Stats.Bytes, s.Stats.Rejects)
	}
	if c, _ := s.Charger("CP-1"); !c.Seen || c.Last.KW != 7.4 {
		t.Errorf("CP-1 after a repeated hello: %+v, want its 7.4 kW kept", c)
	}

	changed := strings.Replace(repeat, `"max_charge_kw":22`, `"max_charge_kw":21`, 1)
	fl.HandleFrame([]byte(changed))
	s = fl.Snapshot()
	if c, _ := s.Charger("CP-3"); hellos != 2 || s.Stats.HelloRepeats != 1 || c.MaxChargeKW != 21 {
		t.Errorf("after a hello with CP-3 at 21 kW: hook ran %d times, %d repeats, CP-3 %g kW; want it applied",
			hellos, s.Stats.HelloRepeats, c.MaxChargeKW)
	}
	// The first again: it differs from the one now held.
	fl.HandleFrame([]byte(helloJSON))
	if c, _ := fl.Snapshot().Charger("CP-3"); hellos != 3 || c.MaxChargeKW != 22 {
		t.Errorf("back to the first hello: hook ran %d times, CP-3 %g kW; want it applied, 22 kW", hellos, c.MaxChargeKW)
	}

	// A hello applied from Go leaves no digest: the same topology as JSON
	// afterwards is applied, not taken for a repeat of a hello never seen.
	h, err := Decode([]byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Apply(h); err != nil {
		t.Fatal(err)
	}
	fl.HandleFrame([]byte(changed))
	if s := fl.Snapshot(); hellos != 5 || s.Stats.HelloRepeats != 1 {
		t.Errorf("after Apply then the same hello as JSON: hook ran %d times, %d repeats; want 5 and 1", hellos, s.Stats.HelloRepeats)
	}
}

// TestHelloRepeatTime: a repeated hello's ts still counts: it moves the
// data clock of a simulated feed, one from over RestartBack before the data
// held starts a new day (the simulator restarted at an earlier hour with
// the same scenario), and a ts that does not parse is rejected as any
// hello's would be, the topology kept.
func TestHelloRepeatTime(t *testing.T) {
	now := time.Date(2026, 11, 26, 18, 30, 0, 0, time.UTC)
	hello := func(ts string) []byte {
		return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"` + ts + `","mode":"simulation",
			"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[{"id":"C1","feeder":"F1","max_charge_kw":7}]}`)
	}
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return now }})
	fl.HandleFrame(hello("2024-01-17T18:20:00Z"))
	fl.HandleFrame(hello("2024-01-17T18:25:00Z"))
	at := time.Date(2024, 1, 17, 18, 25, 0, 0, time.UTC)
	if s := fl.Snapshot(); s.Stats.HelloRepeats != 1 || !s.At.Equal(at) {
		t.Fatalf("after a repeat at 18:25: %d repeats, At %s; want 1, %s", s.Stats.HelloRepeats, s.At, at)
	}

	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T18:31:00Z","kw":50}`))
	fl.HandleFrame(hello("2024-01-17T18:20:00Z"))
	s := fl.Snapshot()
	if s.Stats.HelloRepeats != 2 || s.Stats.Resets != 1 || s.Feeders[0].Seen {
		t.Errorf("a repeat from 18:20 after data at 18:31: %d repeats, %d resets, F1 seen %v; want a new day, F1 forgotten",
			s.Stats.HelloRepeats, s.Stats.Resets, s.Feeders[0].Seen)
	}

	fl.HandleFrame(hello("2024-01-17 18:40"))
	s = fl.Snapshot()
	if s.Stats.Rejects[RejectBadTime] != 1 || s.Stats.HelloRepeats != 2 || s.NumChargers() != 1 {
		t.Errorf("a repeat with a bad ts: rejects %v, %d repeats, %d chargers; want bad_time, the topology kept",
			s.Stats.Rejects, s.Stats.HelloRepeats, s.NumChargers())
	}
}

// TestLeadingType: the type is read from the first members only, so a
// measurement batch costs no scan of its frames, and anything unusual is
// left to Decode.
func TestLeadingType(t *testing.T) {
	pad := strings.Repeat("x", typeScanLimit)
	for _, tt := range []struct {
		raw  string
		want FrameType
	}{
		{helloJSON, TypeHello},
		{` { "v" : 1 , "type" : "hello" }`, TypeHello},
		{`{"v":1,"type":"batch","frames":[` + helloJSON + `]}`, TypeBatch},
		{`{"v":1,"pad":"` + pad + `","type":"hello"}`, ""},
		{`{"v":1,"ty\u0070e":"hello"}`, ""},
		{`{"v":1,"site":"S"}`, ""},
		{`{"v":1 "type":"hello"}`, ""},
		{`["hello"]`, ""},
		{``, ""},
	} {
		if got := leadingType([]byte(tt.raw)); got != tt.want {
			t.Errorf("leadingType(%.60q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
