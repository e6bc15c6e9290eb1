package feeds

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for fleet tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// t0 is 2024-02-04T18:00:05+08:00, the ts of the sample measurements.
var t0 = time.Date(2024, 2, 4, 10, 0, 5, 0, time.UTC)

func newTestFleet(t *testing.T, opt FleetOptions) (*Fleet, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: t0}
	opt.Clock = clk.Now
	if opt.Wall == nil {
		opt.Wall = clk.Now
	}
	return NewFleet(opt), clk
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestFleetDerivedFigures(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{})
	s := fl.Snapshot()
	if s.HaveTopology || s.NumChargers() != 0 || s.Location != time.UTC {
		t.Fatalf("empty fleet snapshot: %+v", s)
	}
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(feederJSON)) // F1 212.5 kW, dynamic limit 280
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F2","ts":"2024-02-04T18:00:05+08:00","kw":100}`))
	fl.HandleFrame([]byte(chargerJSON))
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"CP-2","ts":"2024-02-04T18:00:05+08:00","state":"charging","kw":3.7,"plugged":true}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"CP-3","ts":"2024-02-04T18:00:05+08:00","state":"charging","kw":11,"plugged":true,` +
		`"soc":0.9,"battery_kwh":50,"target_soc":0.8,"departure":"2024-02-04T18:30:05+08:00"}`))
	s = fl.Snapshot()
	if !s.HaveTopology || s.Site != "Demo City" || s.Location.String() != "Asia/Shanghai" || s.NumChargers() != 3 {
		t.Fatalf("topology: site %q loc %v chargers %d", s.Site, s.Location, s.NumChargers())
	}
	if s.System.KW != 312.5 || s.System.ImportLimitKW != 500 || !near(s.System.LoadingPct, 62.5) {
		t.Errorf("system = %+v", s.System)
	}
	f1, _ := s.Feeder("F1")
	if f1.KW != 212.5 || f1.LimitKW != 280 || !near(f1.LoadingPct, 212.5/280*100) || f1.Chargers != 2 || f1.Plugged != 2 || f1.Stale || !f1.Seen {
		t.Errorf("F1 = %+v", f1)
	}
	if s.States[StateCharging.Index()] != 3 || s.Unknown != 0 {
		t.Errorf("states = %v unknown %d", s.States, s.Unknown)
	}
	// CP-1: E=30, E*=48, H=13.4986 h: A = 30 + 0.92*11*12.4986 - 48 > 30, so
	// 30 kWh above need, discharge min(10, 0.92*30) = 10, reducible 7.4+10.
	// CP-3: A = 45 - 40 = 5 >= 0, pausable, unidirectional: reducible 11.
	// CP-2: no soc, no flexibility.
	want := V2GCapacity{DischargeKW: 10, ImportReducibleKW: 28.4, EnergyAboveNeedKWh: 30, Plugged: 3, Bidirectional: 1}
	if !near(s.V2G.DischargeKW, want.DischargeKW) || !near(s.V2G.ImportReducibleKW, want.ImportReducibleKW) ||
		!near(s.V2G.EnergyAboveNeedKWh, want.EnergyAboveNeedKWh) || s.V2G.Plugged != 3 || s.V2G.Bidirectional != 1 {
		t.Errorf("V2G = %+v, want %+v", s.V2G, want)
	}
	if f1.V2G.Plugged != 2 || !near(f1.V2G.ImportReducibleKW, 17.4) {
		t.Errorf("F1 V2G = %+v", f1.V2G)
	}
	c, ok := s.Charger("CP-1")
	if !ok || !c.Seen || c.Last.KW != 7.4 || *c.Last.SoC != 0.5 || c.MaxDischargeKW != 10 || c.Last.ID != "CP-1" {
		t.Errorf("CP-1 = %+v", c)
	}
	if fx := c.Flex(s.At); !near(fx.DischargeKW, 10) || !fx.Pausable {
		t.Errorf("CP-1 flex = %+v", fx)
	}
	if s.Stats.Frames != 6 || s.Stats.RejectTotal() != 0 {
		t.Errorf("stats = %+v", s.Stats)
	}
}

func TestFleetStaleAndIgnoreOlder(t *testing.T) {
	fl, clk := newTestFleet(t, FleetOptions{StaleAfter: time.Minute})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(chargerJSON))
	fl.HandleFrame([]byte(feederJSON))
	// older frames for the same entities are ignored, equal or newer applied
	fl.HandleFrame([]byte(with(chargerJSON, "ts", `"2024-02-04T18:00:04+08:00"`)))
	fl.HandleFrame([]byte(with(with(feederJSON, "ts", `"2024-02-04T18:00:00+08:00"`), "kw", "1")))
	fl.HandleFrame([]byte(with(chargerJSON, "kw", "3")))
	s := fl.Snapshot()
	if s.Stats.Ignored != 2 || s.Stats.Frames != 4 {
		t.Errorf("ignored %d frames %d, want 2 and 4", s.Stats.Ignored, s.Stats.Frames)
	}
	if c, _ := s.Charger("CP-1"); c.Last.KW != 3 {
		t.Errorf("CP-1 kw = %v, want the equal-ts frame's 3", c.Last.KW)
	}
	if f, _ := s.Feeder("F1"); f.KW != 212.5 {
		t.Errorf("F1 kw = %v, want 212.5 (older frame ignored)", f.KW)
	}
	clk.Advance(61 * time.Second)
	s = fl.Snapshot()
	c, _ := s.Charger("CP-1")
	f, _ := s.Feeder("F1")
	if !c.Stale || !f.Stale || s.StaleChargers != 1 || s.StaleFeeders != 1 || s.Unknown != 2 {
		t.Errorf("after 61 s: charger stale %v feeder stale %v counts %d/%d unknown %d", c.Stale, f.Stale, s.StaleChargers, s.StaleFeeders, s.Unknown)
	}
	if s.V2G.Plugged != 0 {
		t.Errorf("stale chargers count towards V2G: %+v", s.V2G)
	}
}

func TestFleetHelloResync(t *testing.T) {
	var acks []AckFrame
	fl, _ := newTestFleet(t, FleetOptions{OnAck: func(a AckFrame) { acks = append(acks, a) }})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(chargerJSON))
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"CP-2","ts":"2024-02-04T18:00:05+08:00","state":"available","kw":0,"plugged":false}`))
	fl.HandleFrame([]byte(feederJSON))
	fl.HandleFrame([]byte(ackJSON))
	before := fl.Snapshot()
	// CP-2 and F2 leave, CP-9 arrives on F1
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"Demo City","ts":"2024-02-04T18:01:00+08:00","feeders":[{"id":"F1","import_limit_kw":300}],` +
		`"chargers":[{"id":"CP-9","feeder":"F1","max_charge_kw":7},{"id":"CP-1","feeder":"F1","max_charge_kw":11,"max_discharge_kw":10}]}`))
	s := fl.Snapshot()
	if s.NumChargers() != 2 || len(s.Feeders) != 1 || s.Location != time.UTC {
		t.Fatalf("after resync: %d chargers %d feeders loc %v", s.NumChargers(), len(s.Feeders), s.Location)
	}
	c1, _ := s.Charger("CP-1")
	if !c1.Seen || c1.Last.KW != 7.4 || c1.LastAck == nil || c1.LastAck.Status != AckClamped {
		t.Errorf("CP-1 lost its values: %+v", c1)
	}
	if i, _ := s.ChargerIndex("CP-1"); i != 1 || s.ChargerAt(0).ID != "CP-9" || s.ChargerAt(0).Seen {
		t.Errorf("order or CP-9 wrong: %+v", s.ChargerAt(0))
	}
	if _, ok := s.Charger("CP-2"); ok {
		t.Error("CP-2 survived a hello that dropped it")
	}
	if f, _ := s.Feeder("F1"); f.KW != 212.5 || !f.Seen {
		t.Errorf("F1 lost its values: %+v", f)
	}
	fl.HandleFrame([]byte(with(chargerJSON, "id", `"CP-2"`)))
	if r := fl.Snapshot().Stats.Rejects[RejectUnknownCharger]; r != 1 {
		t.Errorf("frame for a removed charger: unknown_charger = %d, want 1", r)
	}
	// the old snapshot is untouched
	if before.NumChargers() != 3 {
		t.Errorf("old snapshot changed: %d chargers", before.NumChargers())
	}
	if b2, _ := before.Charger("CP-2"); !b2.Seen {
		t.Error("old snapshot lost CP-2")
	}
	if len(acks) != 1 || acks[0].ID != "sp-1" {
		t.Errorf("OnAck got %+v", acks)
	}
}

// fleetRejectCase is a frame a Fleet must reject.
type fleetRejectCase struct {
	name   string
	hello  bool // send helloJSON first
	raw    string
	reason RejectReason
}

// fleetRejectCases cover the reasons only a Fleet can tell.
func fleetRejectCases() []fleetRejectCase {
	return []fleetRejectCase{
		{"measurement before hello", false, chargerJSON, RejectNoTopology},
		{"feeder before hello", false, feederJSON, RejectNoTopology},
		{"unknown feeder", true, with(feederJSON, "id", `"F9"`), RejectUnknownFeeder},
		{"event on unknown feeder", true, with(eventJSON, "scope", `"F9"`), RejectUnknownFeeder},
		{"unknown charger", true, with(chargerJSON, "id", `"CP-9"`), RejectUnknownCharger},
		{"ack for unknown charger", true, with(ackJSON, "charger", `"CP-9"`), RejectUnknownCharger},
		{"duplicate feeder", false, with(helloJSON, "feeders", `[{"id":"F1","import_limit_kw":1},{"id":"F1","import_limit_kw":2}]`), RejectBadTopology},
		{"duplicate charger", false, with(helloJSON, "chargers", `[{"id":"C","feeder":"F1","max_charge_kw":1},{"id":"C","feeder":"F2","max_charge_kw":1}]`), RejectBadTopology},
		{"charger on unknown feeder", false, with(helloJSON, "chargers", `[{"id":"C","feeder":"F7","max_charge_kw":1}]`), RejectBadTopology},
		{"nested batch", true, `{"v":1,"type":"batch","frames":[` + batchJSON + `]}`, RejectNestedBatch},
		{"subscribe from server", true, subJSON, RejectWrongDirection},
		{"setpoint from server", true, setpointJSON, RejectWrongDirection},
		{"ts far ahead", true, with(chargerJSON, "ts", `"2024-02-06T18:00:05+08:00"`), RejectBadTime},
	}
}

func TestFleetRejects(t *testing.T) {
	for _, tc := range fleetRejectCases() {
		t.Run(tc.name, func(t *testing.T) {
			fl, _ := newTestFleet(t, FleetOptions{})
			if tc.hello {
				fl.HandleFrame([]byte(helloJSON))
			}
			fl.HandleFrame([]byte(tc.raw))
			st := fl.Snapshot().Stats
			if st.Rejects[tc.reason] != 1 || st.RejectTotal() != 1 {
				t.Fatalf("rejects = %v, want one %s (last: %s)", st.Rejects, tc.reason, st.LastReject)
			}
		})
	}
}

// TestEveryRejectReasonTested checks the two tables above between them
// expect every reason (each case is checked to produce its reason).
func TestEveryRejectReasonTested(t *testing.T) {
	covered := map[RejectReason]bool{}
	for _, c := range decodeRejectCases() {
		covered[c.reason] = true
	}
	for _, c := range fleetRejectCases() {
		covered[c.reason] = true
	}
	for _, r := range AllRejectReasons {
		if !covered[r] {
			t.Errorf("no test case expects %s", r)
		}
	}
	if len(covered) != len(AllRejectReasons) {
		t.Errorf("test cases expect %d reasons, AllRejectReasons has %d", len(covered), len(AllRejectReasons))
	}
}

func TestFleetBatchCountsMembers(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(`{"v":1,"type":"batch","frames":[` + feederJSON + `,` + with(chargerJSON, "soc", "7") + `,` + chargerJSON + `,{"v":2}]}`))
	st := fl.Snapshot().Stats
	if st.Frames != 3 || st.Rejects[RejectOutOfRange] != 1 || st.Rejects[RejectVersion] != 1 {
		t.Errorf("stats = frames %d rejects %v", st.Frames, st.Rejects)
	}
}

func TestFleetEvents(t *testing.T) {
	var got []EventFrame
	fl, clk := newTestFleet(t, FleetOptions{OnEvent: func(e EventFrame) { got = append(got, e) }})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(eventJSON))
	fl.HandleFrame([]byte(with(with(eventJSON, "id", `"DR-1"`), "start", `"2024-02-04T17:00:00+08:00"`)))
	fl.HandleFrame([]byte(with(eventJSON, "kw", "3000"))) // DR-17 again: latest wins
	s := fl.Snapshot()
	if len(s.Events) != 2 || s.Events[0].ID != "DR-1" || s.Events[1].KW != 3000 {
		t.Fatalf("events = %+v", s.Events)
	}
	if len(got) != 3 {
		t.Errorf("OnEvent called %d times, want 3", len(got))
	}
	clk.Advance(24*time.Hour + 3*time.Hour) // both ended at 21:00, now 21:00:05 + 24 h
	if s := fl.Snapshot(); len(s.Events) != 0 {
		t.Errorf("events ended over 24 h ago kept: %+v", s.Events)
	}
}

func TestFleetLinkStats(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{})
	fl.HandleLink(LinkEvent{Up: true})
	fl.HandleLink(LinkEvent{Err: errors.New("read: connection reset")})
	fl.HandleLink(LinkEvent{Up: true})
	fl.HandleLink(LinkEvent{Up: true}) // a repeated Up is not a reconnect
	st := fl.Snapshot().Stats
	if !st.Connected || st.Reconnects != 1 || st.LastError != "read: connection reset" {
		t.Errorf("stats = %+v", st)
	}
}

func TestSnapshotReuseAndSeq(t *testing.T) {
	fl, clk := newTestFleet(t, FleetOptions{})
	a := fl.Snapshot()
	if b := fl.Snapshot(); b != a {
		t.Error("unchanged fleet built a new snapshot")
	}
	fl.HandleFrame([]byte(helloJSON))
	b := fl.Snapshot()
	if b == a || b.Seq != a.Seq+1 {
		t.Errorf("seq %d after %d", b.Seq, a.Seq)
	}
	clk.Advance(2 * time.Second)
	if c := fl.Snapshot(); c == b || !c.At.Equal(t0.Add(2*time.Second)) {
		t.Error("time moved but the snapshot did not")
	}
}

func TestFlexDefinition(t *testing.T) {
	dep := func(h float64) int64 { return t0.Add(time.Duration(h * float64(time.Hour))).UnixNano() }
	type evInput struct {
		chargerHot
		maxChargeKW, maxDischargeKW float64
	}
	base := evInput{maxChargeKW: 10, maxDischargeKW: 7, chargerHot: chargerHot{kw: 5, soc: 0.6, bat: 50, tgt: 0.8,
		hasSoC: true, hasBat: true, hasTgt: true, hasDep: true, depNS: dep(5)}}
	for _, tc := range []struct {
		name string
		mod  func(*evInput)
		want EVFlex
	}{
		// A = 30 + 0.92*10*4 - 40 = 26.8; discharge min(7, 0.92*26.8)
		{"plenty of time", func(*evInput) {}, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 26.8, DischargeKW: 7, ReducibleKW: 12}},
		// A = 30 + 9.2*1 - 40 = -0.8: must charge now
		{"tight", func(in *evInput) { in.depNS = dep(2) }, EVFlex{Usable: true}},
		// half an hour left, above target: A = 45 - 40 = 5, h = 0.5: 0.92*5/0.5 = 9.2 -> 7
		{"leaving soon", func(in *evInput) { in.soc = 0.9; in.depNS = dep(0.5) }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 5, DischargeKW: 7, ReducibleKW: 12}},
		{"no soc", func(in *evInput) { in.hasSoC = false }, EVFlex{Usable: true}},
		{"no battery", func(in *evInput) { in.hasBat = false }, EVFlex{Usable: true}},
		// no departure: H = 0, pausable only at or above target, no discharge
		{"no departure above target", func(in *evInput) { in.hasDep = false; in.soc = 0.9 }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 5, ReducibleKW: 5}},
		{"no departure below target", func(in *evInput) { in.hasDep = false }, EVFlex{Usable: true}},
		{"departed", func(in *evInput) { in.depNS = dep(-1); in.soc = 0.9 }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 5, ReducibleKW: 5}},
		// no target: 1.0 assumed: A = 30 + 36.8 - 50 = 16.8
		{"no target", func(in *evInput) { in.hasTgt = false }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 16.8, DischargeKW: 7, ReducibleKW: 12}},
		// small surplus bounds discharge: A = 30 + 9.2*2 - 40 = 8.4 -> 0.92*8.4
		{"energy bound", func(in *evInput) { in.depNS = dep(3); in.maxDischargeKW = 10 }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 8.4, DischargeKW: 0.92 * 8.4, ReducibleKW: 5 + 0.92*8.4}},
		// already discharging at 4 kW: import can drop 3 kW more
		{"discharging", func(in *evInput) { in.kw = -4 }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 26.8, DischargeKW: 7, ReducibleKW: 3}},
		// stored energy bounds what is above need: A = 5 + 9.2*9 - 40 = 47.8 > E = 5
		{"nearly empty", func(in *evInput) { in.soc = 0.1; in.depNS = dep(10) }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 5, DischargeKW: 4.6, ReducibleKW: 9.6}},
		{"unidirectional", func(in *evInput) { in.maxDischargeKW = 0 }, EVFlex{Usable: true, Pausable: true, AboveNeedKWh: 26.8, ReducibleKW: 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.mod(&in)
			got := flex(&in.chargerHot, in.maxChargeKW, in.maxDischargeKW, t0.UnixNano())
			if got.Usable != tc.want.Usable || got.Pausable != tc.want.Pausable || !near(got.AboveNeedKWh, tc.want.AboveNeedKWh) ||
				!near(got.DischargeKW, tc.want.DischargeKW) || !near(got.ReducibleKW, tc.want.ReducibleKW) {
				t.Errorf("flex = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestStateIndexConstants(t *testing.T) {
	if StateFaulted.Index() != stateFaultedIdx || StateOffline.Index() != stateOfflineIdx {
		t.Fatal("stateFaultedIdx or stateOfflineIdx out of step with ChargerStates")
	}
}

func TestApplyValidatesGoFrames(t *testing.T) {
	soc := func(x float64) *float64 { return &x }
	good := func() *ChargerFrame {
		return &ChargerFrame{Header: NewHeader(TypeCharger), ID: "CP-1", TS: t0, State: StateCharging, KW: 3, Plugged: true}
	}
	for _, tc := range []struct {
		name   string
		fr     Frame
		reason RejectReason
	}{
		{"bad state", func() Frame { f := good(); f.State = "bogus"; return f }(), RejectBadState},
		{"soc NaN", func() Frame { f := good(); f.SoC = soc(math.NaN()); return f }(), RejectOutOfRange},
		{"soc 2", func() Frame { f := good(); f.SoC = soc(2); return f }(), RejectOutOfRange},
		{"kw beyond a terawatt", func() Frame { f := good(); f.KW = 1e20; return f }(), RejectOutOfRange},
		{"feeder kw beyond a terawatt", &FeederFrame{Header: NewHeader(TypeFeeder), ID: "F1", TS: t0, KW: -1e300}, RejectOutOfRange},
		{"zero ts", func() Frame { f := good(); f.TS = time.Time{}; return f }(), RejectBadTime},
		{"no id", func() Frame { f := good(); f.ID = ""; return f }(), RejectMissingField},
		{"no header", func() Frame { f := good(); f.Header = Header{}; return f }(), RejectVersion},
		{"typed nil", (*ChargerFrame)(nil), RejectMissingField},
		{"nil", nil, RejectMissingField},
		{"event end before start", &EventFrame{Header: NewHeader(TypeEvent), ID: "E", Kind: EventShed, Scope: "system", Start: t0, End: t0}, RejectBadTime},
		{"ack bad status", &AckFrame{Header: NewHeader(TypeAck), ID: "A", Status: "ok"}, RejectBadState},
		{"hello negative limit", &Hello{Header: NewHeader(TypeHello), Site: "S", TS: t0, Feeders: []FeederInfo{{ID: "F", ImportLimitKW: -1}}}, RejectOutOfRange},
		{"unknown charger", good(), RejectUnknownCharger},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fl, _ := newTestFleet(t, FleetOptions{})
			h, _ := Decode([]byte(with(helloJSON, "chargers", `[]`)))
			if err := fl.Apply(h); err != nil {
				t.Fatal(err)
			}
			err := fl.Apply(tc.fr)
			if r, _ := ReasonOf(err); r != tc.reason {
				t.Fatalf("Apply = %v, want %s", err, tc.reason)
			}
			if st := fl.Snapshot().Stats; st.Rejects[tc.reason] != 1 || !st.LastFrame.Equal(t0) {
				t.Errorf("rejects %v, last frame %v", st.Rejects, st.LastFrame)
			}
		})
	}
	for _, raw := range []string{helloJSON, chargerJSON, feederJSON, eventJSON, ackJSON, batchJSON, subJSON, setpointJSON} {
		f, _ := Decode([]byte(raw))
		if err := Validate(f); err != nil {
			t.Errorf("Validate(decoded %s) = %v", f.FrameType(), err)
		}
	}
}

func TestFleetResetForgetsValues(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(chargerJSON))
	fl.HandleFrame([]byte(feederJSON))
	fl.HandleFrame([]byte(eventJSON))
	fl.HandleFrame([]byte(ackJSON))
	before := fl.Snapshot()
	fl.HandleLink(LinkEvent{Up: true, Reset: true})
	s := fl.Snapshot()
	f1, _ := s.Feeder("F1")
	c1, _ := s.Charger("CP-1")
	if !s.HaveTopology || s.Unknown != 3 || f1.Seen || c1.Seen || c1.LastAck != nil || len(s.Events) != 0 {
		t.Fatalf("after reset: unknown %d feeder %+v charger %+v events %d", s.Unknown, f1, c1, len(s.Events))
	}
	if !math.IsNaN(s.SystemHistory().At(s.SystemHistory().Len() - 1)) {
		t.Error("history survived the reset")
	}
	if s.Stats.Frames != before.Stats.Frames {
		t.Errorf("counters reset: %d -> %d", before.Stats.Frames, s.Stats.Frames)
	}
	// an older frame is applied after the reset instead of being ignored
	fl.HandleFrame([]byte(with(chargerJSON, "ts", `"2024-02-04T17:00:00+08:00"`)))
	if c, _ := fl.Snapshot().Charger("CP-1"); !c.Seen {
		t.Error("older frame ignored after reset")
	}
	if b, _ := before.Charger("CP-1"); !b.Seen {
		t.Error("reset changed an earlier snapshot")
	}
}

// TestDataClockForSimulatedFeeds checks that a fleet without an injected
// clock judges a simulated feed by its data time (run on by wall time), and a
// live feed by the wall clock.
func TestDataClockForSimulatedFeeds(t *testing.T) {
	wall := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	simDay := time.Date(2024, 1, 17, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		mode     string
		want     time.Time
		feedMode Mode // what the snapshot says the feed is
	}{
		{"simulation", simDay.Add(2 * time.Second), ModeSimulation},
		{"replay", simDay.Add(2 * time.Second), ModeReplay},
		{"live", wall.Add(2 * time.Second), ModeLive},
		{"", wall.Add(2 * time.Second), ""},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			now := wall
			fl := NewFleet(FleetOptions{Wall: func() time.Time { return now }})
			fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T09:59:00Z","mode":"` + tt.mode + `",
				"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
			fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T10:00:00Z","kw":50}`))
			now = now.Add(2 * time.Second)
			s := fl.Snapshot()
			if s.Stats.RejectTotal() != 0 {
				t.Fatalf("rejects: %v", s.Stats.Rejects)
			}
			if !s.At.Equal(tt.want) {
				t.Errorf("snapshot At = %s, want %s", s.At, tt.want)
			}
			if s.FeedMode != tt.feedMode {
				t.Errorf("snapshot FeedMode = %q, want %q", s.FeedMode, tt.feedMode)
			}
			fl.HandleLink(LinkEvent{Reset: true})
			if s := fl.Snapshot(); tt.mode == "simulation" && !s.At.Equal(now) {
				t.Errorf("after reset At = %s, want the wall clock %s until data arrives", s.At, now)
			}
		})
	}
}

// TestSimulatedFeedEndsOnItsClock checks that a simulated feed that ends
// ends at its last data time, whatever clock stamped the link event (a
// websocket Subscriber stamps the wall clock), and that its data clock
// stops there instead of running on into staleness.
func TestSimulatedFeedEndsOnItsClock(t *testing.T) {
	now := time.Date(2026, 11, 26, 17, 43, 0, 0, time.UTC)
	end := time.Date(2024, 1, 18, 0, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return now }})
	fl.HandleLink(LinkEvent{Up: true, At: now})
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T23:59:00Z","mode":"simulation",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-18T00:00:00Z","kw":50}`))
	now = now.Add(time.Second)
	fl.HandleLink(LinkEvent{At: now, End: true})
	now = now.Add(time.Hour)
	s := fl.Snapshot()
	if !s.Stats.Ended || !s.Stats.EndedAt.Equal(end) {
		t.Errorf("ended %v at %s, want at the last data time %s", s.Stats.Ended, s.Stats.EndedAt, end)
	}
	if !s.At.Equal(end) || s.Feeders[0].Stale {
		t.Errorf("an hour after the end: At %s, F1 stale %v; want the clock stopped at %s, nothing stale", s.At, s.Feeders[0].Stale, end)
	}
}

// TestOnHello checks the hello hook runs once per accepted hello, before the
// message's HandleFrame returns, and not for a rejected one.
func TestOnHello(t *testing.T) {
	var got []string
	fl := NewFleet(FleetOptions{OnHello: func(h Hello) { got = append(got, h.Site) }})
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"A","tz":"UTC","ts":"2024-01-17T10:00:00Z","feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	if len(got) != 1 || got[0] != "A" {
		t.Fatalf("after one hello: %q", got)
	}
	// A hello naming a charger on an unknown feeder is rejected: no hook.
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"B","tz":"UTC","ts":"2024-01-17T10:00:00Z","feeders":[],"chargers":[{"id":"C","feeder":"F9","max_charge_kw":7,"max_discharge_kw":0}]}`))
	if len(got) != 1 {
		t.Fatalf("a rejected hello ran the hook: %q", got)
	}
}

// TestSourceEnded checks that a source that ends (a simulated day or a
// recording played out) is told apart from a lost link in the feed
// statistics, and that a new link clears it.
func TestSourceEnded(t *testing.T) {
	end := time.Date(2024, 1, 18, 0, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{})
	fl.HandleLink(LinkEvent{Up: true, At: end.Add(-time.Hour)})
	fl.HandleLink(LinkEvent{At: end.Add(-time.Minute), Err: errors.New("reset by peer")})
	if st := fl.Snapshot().Stats; st.Ended || st.Connected {
		t.Fatalf("a lost link: %+v", st)
	}
	fl.HandleLink(LinkEvent{Up: true, At: end.Add(-time.Minute)})
	fl.HandleLink(LinkEvent{At: end, End: true})
	if st := fl.Snapshot().Stats; !st.Ended || !st.EndedAt.Equal(end) || st.Connected {
		t.Fatalf("after the end: Ended %v at %s, connected %v; want ended at %s", st.Ended, st.EndedAt, st.Connected, end)
	}
	fl.HandleLink(LinkEvent{Up: true, At: end})
	if st := fl.Snapshot().Stats; st.Ended || !st.Connected {
		t.Fatalf("up again: %+v", st)
	}
}

// TestDataClockTurnsSimulated checks that a hello that makes a live fleet
// simulated starts the data clock at the hello's time: data time seen
// before came from a live source on the wall clock (a merged OCPP central
// system that said hello before the simulated feed did), and the newest
// of it would otherwise hold the simulated day's clock at today.
func TestDataClockTurnsSimulated(t *testing.T) {
	now := time.Date(2026, 11, 26, 17, 50, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return now }})
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2026-11-26T17:50:00Z","mode":"live",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2026-11-26T17:50:00Z","kw":50}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T23:57:00Z","mode":"simulation",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T23:57:00Z","kw":40}`))
	sim := time.Date(2024, 1, 17, 23, 57, 0, 0, time.UTC)
	s := fl.Snapshot()
	if !s.At.Equal(sim) {
		t.Errorf("snapshot At = %s, want the simulated day's %s", s.At, sim)
	}
	if s.Stats.RejectTotal() != 0 || s.Stats.Ignored != 0 || !s.Feeders[0].TS.Equal(sim) || s.Feeders[0].KW != 40 {
		t.Errorf("F1 %+v (rejects %v, ignored %d): want the simulated day's 40 kW at %s, not shadowed by the live value",
			s.Feeders[0], s.Stats.Rejects, s.Stats.Ignored, sim)
	}
	// A later hello of the same simulated feed does not restart it.
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T23:58:00Z","kw":40}`))
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T23:57:30Z","mode":"simulation",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	if s := fl.Snapshot(); !s.At.Equal(sim.Add(time.Minute)) {
		t.Errorf("after a second hello At = %s, want %s", s.At, sim.Add(time.Minute))
	}
}

// TestSimulatorRestartedEarlier checks that a simulated feed whose new hello
// is from over RestartBack before the data held (a simulator restarted at an
// earlier hour, the same --start once the desk had got past it) starts the
// fleet over: its frames were all ignored as older, and the desk showed the
// old figures with the link up until the new day caught up.
func TestSimulatorRestartedEarlier(t *testing.T) {
	now := time.Date(2026, 11, 26, 18, 30, 0, 0, time.UTC)
	hello := func(ts string) []byte {
		return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"` + ts + `","mode":"simulation",
			"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`)
	}
	for _, tt := range []struct {
		name  string
		hello string // the second connection's
		at    string // its first frame's time
		want  float64
	}{
		{"restarted at 18:20", "2024-01-17T18:20:00Z", "2024-01-17T18:20:00Z", 40},
		{"reconnected to the same day", "2024-01-17T18:31:00Z", "2024-01-17T18:31:00Z", 40},
		{"a hello within the minute", "2024-01-17T18:30:30Z", "2024-01-17T18:31:00Z", 40},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fl := NewFleet(FleetOptions{Wall: func() time.Time { return now }})
			fl.HandleFrame(hello("2024-01-17T18:20:00Z"))
			fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T18:31:00Z","kw":50}`))
			fl.HandleLink(LinkEvent{At: now, Err: errors.New("close 1001")})
			fl.HandleLink(LinkEvent{Up: true, At: now})
			fl.HandleFrame(hello(tt.hello))
			fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"` + tt.at + `","kw":40}`))
			s := fl.Snapshot()
			at, _ := time.Parse(time.RFC3339, tt.at)
			if s.Feeders[0].KW != tt.want || s.Stats.Ignored != 0 || !s.At.Equal(at) {
				t.Errorf("F1 %v kW, %d ignored, At %s; want %v kW from the new connection at %s, none ignored",
					s.Feeders[0].KW, s.Stats.Ignored, s.At, tt.want, at)
			}
		})
	}
}

// TestFleetLocationBeforeHello: a replay whose hello was lost with a damaged
// part of the file has its site's time zone in the file's header; the
// snapshots said UTC until a hello, and the desk's clock read eight hours
// off for Shanghai. Options.Location stands in until a hello names one.
func TestFleetLocationBeforeHello(t *testing.T) {
	header := time.FixedZone("HDR", 8*3600) // as a recording's header names it
	fl, _ := newTestFleet(t, FleetOptions{Location: header})
	if s := fl.Snapshot(); s.HaveTopology || s.Location != header {
		t.Fatalf("before any hello: topology %v, location %v; want none and HDR", s.HaveTopology, s.Location)
	}
	fl.HandleFrame([]byte(helloJSON))
	if s := fl.Snapshot(); !s.HaveTopology || s.Location.String() != "Asia/Shanghai" {
		t.Fatalf("after a hello naming Asia/Shanghai: topology %v, location %v", s.HaveTopology, s.Location)
	}
	if s := NewFleet(FleetOptions{}).Snapshot(); s.Location != time.UTC {
		t.Errorf("no Location option: %v, want UTC", s.Location)
	}
}

// TestAheadOfTheClockCountsFromItsStamp: on a feed with its own clock, a
// measurement stamped ahead of the fleet clock counts as heard at its stamp
// (a simulator delivers a seek's state before its clock moves to it), so
// it is not stale the moment the clock arrives there. On a live feed the
// stamp is a device clock and only arrival counts.
func TestAheadOfTheClockCountsFromItsStamp(t *testing.T) {
	for _, tt := range []struct {
		mode      string
		wantStale bool
	}{{"simulation", false}, {"replay", false}, {"live", true}} {
		t.Run(tt.mode, func(t *testing.T) {
			fl, clk := newTestFleet(t, FleetOptions{StaleAfter: 5 * time.Minute})
			fl.HandleFrame([]byte(with(helloJSON, "mode", `"`+tt.mode+`"`)))
			// 18:00:05 on the clock; the frames say 20:00:05.
			ahead := `"2024-02-04T20:00:05+08:00"`
			fl.HandleFrame([]byte(with(chargerJSON, "ts", ahead)))
			fl.HandleFrame([]byte(with(feederJSON, "ts", ahead)))
			clk.Advance(2 * time.Hour)
			s := fl.Snapshot()
			if s.Stats.RejectTotal() != 0 {
				t.Fatalf("rejects: %v", s.Stats.Rejects)
			}
			c, _ := s.Charger("CP-1")
			f, _ := s.Feeder("F1")
			if c.Stale != tt.wantStale || f.Stale != tt.wantStale {
				t.Errorf("at the frames' time: charger stale %v, feeder stale %v; want %v", c.Stale, f.Stale, tt.wantStale)
			}
			clk.Advance(5*time.Minute + time.Second)
			s = fl.Snapshot()
			if c, _ := s.Charger("CP-1"); !c.Stale {
				t.Errorf("silent for over 5 min after its stamp, CP-1 is not stale")
			}
		})
	}
}
