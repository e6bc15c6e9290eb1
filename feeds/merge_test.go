package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// step is one thing a scriptedSource does; done is closed once the sink
// call it makes has returned (for an end: just before Run returns).
type step struct {
	frame []byte
	link  *LinkEvent
	end   bool
	err   error
	done  chan struct{}
}

// scriptedSource does what the test tells it, one step at a time.
type scriptedSource struct{ steps chan step }

func newScripted() *scriptedSource { return &scriptedSource{steps: make(chan step)} }

func (s *scriptedSource) Run(ctx context.Context, sink Sink) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case st := <-s.steps:
			switch {
			case st.end:
				close(st.done)
				return st.err
			case st.link != nil:
				sink.HandleLink(*st.link)
			default:
				sink.HandleFrame(st.frame)
			}
			close(st.done)
		}
	}
}

func (s *scriptedSource) do(st step) {
	st.done = make(chan struct{})
	s.steps <- st
	<-st.done
}

func (s *scriptedSource) send(t *testing.T, f Frame) {
	t.Helper()
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	s.do(step{frame: b})
}

func (s *scriptedSource) up()            { s.do(step{link: &LinkEvent{Up: true, At: t0m}}) }
func (s *scriptedSource) down(err error) { s.do(step{link: &LinkEvent{At: t0m, Err: err}}) }
func (s *scriptedSource) end(err error)  { s.do(step{end: true, err: err}) }

var t0m = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// linkSink is a Fleet that also records the link events it is given.
type linkSink struct {
	*Fleet
	mu    sync.Mutex
	links []LinkEvent
}

func (l *linkSink) HandleLink(ev LinkEvent) {
	l.mu.Lock()
	l.links = append(l.links, ev)
	l.mu.Unlock()
	l.Fleet.HandleLink(ev)
}

func (l *linkSink) events() []LinkEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.links)
}

// mergeRun is a Merger running into a Fleet.
type mergeRun struct {
	m      *Merger
	sink   *linkSink
	srcs   map[string]*scriptedSource
	cancel context.CancelFunc
	done   chan error
}

// startMerge runs a Merger over scripted sources named names, in that order.
// Cleanup cancels it and waits for Run to return.
func startMerge(t *testing.T, names ...string) *mergeRun {
	t.Helper()
	r := &mergeRun{srcs: map[string]*scriptedSource{}, done: make(chan error, 1)}
	var ns []NamedSource
	for _, n := range names {
		s := newScripted()
		r.srcs[n] = s
		ns = append(ns, NamedSource{Name: n, Source: s})
	}
	r.m = Merge(ns, MergeOptions{Now: func() time.Time { return t0m }})
	r.sink = &linkSink{Fleet: NewFleet(FleetOptions{Clock: func() time.Time { return t0m }})}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- r.m.Run(ctx, r.sink) }()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func hello(site string, feeders []string, chargers ...[2]string) *Hello {
	h := &Hello{Header: NewHeader(TypeHello), Site: site, TimeZone: "UTC", TS: t0m, Mode: "live",
		Feeders: []FeederInfo{}, Chargers: []ChargerInfo{}}
	for _, f := range feeders {
		h.Feeders = append(h.Feeders, FeederInfo{ID: f, ImportLimitKW: 500})
	}
	for _, c := range chargers {
		h.Chargers = append(h.Chargers, ChargerInfo{ID: c[0], Feeder: c[1], MaxChargeKW: 22})
	}
	return h
}

func charger(id string, kw float64) *ChargerFrame {
	return &ChargerFrame{Header: NewHeader(TypeCharger), ID: id, TS: t0m, State: StateCharging, KW: kw, Plugged: true}
}

// topologyOf lists the snapshot's charger ids (sorted) and feeder ids (in order).
func topologyOf(s *Snapshot) (chargers, feeders []string) {
	for i := range s.NumChargers() {
		chargers = append(chargers, s.ChargerAt(i).ID)
	}
	slices.Sort(chargers)
	for _, f := range s.Feeders {
		feeders = append(feeders, f.ID)
	}
	return chargers, feeders
}

func kwOf(t *testing.T, s *Snapshot, id string) float64 {
	t.Helper()
	c, ok := s.Charger(id)
	if !ok || !c.Seen {
		t.Fatalf("charger %s: in topology %v, seen %v", id, ok, c.Seen)
	}
	return c.Last.KW
}

// TestMergeHellos: the hellos of two sources reach the sink as their union,
// whichever comes first; a feeder that chargers name and no hello declares
// is declared without a limit; frames of both sources reach the sink; a
// later hello of one source replaces only its own part.
func TestMergeHellos(t *testing.T) {
	for _, tt := range []struct {
		name      string
		ocppFirst bool
		synth     int // F9; and F2 until the feed declares it
	}{{"feed first", false, 1}, {"ocpp first", true, 2}} {
		t.Run(tt.name, func(t *testing.T) {
			r := startMerge(t, "feed", "ocpp")
			feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
			hf := hello("depot", []string{"F1", "F2"}, [2]string{"A", "F1"}, [2]string{"B", "F1"})
			ho := hello("ocpp", nil, [2]string{"C", "F2"}, [2]string{"D", "F9"})
			if tt.ocppFirst {
				ocpp.send(t, ho)
				feed.send(t, hf)
			} else {
				feed.send(t, hf)
				ocpp.send(t, ho)
			}
			s := r.sink.Snapshot()
			ch, fd := topologyOf(s)
			if !slices.Equal(ch, []string{"A", "B", "C", "D"}) || !slices.Equal(fd, []string{"F1", "F2", "F9"}) {
				t.Fatalf("topology: chargers %v, feeders %v; want A-D on F1, F2 and F9", ch, fd)
			}
			if s.Site != "depot" {
				t.Errorf("site %q, want the first source's %q", s.Site, "depot")
			}
			if f9, _ := s.Feeder("F9"); f9.ImportLimitKW != 0 {
				t.Errorf("synthesised feeder F9 has limit %v, want 0 (none known)", f9.ImportLimitKW)
			}
			if f2, _ := s.Feeder("F2"); f2.ImportLimitKW != 500 || f2.Chargers != 1 {
				t.Errorf("F2 %+v: want the feed's declaration (500 kW) with charger C", f2.FeederInfo)
			}

			feed.send(t, charger("A", 7))
			ocpp.send(t, charger("C", 11))
			ocpp.send(t, charger("D", 3.5))
			s = r.sink.Snapshot()
			if a, c, d := kwOf(t, s, "A"), kwOf(t, s, "C"), kwOf(t, s, "D"); a != 7 || c != 11 || d != 3.5 {
				t.Errorf("kW A %v C %v D %v, want 7, 11, 3.5", a, c, d)
			}

			// OCPP's D is removed from its config: only D leaves.
			ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F2"}))
			s = r.sink.Snapshot()
			ch, fd = topologyOf(s)
			if !slices.Equal(ch, []string{"A", "B", "C"}) || !slices.Equal(fd, []string{"F1", "F2"}) {
				t.Fatalf("after OCPP's second hello: chargers %v, feeders %v", ch, fd)
			}
			if kwOf(t, s, "A") != 7 || kwOf(t, s, "C") != 11 {
				t.Error("chargers that stayed lost their values")
			}
			st := r.m.Stats()
			if st.Synthesised != tt.synth || st.Collisions != 0 || st.Shadowed != 0 || st.Hellos != 3 {
				t.Errorf("stats %+v, want %d synthesised feeders, no collision, 3 merged hellos", st, tt.synth)
			}
			if n := s.Stats.RejectTotal(); n != 0 {
				t.Errorf("%d frames rejected: %s", n, s.Stats.LastReject)
			}
		})
	}
}

// TestMergeCollision: a charger id two sources declare belongs to the earlier
// source in Merge's order, whoever says hello first; the collision is
// counted once and the later source's frames for it are dropped and counted,
// alone or in a batch.
func TestMergeCollision(t *testing.T) {
	for _, tt := range []struct {
		name      string
		ocppFirst bool
	}{{"feed first", false}, {"ocpp first", true}} {
		t.Run(tt.name, func(t *testing.T) {
			r := startMerge(t, "feed", "ocpp")
			feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
			hf := hello("depot", []string{"F1"}, [2]string{"A", "F1"})
			ho := hello("ocpp", nil, [2]string{"A", "F1"}, [2]string{"C", "F1"})
			if tt.ocppFirst {
				ocpp.send(t, ho)
				feed.send(t, hf)
			} else {
				feed.send(t, hf)
				ocpp.send(t, ho)
			}
			feed.send(t, charger("A", 5))
			ocpp.send(t, charger("A", 99))
			ocpp.send(t, batchOf(t, charger("A", 98), charger("C", 4)))
			// The same hello again is no new collision.
			ocpp.send(t, ho)

			s := r.sink.Snapshot()
			if a, c := kwOf(t, s, "A"), kwOf(t, s, "C"); a != 5 || c != 4 {
				t.Errorf("A %v kW (want the feed's 5), C %v kW (want 4)", a, c)
			}
			st := r.m.Stats()
			if st.Collisions != 1 || st.Shadowed != 2 {
				t.Errorf("stats %+v, want 1 collision and 2 shadowed frames", st)
			}
			links := r.m.Links()
			if links[0].Chargers != 1 || links[1].Chargers != 1 || links[1].Shadowed != 2 {
				t.Errorf("links %+v: want feed owning A, ocpp owning C with 2 frames shadowed", links)
			}
			if n := s.Stats.RejectTotal(); n != 0 {
				t.Errorf("%d frames rejected: %s", n, s.Stats.LastReject)
			}
		})
	}
}

func batchOf(t *testing.T, frames ...Frame) *Batch {
	t.Helper()
	b := &Batch{Header: NewHeader(TypeBatch)}
	for _, f := range frames {
		raw, err := Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Frames = append(b.Frames, json.RawMessage(raw))
	}
	return b
}

// TestMergeHelloInBatch: a hello inside a batch is merged too, and the
// frames after it in the batch apply under the merged topology.
func TestMergeHelloInBatch(t *testing.T) {
	r := startMerge(t, "feed", "ocpp")
	r.srcs["feed"].send(t, hello("depot", []string{"F1"}, [2]string{"A", "F1"}))
	r.srcs["ocpp"].send(t, batchOf(t, hello("ocpp", nil, [2]string{"C", "F1"}), charger("C", 2)))
	s := r.sink.Snapshot()
	if ch, _ := topologyOf(s); !slices.Equal(ch, []string{"A", "C"}) {
		t.Fatalf("chargers %v, want A and C", ch)
	}
	if kwOf(t, s, "C") != 2 {
		t.Error("the batch's charger frame did not apply")
	}
}

// TestMergeLink: the merged link is up while any source is up, and goes
// down (naming every source's error) only when the last one does.
func TestMergeLink(t *testing.T) {
	r := startMerge(t, "feed", "ocpp")
	feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
	errDial := errors.New("dial refused")
	errLost := errors.New("connection lost")

	feed.up()
	ocpp.up()
	feed.down(errDial)
	if ev := r.sink.events(); len(ev) != 1 || !ev[0].Up {
		t.Fatalf("events %+v: want one Up while either source is up", ev)
	}
	if !r.sink.Snapshot().Stats.Connected {
		t.Error("fleet not connected while OCPP is up")
	}
	if l := r.m.Links(); l[0].Up || !errors.Is(l[0].Err, errDial) || !l[1].Up {
		t.Errorf("links %+v: want feed down with its error, ocpp up", l)
	}
	ocpp.down(errLost)
	ev := r.sink.events()
	if len(ev) != 2 || ev[1].Up || !errors.Is(ev[1].Err, errDial) || !errors.Is(ev[1].Err, errLost) ||
		!strings.Contains(ev[1].Err.Error(), "feed: dial refused") || !strings.Contains(ev[1].Err.Error(), "ocpp: connection lost") {
		t.Fatalf("events %+v: want Down naming both sources' errors", ev)
	}
	feed.up()
	if ev := r.sink.events(); len(ev) != 3 || !ev[2].Up || r.sink.Snapshot().Stats.Reconnects != 1 {
		t.Fatalf("events %+v: want Up again, counted as a reconnect", ev)
	}
}

// TestMergeSourceEnds: one source ending or failing does not stop the
// others; Run returns when all have ended, naming the failures.
func TestMergeSourceEnds(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name             string
		feedErr, ocppErr error
		want             error
		wantText         string
	}{
		{"feed fails, ocpp ends cleanly", errBoom, nil, errBoom, "feed: boom"},
		{"both end cleanly", nil, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startMerge(t, "feed", "ocpp")
			feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
			feed.up()
			ocpp.up()
			feed.send(t, hello("depot", []string{"F1"}, [2]string{"A", "F1"}))
			ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}))
			feed.end(tt.feedErr)
			// The other source goes on: its frames still arrive.
			ocpp.send(t, charger("C", 6))
			s := r.sink.Snapshot()
			if kwOf(t, s, "C") != 6 || !s.Stats.Connected {
				t.Fatalf("after the feed ended: C %v, connected %v", kwOf(t, s, "C"), s.Stats.Connected)
			}
			if ch, _ := topologyOf(s); !slices.Equal(ch, []string{"A", "C"}) {
				t.Errorf("chargers %v: the ended source's chargers must stay", ch)
			}
			ocpp.end(tt.ocppErr)
			err := <-r.done
			r.done <- err // for the cleanup
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Run returned %v, want %v", err, tt.want)
			}
			if tt.wantText != "" && !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Run's error %q does not name the source (%q)", err, tt.wantText)
			}
			l := r.m.Links()
			if !l[0].Ended || !l[1].Ended || l[0].Up || l[1].Up || !errors.Is(l[0].Err, tt.feedErr) {
				t.Errorf("links %+v", l)
			}
			ev := r.sink.events()
			if last := ev[len(ev)-1]; last.Up || len(ev) != 2 {
				t.Errorf("events %+v: want Up, then Down when the last source ended", ev)
			}
		})
	}
}

// TestMergeCancel: cancelling returns ctx.Err() after every source returned.
func TestMergeCancel(t *testing.T) {
	r := startMerge(t, "feed", "ocpp")
	r.srcs["feed"].up()
	r.cancel()
	err := <-r.done
	r.done <- err
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if ev := r.sink.events(); len(ev) != 2 || ev[1].Up {
		t.Errorf("events %+v: want Up then Down", ev)
	}
}

// TestMergeRunTwice: one Run at a time.
func TestMergeRunTwice(t *testing.T) {
	r := startMerge(t, "feed")
	r.srcs["feed"].up() // Run has started
	if err := r.m.Run(context.Background(), NewFleet(FleetOptions{})); !errors.Is(err, ErrMergeRunning) {
		t.Fatalf("second Run: %v, want ErrMergeRunning", err)
	}
}

// TestMergeBadHello: a hello that does not decode reaches the sink as it
// is (counted there as a reject) and changes nothing.
func TestMergeBadHello(t *testing.T) {
	r := startMerge(t, "feed", "ocpp")
	r.srcs["feed"].send(t, hello("depot", []string{"F1"}, [2]string{"A", "F1"}))
	r.srcs["ocpp"].do(step{frame: []byte(`{"v":1,"type":"hello","site":"ocpp","ts":"2026-11-26T18:00:00Z","feeders":[],"chargers":[{"id":"C","max_charge_kw":11}]}`)})
	s := r.sink.Snapshot()
	if ch, _ := topologyOf(s); !slices.Equal(ch, []string{"A"}) {
		t.Errorf("chargers %v, want A alone", ch)
	}
	if s.Stats.Rejects[RejectMissingField] != 1 || r.m.Stats().Hellos != 1 {
		t.Errorf("rejects %v, merged hellos %d: want the bad hello counted by the sink", s.Stats.Rejects, r.m.Stats().Hellos)
	}
}

func TestPeekFrame(t *testing.T) {
	tests := []struct {
		raw     string
		typ, id string
		ok      bool
	}{
		{`{"v":1,"type":"charger","id":"A","kw":1}`, "charger", "A", true},
		{`{"id":"B","type":"feeder"}`, "feeder", "B", true},
		{`{"\u0074ype":"hello","site":"x"}`, "hello", "", true}, // escaped name: the slow path
		{`{"type":"h\u0065llo"}`, "hello", "", true},
		{`{"type":"charger","id":"\u00c5-1"}`, "charger", "\u00c5-1", true},
		{`{"type":"charger","id":"A","id":"Z"}`, "charger", "Z", true},
		{`{"type":"telemetry","id":7}`, "", "", true},
		{`[1,2]`, "", "", false},
		{`{"type":`, "", "", false},
	}
	for _, tt := range tests {
		typ, id, ok := peekFrame([]byte(tt.raw))
		want := tt.id
		if strings.Contains(want, `\u`) {
			var s string
			if err := json.Unmarshal([]byte(`"`+want+`"`), &s); err != nil {
				t.Fatal(err)
			}
			want = s
		}
		if string(typ) != tt.typ || string(id) != want || ok != tt.ok {
			t.Errorf("peekFrame(%s) = %q, %q, %v; want %q, %q, %v", tt.raw, typ, id, ok, tt.typ, want, tt.ok)
		}
	}
	plain := []byte(`{"v":1,"type":"charger","id":"CP-000123","ts":"2026-11-26T18:00:00Z","state":"charging","kw":7.2,"plugged":true}`)
	if n := testing.AllocsPerRun(100, func() { peekFrame(plain) }); n != 0 {
		t.Errorf("peekFrame allocates %v times per plain frame, want 0", n)
	}
}

// TestMergeLeadEnds: the source that leads the merge (its hello gives the
// merged site, mode and clock: the first in Merge's order that said hello)
// ending (LinkEvent.End: a simulated feed at the end of its day) ends the
// merged view even while another source is up: the sink is told End once,
// and nothing of the other sources reaches it afterwards, neither frames
// (counted) nor link changes that would read as the link coming back or
// going down. Another source ending is only that source going down.
func TestMergeLeadEnds(t *testing.T) {
	t.Run("the lead ends", func(t *testing.T) {
		r := startMerge(t, "feed", "ocpp")
		feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
		feed.up()
		ocpp.up()
		h := hello("depot", []string{"F1"}, [2]string{"A", "F1"})
		h.Mode = "simulation"
		feed.send(t, h)
		ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}))
		ocpp.send(t, charger("C", 6))
		feed.do(step{link: &LinkEvent{At: t0m.Add(time.Minute), End: true}})
		feed.end(nil)

		ev := r.sink.events()
		if len(ev) != 2 || !ev[1].End || ev[1].Up || ev[1].Err != nil {
			t.Fatalf("events %+v: want Up, then End while OCPP is still up", ev)
		}
		s := r.sink.Snapshot()
		if !s.Stats.Ended || s.Stats.Connected {
			t.Fatalf("stats %+v: want ended, not connected", s.Stats)
		}
		// The view has ended: later frames and link changes of the other
		// source do not reach the sink.
		ocpp.send(t, charger("C", 9))
		ocpp.down(errors.New("charge point gone"))
		ocpp.up()
		if ev := r.sink.events(); len(ev) != 2 {
			t.Errorf("events %+v: nothing more after the end", ev)
		}
		if after := r.sink.Snapshot(); after.Stats.Frames != s.Stats.Frames || !after.Stats.Ended {
			t.Errorf("after the end: %d frames (want %d, as at the end), ended %v", after.Stats.Frames, s.Stats.Frames, after.Stats.Ended)
		}
		// Before the end, C's frame was left out: the lead is simulated.
		if st := r.m.Stats(); st.AfterEnd != 1 || st.OffClock != 2 {
			t.Errorf("MergeStats %+v: want AfterEnd 1, OffClock 2 (the central system's hello and frame)", st)
		}
		if l := r.m.Links(); !l[0].Ended || l[0].Up || l[0].Err != nil || !l[1].Up {
			t.Errorf("links %+v: want the feed ended cleanly, OCPP up", l)
		}
	})
	t.Run("another source ends", func(t *testing.T) {
		r := startMerge(t, "feed", "ocpp")
		feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
		feed.up()
		ocpp.up()
		feed.send(t, hello("depot", []string{"F1"}, [2]string{"A", "F1"}))
		ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}))
		ocpp.do(step{link: &LinkEvent{At: t0m, End: true}})
		ocpp.end(nil)
		feed.send(t, charger("A", 4))
		ev := r.sink.events()
		if len(ev) != 1 || !ev[0].Up {
			t.Fatalf("events %+v: want only Up: the feed is still up", ev)
		}
		s := r.sink.Snapshot()
		if s.Stats.Ended || !s.Stats.Connected || kwOf(t, s, "A") != 4 {
			t.Errorf("stats %+v, A %v kW: want connected, not ended, A 4 kW", s.Stats, kwOf(t, s, "A"))
		}
	})
	t.Run("a later source leads until the first says hello", func(t *testing.T) {
		r := startMerge(t, "feed", "ocpp")
		feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
		feed.up()
		ocpp.up()
		ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}))
		ocpp.do(step{link: &LinkEvent{At: t0m, End: true}})
		if ev := r.sink.events(); len(ev) != 2 || !ev[1].End {
			t.Fatalf("events %+v: want Up, then End: the only source heard leads", ev)
		}
	})
}

// TestMergeSimulatedLead: while the lead source's hello says simulation
// (or replay), the merge is the lead alone: the other sources' chargers
// leave the topology and their frames are left out and counted; their
// hellos are kept, so a lead that turns live merges them again.
func TestMergeSimulatedLead(t *testing.T) {
	r := startMerge(t, "feed", "ocpp")
	feed, ocpp := r.srcs["feed"], r.srcs["ocpp"]
	feed.up()
	ocpp.up()
	ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}))
	ocpp.send(t, charger("C", 6))
	if kwOf(t, r.sink.Snapshot(), "C") != 6 {
		t.Fatal("the central system alone: its charger's frame did not apply")
	}
	sim := hello("depot", []string{"F1"}, [2]string{"A", "F1"})
	sim.Mode = "simulation"
	feed.send(t, sim)
	if ch, _ := topologyOf(r.sink.Snapshot()); !slices.Equal(ch, []string{"A"}) {
		t.Fatalf("chargers %v under a simulated lead, want the lead's alone", ch)
	}
	hellos := r.m.Stats().Hellos
	ocpp.send(t, charger("C", 9))
	ocpp.send(t, hello("ocpp", nil, [2]string{"C", "F1"}, [2]string{"D", "F1"}))
	ocpp.send(t, batchOf(t, charger("C", 9)))
	feed.send(t, charger("A", 4))
	s := r.sink.Snapshot()
	if st := r.m.Stats(); st.OffClock != 3 || st.Hellos != hellos {
		t.Errorf("stats %+v: want OffClock 3 and no merged hello sent for the left-out source's (%d)", st, hellos)
	}
	if ch, _ := topologyOf(s); !slices.Equal(ch, []string{"A"}) || kwOf(t, s, "A") != 4 {
		t.Errorf("chargers %v, A %v kW: want A alone, at 4 kW", ch, kwOf(t, s, "A"))
	}
	live := hello("depot", []string{"F1"}, [2]string{"A", "F1"})
	feed.send(t, live)
	if ch, _ := topologyOf(r.sink.Snapshot()); !slices.Equal(ch, []string{"A", "C", "D"}) {
		t.Errorf("chargers %v once the lead is live, want A and the central system's latest hello's C, D", ch)
	}
}
