package tui

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// shift is a live desk left running for hours: a feed of n chargers on
// twelve feeders sending every charger and feeder once a minute, on a
// clock the test moves (a live desk's wall clock), with the churn of a
// real site: every hour 5% of the chargers are decommissioned (silent for
// their last ten minutes, then left out of a new hello) and as many new
// ones come, one charger in fifty faults for a quarter of each hour, and
// the grid operator sends a price event for the next hour. The alarm
// engine watches every minute's snapshot and a dashboard takes each one,
// as a desk does; nobody acknowledges anything.
type shift struct {
	tb      testing.TB
	clock   time.Time
	fleet   *feeds.Fleet
	alarm   *alarm.Engine
	desk    *Model
	snap    *feeds.Snapshot
	ids     []int // the chargers in the topology, by number
	leaving int   // how many of ids go this hour (the first ones)
	next    int   // the next new charger's number
	buf     []byte
}

const shiftFeeders = 12

func newShift(tb testing.TB, n int) *shift {
	s := &shift{tb: tb, clock: day.Add(18 * time.Hour), next: n}
	now := func() time.Time { return s.clock }
	s.fleet = feeds.NewFleet(feeds.FleetOptions{Clock: now, Wall: now})
	s.alarm = alarm.NewEngine(alarm.Options{Clock: now})
	for i := range n {
		s.ids = append(s.ids, i)
	}
	s.fleet.HandleLink(feeds.LinkEvent{Up: true, At: s.clock})
	s.hello()
	s.desk = New(Options{Mode: feeds.ModeLive, Alarms: s.alarm, Operator: "ana", Role: RoleDispatcher, Lang: "en",
		Renderer: asciiRenderer(), Now: now, TimeOfUse: demoBands})
	s.desk.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	return s
}

func chargerID(i int) string { return "CP-" + strconv.Itoa(100000+i) }

// hello sends the topology of s.ids.
func (s *shift) hello() {
	h := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Night City", TimeZone: "Asia/Shanghai", TS: s.clock,
		System: &feeds.SystemInfo{ImportLimitKW: shiftFeeders * 1000}}
	for f := range shiftFeeders {
		h.Feeders = append(h.Feeders, feeds.FeederInfo{ID: fmt.Sprintf("F%02d", f+1), ImportLimitKW: 1000})
	}
	for _, i := range s.ids {
		h.Chargers = append(h.Chargers, feeds.ChargerInfo{ID: chargerID(i), Feeder: fmt.Sprintf("F%02d", i%shiftFeeders+1),
			MaxChargeKW: 11, MaxDischargeKW: 10})
	}
	if err := s.fleet.Apply(&h); err != nil {
		s.tb.Fatal(err)
	}
}

func (s *shift) send(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.fleet.HandleFrame(raw)
}

// minute delivers one minute of the feed and lets the desk look at it.
func (s *shift) minute() {
	min := s.clock.Minute()
	if min == 0 {
		// The leavers go, as many new chargers come, and the grid
		// operator prices the next hour.
		s.ids = s.ids[s.leaving:]
		for range s.leaving {
			s.ids = append(s.ids, s.next)
			s.next++
		}
		s.leaving = len(s.ids) / 20
		s.hello()
		s.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "PRICE-" + s.clock.Format("0102-15"),
			Kind: feeds.EventPrice, Scope: feeds.ScopeSystem, Start: s.clock, End: s.clock.Add(time.Hour), Price: ptr(0.42), Source: "tariff"})
	}
	ts := s.clock.UTC().Format(time.RFC3339)
	for k, i := range s.ids {
		if k < s.leaving && min >= 50 {
			continue // decommissioned: silent for its last ten minutes
		}
		state, kw := "charging", 7.0
		if i%50 == 0 && min < 15 {
			state, kw = "faulted", 0
		}
		s.buf = append(s.buf[:0], `{"v":1,"type":"charger","id":"`...)
		s.buf = append(s.buf, chargerID(i)...)
		s.buf = append(s.buf, `","ts":"`...)
		s.buf = append(s.buf, ts...)
		s.buf = append(s.buf, `","state":"`...)
		s.buf = append(s.buf, state...)
		s.buf = append(s.buf, `","kw":`...)
		s.buf = strconv.AppendFloat(s.buf, kw, 'f', 1, 64)
		s.buf = append(s.buf, `,"plugged":true,"soc":0.5,"battery_kwh":60}`...)
		s.fleet.HandleFrame(s.buf)
	}
	for f := range shiftFeeders {
		kw := 500 + 450*float64((f+min)%7)/6 // F.. over 90% now and then: loading alarms come and go
		s.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: fmt.Sprintf("F%02d", f+1), TS: s.clock, KW: kw})
	}
	s.snap = s.fleet.Snapshot()
	s.alarm.Observe(s.snap)
	s.desk.Update(SnapshotMsg{Snapshot: s.snap})
	if min%30 == 0 {
		_ = s.desk.View()
	}
	s.clock = s.clock.Add(time.Minute)
}

// hours runs the shift for h hours.
func (s *shift) hours(h int) {
	for range h * 60 {
		s.minute()
	}
	if n := s.snap.Stats.RejectTotal(); n != 0 {
		s.tb.Fatalf("%d frames rejected, latest: %s", n, s.snap.Stats.LastReject)
	}
}

// retained counts what the desk holds that could grow with the hours.
type retained struct {
	chargers, events, alarms, commLost int
}

func (s *shift) retained() retained {
	b := s.alarm.Board()
	r := retained{chargers: s.snap.NumChargers(), events: len(s.snap.Events), alarms: len(b.Alarms)}
	for _, a := range b.Alarms {
		if a.Kind == alarm.KindCommLost {
			r.commLost++
		}
	}
	return r
}

// heapMB is the live heap after a collection, in MB.
func heapMB() float64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / 1e6
}

// alarmsInTopology names the listed alarms of chargers and feeders the
// desk no longer has.
func (s *shift) alarmsInTopology() []string {
	var gone []string
	for _, a := range s.alarm.Board().Alarms {
		switch a.Kind {
		case alarm.KindFault, alarm.KindCommLost:
			if _, ok := s.snap.ChargerIndex(a.Source); !ok {
				gone = append(gone, a.ID)
			}
		case alarm.KindLoading, alarm.KindStaleFeed:
			if _, ok := s.snap.Feeder(a.Source); !ok && a.Source != "feed" {
				gone = append(gone, a.ID)
			}
		}
	}
	return gone
}

// TestLongShiftKeepsWhatItHoldsBounded: a live desk on a churning site for
// 26 hours, nobody acknowledging anything, holds no more after them than
// after its second hour: the chargers of the topology, the DR events of
// the last 24 hours, and the alarms of chargers and feeders it still has.
// The alarms of the chargers the site retired stayed, one more every few
// minutes for as long as the desk ran.
func TestLongShiftKeepsWhatItHoldsBounded(t *testing.T) {
	const n = 300
	s := newShift(t, n)
	s.hours(2)
	early := s.retained()
	s.hours(24)
	late := s.retained()
	if late.chargers != n {
		t.Errorf("after 26 h: %d chargers; want the topology's %d", late.chargers, n)
	}
	if late.events > 25 {
		t.Errorf("after 26 h: %d DR events held; want at most 25 (the last 24 h and the hour in force)", late.events)
	}
	if late.alarms > early.alarms || late.commLost > early.commLost {
		t.Errorf("after 26 h: %+v; after 2 h: %+v: the alarm list grew", late, early)
	}
	if gone := s.alarmsInTopology(); len(gone) > 0 {
		t.Errorf("after 26 h: %d alarms of chargers or feeders no longer in the topology: %v", len(gone), gone)
	}
}

// BenchmarkLongShift is a live desk on a site of 3,000 chargers for 72
// simulated hours (one frame per charger a minute, 5% of the chargers
// retired an hour): the live heap and the alarm list after 1, 24, 48 and
// 72 hours (the feeders' minute histories fill their 48 hours by the
// third). Run once: go test -run '^$' -bench LongShift -benchtime 1x ./tui/
func BenchmarkLongShift(b *testing.B) {
	for range b.N {
		s := newShift(b, 3000)
		done := 0
		for _, h := range []int{1, 24, 48, 72} {
			s.hours(h - done)
			done = h
			b.ReportMetric(heapMB(), fmt.Sprintf("heap-MB-%dh", h))
			b.ReportMetric(float64(s.retained().alarms), fmt.Sprintf("alarms-%dh", h))
		}
		b.ReportMetric(float64(s.retained().events), "events-72h")
		runtime.KeepAlive(s)
	}
}
