package replay_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
)

// mixedRecording is 40 minutes of a simulation feed with what a backward
// seek must rebuild besides the load curves: two feeder samples in some
// minutes (a minute's history point is their mean, so one sent twice
// shows), a topology change that drops a charger and adds one, DR events
// (one updated), an ack, batches written in another key order (the index's
// slow path), and a charger whose frames stop before the seek point.
func mixedRecording(t *testing.T) *replay.Recording {
	t.Helper()
	t0 := time.Date(2024, 2, 4, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	hello := func(ts time.Time, chargers ...string) []byte {
		h := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Mixed", TimeZone: "Asia/Shanghai", TS: ts, Mode: "simulation",
			Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 100}, {ID: "F02", ImportLimitKW: 50}}}
		for i, id := range chargers {
			h.Chargers = append(h.Chargers, feeds.ChargerInfo{ID: id, Feeder: fmt.Sprintf("F0%d", 1+i%2), MaxChargeKW: 7, MaxDischargeKW: 7})
		}
		return js(h)
	}
	feeder := func(id string, ts time.Time, kw float64) []byte {
		return js(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: id, TS: ts, KW: kw})
	}
	charger := func(id string, ts time.Time, kw float64) []byte {
		soc := 0.3 + kw/100
		return js(feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: id, TS: ts, State: feeds.StateCharging, KW: kw, Plugged: true, SoC: &soc})
	}
	event := func(id, scope string, ts time.Time, kw float64) []byte {
		return js(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: id, Kind: feeds.EventImportCap, Scope: scope,
			Start: ts.Add(time.Hour), End: ts.Add(2 * time.Hour), KW: kw})
	}
	batch := func(members ...[]byte) []byte {
		parts := make([]string, len(members))
		for i, m := range members {
			parts[i] = string(m)
		}
		return []byte(`{"v":1,"type":"batch","frames":[` + strings.Join(parts, ",") + `]}`)
	}
	frames := [][]byte{hello(t0, "CP-1", "CP-2", "CP-3")}
	for i := range 40 {
		ts := t0.Add(time.Duration(i) * time.Minute)
		chargers := []string{"CP-1", "CP-2", "CP-3"}
		if i >= 12 {
			chargers = []string{"CP-1", "CP-2", "CP-4"}
		}
		if i == 12 {
			frames = append(frames, hello(ts, chargers...))
		}
		b := [][]byte{feeder("F01", ts, float64(50+i)), feeder("F02", ts, float64(20+i%5))}
		for k, id := range chargers {
			if id == "CP-2" && i > 17 {
				continue // silent from 16:18: its 16:17 frame must still be there
			}
			b = append(b, charger(id, ts, float64((i+k)%8)))
		}
		if i%10 == 4 {
			// another key order: not the index's canonical batch
			frames = append(frames, []byte(strings.Replace(string(batch(b...)), `{"v":1,"type":"batch",`, `{"type":"batch","v":1,`, 1)))
		} else {
			frames = append(frames, batch(b...))
		}
		if i%2 == 1 {
			frames = append(frames, feeder("F01", ts.Add(30*time.Second), float64(80+i)))
		}
		switch i {
		case 5:
			frames = append(frames, event("E1", "F01", ts, 90))
		case 8:
			frames = append(frames, js(feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: "sp-1", Charger: "CP-2", TS: ts, Status: feeds.AckAccepted, AppliedKW: 3}))
		case 9:
			frames = append(frames, event("E2", feeds.ScopeSystem, ts, 120))
		case 25:
			frames = append(frames, event("E1", "F01", ts, 85))
		}
	}
	path := filepath.Join(t.TempDir(), "mixed.v2grec")
	w := replay.NewRecorder(path, replay.RecorderOptions{Source: "test"})
	for _, f := range frames {
		w.HandleFrame(f)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := replay.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestSeekBackIsAFreshPlay seeks back from 16:39 to times before and after
// the topology change, the ack, the events and the index points, and each
// time compares the fleet with a fresh play to the same time.
func TestSeekBackIsAFreshPlay(t *testing.T) {
	rec := mixedRecording(t)
	late := rec.End().Add(-time.Second) // at the end itself the player ends
	sp := startSeekPlayer(t, rec, time.Time{})
	for _, m := range []int{37, 31, 20, 16, 14, 7, 0} {
		sp.seek(t, late)
		back := rec.Start().Add(time.Duration(m)*time.Minute + 20*time.Second)
		sp.seek(t, back)
		fresh := startSeekPlayer(t, rec, back)
		got, want := sp.fleet.Snapshot(), fresh.fleet.Snapshot()
		if got.Stats.RejectTotal() != 0 || want.Stats.RejectTotal() != 0 {
			t.Fatalf("back to 16:%02d: rejects %v and %v", m, got.Stats.Rejects, want.Stats.Rejects)
		}
		compareFleets(t, fmt.Sprintf("back to 16:%02d", m), got, want, rec.Start(), back.Add(time.Minute))
	}
	// the checks bite: at 16:31 the second event, the ack, the new charger
	// and the history from 16:00 are there
	sp.seek(t, late)
	sp.seek(t, rec.Start().Add(31*time.Minute))
	s := sp.fleet.Snapshot()
	if len(s.Events) != 2 {
		t.Errorf("%d events, want 2", len(s.Events))
	}
	if c, ok := s.Charger("CP-2"); !ok || c.LastAck == nil || !c.Seen {
		t.Errorf("CP-2 %+v: want its ack and its 16:17 frame", c)
	}
	if _, ok := s.Charger("CP-3"); ok {
		t.Error("CP-3 is there after the hello that dropped it")
	}
	if f, _ := s.Feeder("F01"); measured(f.History.Range(rec.Start(), rec.Start().Add(15*time.Minute))) != 15 {
		t.Errorf("F01 history before the 16:15 index point: %v", f.History.Range(rec.Start(), rec.Start().Add(15*time.Minute)))
	}
}
