package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// testScenario: two feeders, a V2G EV (CP-0001), a non-V2G EV (CP-0002)
// and an EV that cannot reach its target (CP-0003).
func testScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2024, 2, 4, 0, 0, 0, 0, loc)
	base := make([]float64, 144)
	for i := range base {
		base[i] = 100
	}
	sc := &scenario.Scenario{Version: scenario.Version, Site: "Test", TimeZone: "Asia/Shanghai", Day: "2024-02-04", LoadStepMinutes: 10,
		ChargeEfficiency: 0.95, DischargeEfficiency: 0.9,
		Feeders: []scenario.Feeder{{ID: "F01", ImportLimitKW: 110, BaseKW: base}, {ID: "F02", ImportLimitKW: 200, BaseKW: base}},
		Sessions: []scenario.Session{
			{ID: "S-1", Charger: "CP-0001", Feeder: "F01", Plugin: d.Add(17 * time.Hour), Plugout: d.Add(23 * time.Hour), EnergyKWh: 20, MaxKW: 7, V2G: true, BatteryKWh: 60},
			{ID: "S-2", Charger: "CP-0002", Feeder: "F01", Plugin: d.Add(18 * time.Hour), Plugout: d.Add(22 * time.Hour), EnergyKWh: 10, MaxKW: 11, BatteryKWh: 40},
			{ID: "S-3", Charger: "CP-0003", Feeder: "F02", Plugin: d.Add(18 * time.Hour), Plugout: d.Add(19 * time.Hour), EnergyKWh: 30, MaxKW: 3.7, BatteryKWh: 50},
		}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

func newSim(t testing.TB, start time.Duration) *Sim {
	t.Helper()
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(start), Logger: quiet, Clock: clock.NewFake(time.Unix(0, 0)), Heartbeat: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decodeBatches decodes batches into their member frames.
func decodeBatches(t testing.TB, batches [][]byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, b := range batches {
		var batch feeds.Batch
		if err := json.Unmarshal(b, &batch); err != nil {
			t.Fatalf("batch %s: %v", b, err)
		}
		if batch.V != 1 || batch.Type != feeds.TypeBatch {
			t.Fatalf("batch header %+v", batch.Header)
		}
		for _, m := range batch.Frames {
			var f map[string]any
			if err := json.Unmarshal(m, &f); err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
	}
	return out
}

func TestUnmanagedChargingAndEnergyBalance(t *testing.T) {
	s := newSim(t, 16*time.Hour)
	ids := []string{"CP-0001", "CP-0002", "CP-0003"}
	e0 := map[string]float64{}
	for _, id := range ids {
		st, _ := s.EV(id)
		e0[id] = st.EnergyKWh
	}
	integral := map[string]float64{} // Σ kw·Δh from the charger frames
	lastKW := map[string]float64{}
	peakF01 := 0.0
	for s.Now().Before(s.End()) {
		dh := time.Minute.Hours()
		for id, kw := range lastKW {
			integral[id] += kw * dh
		}
		for _, f := range decodeBatches(t, s.Step(time.Minute)) {
			switch f["type"] {
			case "charger":
				lastKW[f["id"].(string)] = f["kw"].(float64)
			case "feeder":
				if f["id"] == "F01" {
					peakF01 = math.Max(peakF01, f["kw"].(float64))
				}
			}
		}
	}
	sc := s.Scenario()
	for _, id := range ids {
		st, _ := s.EV(id)
		if math.Abs(integral[id]-(st.ChargedKWh-st.DischargedKWh)) > 0.01 {
			t.Errorf("%s: integral of reported kW %.4f kWh, delivered %.4f kWh", id, integral[id], st.ChargedKWh-st.DischargedKWh)
		}
		want := e0[id] + sc.ChargeEfficiency*st.ChargedKWh - st.DischargedKWh/sc.DischargeEfficiency
		if math.Abs(st.EnergyKWh-want) > 1e-6 {
			t.Errorf("%s: battery %.4f kWh, want %.4f", id, st.EnergyKWh, want)
		}
		if !st.Left || st.Plugged {
			t.Errorf("%s: not departed at the end of the day: %+v", id, st)
		}
	}
	for _, id := range ids[:2] {
		st, _ := s.EV(id)
		if math.Abs(st.EnergyKWh-st.TargetKWh) > 1e-6 {
			t.Errorf("%s: left with %.3f kWh, target %.3f", id, st.EnergyKWh, st.TargetKWh)
		}
	}
	if peakF01 < 100+7+11-0.01 {
		t.Errorf("F01 unmanaged peak %.1f kW, want both EVs at full power on top of the base", peakF01)
	}
	stats := s.Stats()
	if stats.Departed != 3 || stats.UnmetSessions != 1 || math.Abs(stats.UnmetKWh-(30-3.7*0.95)) > 0.01 {
		t.Errorf("stats = %+v, want CP-0003 short by %.2f kWh", stats, 30-3.7*0.95)
	}
}

func TestSetpoints(t *testing.T) {
	s := newSim(t, 18*time.Hour+30*time.Minute)
	now := s.Now()
	later := now.Add(30 * time.Minute)
	sp := func(id, charger string, kw float64, until time.Time) feeds.SetpointFrame {
		return feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: id, Charger: charger, KW: kw, ValidUntil: until}
	}
	tests := []struct {
		name    string
		sp      feeds.SetpointFrame
		status  feeds.AckStatus
		applied float64
		reason  string
	}{
		{"unknown charger", sp("a", "CP-9999", 1, later), feeds.AckRejected, 0, `unknown charger "CP-9999"`},
		{"not bidirectional", sp("b", "CP-0002", -3, later), feeds.AckRejected, 0, "charger CP-0002 is not bidirectional"},
		{"missing valid_until", sp("c", "CP-0001", 1, time.Time{}), feeds.AckRejected, 0, "valid_until missing"},
		{"expired", sp("d", "CP-0001", 1, now), feeds.AckRejected, 0, "expired"},
		{"not plugged", sp("e", "CP-0003", 1, later.Add(-29*time.Minute)), feeds.AckAccepted, 1, ""},
		{"no id", sp("", "CP-0001", 1, later), feeds.AckRejected, 0, "id missing"},
		{"nan", sp("f", "CP-0001", math.NaN(), later), feeds.AckRejected, 0, "finite"},
		{"clamped", sp("g", "CP-0002", 50, later), feeds.AckClamped, 11, "bounds"},
		{"discharge", sp("h", "CP-0001", -5, later), feeds.AckAccepted, -5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ack := s.ApplySetpoint(tt.sp)
			if ack.Status != tt.status || ack.AppliedKW != tt.applied || !strings.Contains(ack.Reason, tt.reason) ||
				ack.ID != tt.sp.ID || ack.Type != feeds.TypeAck || ack.V != 1 {
				t.Fatalf("ack = %+v, want %s %v %q", ack, tt.status, tt.applied, tt.reason)
			}
		})
	}
	before, _ := s.EV("CP-0001")
	frames := decodeBatches(t, s.Step(time.Minute))
	var cp1 map[string]any
	for _, f := range frames {
		if f["id"] == "CP-0001" {
			cp1 = f
		}
	}
	if cp1 == nil || cp1["state"] != "discharging" || cp1["kw"] != -5.0 || cp1["setpoint_kw"] != -5.0 {
		t.Fatalf("CP-0001 frame after a -5 kW setpoint = %v", cp1)
	}
	s.Step(9 * time.Minute)
	after, _ := s.EV("CP-0001")
	// the setpoint holds from the step after it arrived: one minute at the
	// unmanaged 7 kW, then nine at -5 kW
	if want := before.EnergyKWh + 7*0.95/60 - 9*5.0/60/0.9; math.Abs(after.EnergyKWh-want) > 1e-6 || after.KW != -5 {
		t.Errorf("V2G EV energy %.4f after 10 min at -5 kW, want %.4f", after.EnergyKWh, want)
	}
	// the setpoint on CP-0003 expired after one minute: back to unmanaged
	if st, _ := s.EV("CP-0003"); st.SetpointKW != nil || st.KW != 3.7 {
		t.Errorf("CP-0003 after its setpoint expired: %+v", st)
	}
	s.Step(25 * time.Minute)
	if st, _ := s.EV("CP-0001"); st.SetpointKW != nil || st.KW != 7 {
		t.Errorf("CP-0001 after its setpoint expired: kw %v setpoint %v", st.KW, st.SetpointKW)
	}
	s.Step(3 * time.Hour)
	if ack := s.ApplySetpoint(sp("z", "CP-0003", 1, s.Now().Add(time.Hour))); ack.Status != feeds.AckRejected || !strings.Contains(ack.Reason, "no EV plugged in") {
		t.Errorf("setpoint after departure: %+v", ack)
	}
	st := s.Stats()
	if st.Accepted != 2 || st.Clamped != 1 || st.Rejected != 7 {
		t.Errorf("stats = %+v", st)
	}
}

func TestFramesDecodeAsProtocol(t *testing.T) {
	s := newSim(t, 18*time.Hour)
	var hello feeds.Hello
	if err := json.Unmarshal(s.Hello(), &hello); err != nil {
		t.Fatal(err)
	}
	if hello.Mode != "simulation" || len(hello.Feeders) != 2 || len(hello.Chargers) != 3 || hello.Chargers[1].Bidirectional() ||
		!hello.Chargers[0].Bidirectional() || !hello.TS.Equal(s.Now()) {
		t.Fatalf("hello = %+v", hello)
	}
	for _, b := range s.StateFrames() {
		var batch feeds.Batch
		if err := json.Unmarshal(b, &batch); err != nil {
			t.Fatal(err)
		}
		for _, m := range batch.Frames {
			var h feeds.Header
			json.Unmarshal(m, &h)
			if h.Type == feeds.TypeCharger {
				var c feeds.ChargerFrame
				if err := json.Unmarshal(m, &c); err != nil {
					t.Fatal(err)
				}
				if c.Plugged && (c.SoC == nil || c.Departure == nil || c.BatteryKWh == nil || c.TargetSoC == nil) {
					t.Errorf("plugged charger frame lacks fields: %s", m)
				}
				if !c.TS.Equal(s.Now()) || c.State.Index() < 0 {
					t.Errorf("charger frame %s", m)
				}
			}
		}
	}
	// a step without changes carries only feeder frames; a refresh carries all
	s.Step(time.Minute)
	quietStep := decodeBatches(t, s.Step(time.Minute))
	if len(quietStep) != 2 {
		t.Errorf("quiet step has %d frames, want the 2 feeders", len(quietStep))
	}
	s.Step(12 * time.Minute)
	if refresh := decodeBatches(t, s.Step(time.Minute)); len(refresh) != 5 || !s.Now().Equal(s.Scenario().Start().Add(18*time.Hour+15*time.Minute)) {
		t.Errorf("refresh at %v has %d frames, want 5", s.Now(), len(refresh))
	}
}

type chanSink struct {
	frames chan []byte
	links  chan feeds.LinkEvent
}

func (c chanSink) HandleFrame(raw []byte)        { c.frames <- append([]byte(nil), raw...) }
func (c chanSink) HandleLink(ev feeds.LinkEvent) { c.links <- ev }

func TestRunPacing(t *testing.T) {
	sc := testScenario(t)
	fake := clock.NewFake(time.Unix(0, 0))
	s, err := New(sc, Options{Start: sc.Start().Add(23*time.Hour + 57*time.Minute), Speed: 60, Clock: fake, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 16)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := chanSink{frames: make(chan []byte, 64), links: make(chan feeds.LinkEvent, 8)}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), sink) }()
	if ev := <-sink.links; !ev.Up {
		t.Fatalf("first link event %+v", ev)
	}
	if f := <-sink.frames; !strings.Contains(string(f), `"type":"hello"`) {
		t.Fatalf("first frame %s", f)
	}
	// A desk on the feed is told the speed with the hello, and again at
	// each change (docs/protocol.md, Clock).
	if f, want := string(<-sink.frames), `{"v":1,"type":"batch","frames":[],"clock":{"speed":60}}`; f != want {
		t.Fatalf("after the hello the sink got %s, want %s", f, want)
	}
	<-sink.frames // state
	if d := <-waits; d != time.Second {
		t.Fatalf("wait = %v, want 1s per simulated minute at 60x", d)
	}
	if err := s.SetSpeed(120); err != nil {
		t.Fatal(err)
	}
	if d := <-waits; d != 500*time.Millisecond {
		t.Fatalf("wait after SetSpeed(120) = %v", d)
	}
	if f, want := string(<-sink.frames), `{"v":1,"type":"batch","frames":[],"clock":{"speed":120}}`; f != want {
		t.Fatalf("after SetSpeed(120) the sink got %s, want %s", f, want)
	}
	if err := s.SetSpeed(5000); err == nil {
		t.Error("SetSpeed(5000) accepted")
	}
	s.Pause()
	if d := <-waits; d != -1 || !s.Paused() {
		t.Fatalf("paused wait = %v", d)
	}
	fake.Advance(time.Hour)
	before := s.Now()
	// A desk on the feed is told of the pause and of the resume, at the
	// data time the clock stands at (docs/protocol.md, Pause).
	at := before.Format(time.RFC3339Nano)
	if f, want := string(<-sink.frames), `{"v":1,"type":"batch","frames":[],"pause":{"at":"`+at+`"}}`; f != want {
		t.Fatalf("after Pause the sink got %s, want %s", f, want)
	}
	s.Resume()
	<-waits
	if !s.Now().Equal(before) {
		t.Errorf("clock moved while paused")
	}
	if f, want := string(<-sink.frames), `{"v":1,"type":"batch","frames":[],"pause":{"at":"`+at+`","resumed":true}}`; f != want {
		t.Fatalf("after Resume the sink got %s, want %s", f, want)
	}
	if err := s.Seek(before.Add(-time.Minute)); err == nil {
		t.Error("backward seek accepted")
	}
	fake.Advance(500 * time.Millisecond)
	<-sink.frames
	if got := s.Now(); !got.Equal(before.Add(time.Minute)) {
		t.Errorf("Now = %v, want %v", got, before.Add(time.Minute))
	}
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	<-sink.frames
	<-sink.frames
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The day is over, which is not a lost link: the sink is told so.
	if ev := <-sink.links; ev.Up || !ev.End || !ev.At.Equal(s.End()) {
		t.Errorf("last link event %+v, want the end of the day (End, at %s)", ev, s.End())
	}
}

func TestHeartbeat(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(20 * time.Hour), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]int{}
	for step := 0; step < 30; step++ {
		for _, f := range decodeBatches(t, s.Step(time.Minute)) {
			if f["type"] == "charger" {
				last[f["id"].(string)] = step
			}
		}
		for _, id := range []string{"CP-0001", "CP-0002", "CP-0003"} {
			if step >= 4 && step-last[id] >= 4 {
				t.Fatalf("step %d: %s silent since step %d", step, id, last[id])
			}
		}
	}
}

// TestBackfill checks that Run sends the feeder loads of the day before
// Start right after the hello, so a fleet's history starts at midnight.
func TestBackfill(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(2 * time.Hour), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)),
		Logger: quiet, Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	sink := chanSink{frames: make(chan []byte, 1000), links: make(chan feeds.LinkEvent, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	// hello, then 120 minutes x 2 feeders of backfill, then the state at 02:00.
	fleet.HandleFrame(<-sink.frames)
	var feederFrames int
	for feederFrames < 120*2 {
		raw := <-sink.frames
		for _, f := range decodeBatches(t, [][]byte{raw}) {
			if f["type"] != "feeder" {
				t.Fatalf("backfill carries a %v frame; want feeder frames only", f["type"])
			}
			feederFrames++
		}
		fleet.HandleFrame(raw)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	snap := fleet.Snapshot()
	if snap.Stats.RejectTotal() != 0 || snap.Stats.Ignored != 0 {
		t.Fatalf("fleet rejected %v, ignored %d", snap.Stats.Rejects, snap.Stats.Ignored)
	}
	h := snap.SystemHistory()
	vals := h.Range(sc.Start(), sc.Start().Add(2*time.Hour))
	for i, v := range vals {
		if math.Abs(v-200) > 1e-9 {
			t.Fatalf("system history minute %d = %v kW, want the two base loads (200 kW)", i, v)
		}
	}
}

// TestCatchUpLogsOneSummary: a sim started late in the day replays the
// departures before its start in one summary line (how many, how short),
// not one line per EV before the server even says it is listening; an EV
// that leaves short after the start still has its own line.
func TestCatchUpLogsOneSummary(t *testing.T) {
	sc := testScenario(t)
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s, err := New(sc, Options{Start: sc.Start().Add(20 * time.Hour), Logger: log, Clock: clock.NewFake(time.Unix(0, 0)), Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "EV left short of its target") {
		t.Fatalf("catch-up logged per EV:\n%s", out)
	}
	st := s.Stats()
	if st.UnmetSessions != 1 || strings.Count(out, "\n") != 1 ||
		!strings.Contains(out, "before the start") || !strings.Contains(out, "sessions=1") || !strings.Contains(out, "short_kwh=26.48") {
		t.Fatalf("catch-up log (unmet %d, %.2f kWh):\n%s", st.UnmetSessions, st.UnmetKWh, out)
	}

	buf.Reset()
	s, err = New(sc, Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Logger: log, Clock: clock.NewFake(time.Unix(0, 0))})
	if err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("nobody left short before 18:30, yet:\n%s", buf.String())
	}
	s.Step(time.Hour)
	if out := buf.String(); strings.Count(out, "EV left short of its target") != 1 || !strings.Contains(out, "charger=CP-0003") {
		t.Fatalf("after the start, CP-0003 leaving short:\n%s", out)
	}
}

// TestSeekRefusalsFitTheFooter: a refused seek says why with the time that
// matters, in the scenario's zone, short enough for the dashboard's footer
// at 80 columns ("✕ seek 15:00: " and the message); the RFC 3339 times of the
// target and the bound ran past it and the bound was cut off.
func TestSeekRefusalsFitTheFooter(t *testing.T) {
	s := newSim(t, 16*time.Hour+2*time.Minute)
	start := s.Now()
	tests := []struct {
		name string
		at   time.Time
		is   error
		msg  string
	}{
		{"backwards", start.Add(-time.Hour), ErrSeekBackwards, "the simulator cannot seek backwards: it is at 16:02"},
		{"past the end", s.End().Add(time.Hour), replay.ErrSeekRange, "the simulated day ends at 2024-02-05 00:00"},
		{"past the end, in UTC", s.End().Add(time.Hour).UTC(), replay.ErrSeekRange, "the simulated day ends at 2024-02-05 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.CheckSeek(tt.at); err == nil || err.Error() != tt.msg {
				t.Errorf("CheckSeek = %v, want %q", err, tt.msg)
			}
			err := s.Seek(tt.at)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Seek = %v, want %v", err, tt.is)
			}
			if err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err, tt.msg)
			}
			if footer := "✕ seek 15:00: " + err.Error(); len([]rune(footer)) > 78 {
				t.Errorf("footer %q is %d columns, more than fit at 80", footer, len([]rune(footer)))
			}
		})
	}
}
