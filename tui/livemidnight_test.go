package tui

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// liveNight is a live desk's feed through midnight: a fleet fed protocol
// frames minute by minute on a clock the test moves (the wall clock of a
// live desk), and the alarm engine watching each minute's snapshot, as
// cmd/v2gdesk's ingest does.
type liveNight struct {
	t     *testing.T
	clock time.Time
	fleet *feeds.Fleet
	alarm *alarm.Engine
	snap  *feeds.Snapshot
	// silentFrom, when set, is when CP-0006 stops reporting.
	silentFrom time.Time
}

// newLiveNight starts the feed at from: a hello that says nothing of its
// mode (live), three feeders and six chargers, and a grid operator's cap
// on F02 from 22:30 to 01:30 the next day.
func newLiveNight(t *testing.T, from time.Time) *liveNight {
	ln := &liveNight{t: t, clock: from}
	now := func() time.Time { return ln.clock }
	ln.fleet = feeds.NewFleet(feeds.FleetOptions{Clock: now, Wall: now})
	ln.alarm = alarm.NewEngine(alarm.Options{Clock: now})
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Night City", TimeZone: "Asia/Shanghai", TS: from,
		System:  &feeds.SystemInfo{ImportLimitKW: 3000},
		Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 1000}, {ID: "F02", ImportLimitKW: 1000}, {ID: "F03", ImportLimitKW: 1000}}}
	for i := range 6 {
		hello.Chargers = append(hello.Chargers, feeds.ChargerInfo{ID: fmt.Sprintf("CP-%04d", i+1), Feeder: fmt.Sprintf("F%02d", i%3+1),
			MaxChargeKW: 11, MaxDischargeKW: 10})
	}
	ln.fleet.HandleLink(feeds.LinkEvent{Up: true, At: from})
	ln.send(hello)
	ln.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-NIGHT", Kind: feeds.EventImportCap, Scope: "F02",
		Start: day.Add(22*time.Hour + 30*time.Minute), End: day.Add(25*time.Hour + 30*time.Minute), KW: 900, Source: "grid operator"})
	return ln
}

func (ln *liveNight) send(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		ln.t.Fatal(err)
	}
	ln.fleet.HandleFrame(raw)
}

// runTo feeds every minute up to to: F01 goes over its limit at 23:57
// and stays there, the others stay under it; chargers report every
// minute.
func (ln *liveNight) runTo(to time.Time) {
	for ; !ln.clock.After(to); ln.clock = ln.clock.Add(time.Minute) {
		f01 := 700.0
		if !ln.clock.Before(day.Add(23*time.Hour + 57*time.Minute)) {
			f01 = 1150
		}
		for id, kw := range map[string]float64{"F01": f01, "F02": 600, "F03": 400} {
			ln.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: id, TS: ln.clock, KW: kw})
		}
		{
			for i := range 6 {
				if i == 5 && !ln.silentFrom.IsZero() && !ln.clock.Before(ln.silentFrom) {
					continue
				}
				ln.send(feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: fmt.Sprintf("CP-%04d", i+1), TS: ln.clock,
					State: feeds.StateCharging, KW: 7, Plugged: true, SoC: ptr(0.5), BatteryKWh: ptr(60.0), TargetSoC: ptr(0.8),
					Departure: ptr(ln.clock.Add(8 * time.Hour))})
			}
		}
		ln.snap = ln.fleet.Snapshot()
		ln.alarm.Observe(ln.snap)
	}
	ln.clock = to
	if n := ln.snap.Stats.RejectTotal(); n != 0 {
		ln.t.Fatalf("%d frames rejected, latest: %s", n, ln.snap.Stats.LastReject)
	}
}

// desk is a live desk at w x h on the feed as it is now.
func (ln *liveNight) desk(w, h int) *Model {
	m := New(Options{Mode: feeds.ModeLive, Alarms: ln.alarm, Operator: "ana", Role: RoleDispatcher, Lang: "en",
		Renderer: asciiRenderer(), Now: func() time.Time { return ln.clock }, TimeOfUse: demoBands})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: ln.snap})
	return m
}

// TestLiveDeskThroughMidnight: a live desk at 00:10 on a feed it has
// watched since 21:00, at 160x45 and 80x24, shows what the on-call engineer
// needs about the night: the load chart still has the evening and the
// overload that began at 23:58 (it turned at midnight to an empty day: ten
// minutes of load under "today"), its axis runs on past midnight, and the
// alarm, triage and the DR event that spans midnight give their times
// across it.
func TestLiveDeskThroughMidnight(t *testing.T) {
	ln := newLiveNight(t, day.Add(21*time.Hour))
	ln.runTo(day.Add(24*time.Hour + 10*time.Minute))
	for _, sz := range [][2]int{{160, 45}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", sz[0], sz[1])
		m := ln.desk(sz[0], sz[1])

		ch := m.systemChart()
		span := m.chartSpan()
		if want := day.Add(6 * time.Hour); !span.start.Equal(want) || span.hours != 24 {
			t.Errorf("%s: chart from %v for %d h; want from %v (yesterday 06:00) for 24 h", name, span.start, span.hours, want)
		}
		meas := ch.series[0].vals
		for _, at := range []time.Duration{21 * time.Hour, 23*time.Hour + 58*time.Minute, 24*time.Hour + 9*time.Minute} {
			i := int(day.Add(at).Sub(span.start) / time.Minute)
			if i < 0 || i >= len(meas) || meas[i] != meas[i] {
				t.Errorf("%s: the chart has no load at %v of 11-26", name, at)
			}
		}
		if v := meas[int(day.Add(23*time.Hour+58*time.Minute).Sub(span.start)/time.Minute)]; v != 1150+600+400 {
			t.Errorf("%s: the chart's load at 23:58 is %v kW; want 2150 (F01 over its limit)", name, v)
		}

		overview := ansi.Strip(m.View())
		clock := "LIVE  2026-11-27 00:10:00" // dated where the header has room
		if sz[0] < 100 {
			clock = "LIVE  00:10:00"
		}
		for _, want := range []string{clock, "System load · past 18 h, next 6 h", "F01 loading 115%"} {
			if !strings.Contains(overview, want) {
				t.Errorf("%s overview: no %q:\n%s", name, want, overview)
			}
		}
		if !regexp.MustCompile(`21 +00 +03 +06`).MatchString(overview) {
			t.Errorf("%s overview: the chart's axis does not run 21, 00, 03, 06:\n%s", name, overview)
		}
		// The time-of-use row runs on through midnight: the valley from
		// 22:00 to 06:00 is one band at the right, a third of the axis.
		band := regexp.MustCompile(`(?m)^\S*│ +(▒+▓+▒+▓+▒+)(░+) +│`).FindStringSubmatch(overview)
		if band == nil {
			t.Errorf("%s overview: no band row running flat, peak, flat, peak, flat, valley:\n%s", name, overview)
		} else if n, all := len([]rune(band[2])), len([]rune(band[1]+band[2])); n*3 < all-3 || n*3 > all+3 {
			t.Errorf("%s overview: the valley 22:00–06:00 is %d of the band row's %d cells; want a third", name, n, all)
		}
		if !strings.Contains(overview, "23:58") {
			t.Errorf("%s overview: the alarm does not say it began at 23:58:\n%s", name, overview)
		}

		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
		if v := ansi.Strip(m.View()); !regexp.MustCompile(`F01 loading 115% +UNACK +23:58`).MatchString(v) {
			t.Errorf("%s alarms: want F01 first at 23:58:\n%s", name, v)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5")})
		if v := ansi.Strip(m.View()); !regexp.MustCompile(`DR-NIGHT +import cap F02 +11-26 22:30–01:30 \(\+1 d\) +900 .*ACTIVE`).MatchString(v) {
			t.Errorf("%s events: want DR-NIGHT 11-26 22:30–01:30 (+1 d), active:\n%s", name, v)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("t")})
		if v := ansi.Strip(m.View()); !strings.Contains(v, "F01     115%  1,150 / 1,000 kW · for 12 min") {
			t.Errorf("%s triage: want F01 over for 12 min:\n%s", name, v)
		}
	}
}

// TestLiveChartAtTheEveningPeak: at the evening peak (18:00 to 19:00) a
// live desk's rolling chart is the local day, 00 to 24, as the "today"
// chart was; an hour later it has moved on by an hour.
func TestLiveChartAtTheEveningPeak(t *testing.T) {
	ln := newLiveNight(t, day.Add(17*time.Hour))
	for _, tt := range []struct {
		at       time.Duration
		fromHour int
		axis     string
	}{
		{18*time.Hour + 42*time.Minute, 0, `00 +03 +06 +09 +12 +15 +18 +21 +24`},
		{19*time.Hour + 5*time.Minute, 1, `01 +04 +07 +10 +13 +16 +19 +22 +01`},
	} {
		ln.runTo(day.Add(tt.at))
		m := ln.desk(160, 45)
		if span := m.chartSpan(); span.fromHour != tt.fromHour || !span.start.Equal(day.Add(time.Duration(tt.fromHour)*time.Hour)) {
			t.Errorf("at %v: chart from %v (hour %d); want 11-26 %02d:00", tt.at, span.start, span.fromHour, tt.fromHour)
		}
		if v := ansi.Strip(m.View()); !regexp.MustCompile(tt.axis).MatchString(v) {
			t.Errorf("at %v: want the axis %s:\n%s", tt.at, tt.axis, v)
		}
	}
}

// TestAlarmOlderThanADayIsDated: on a desk left running for days, an
// alarm older than a day gives its date where the others give their time
// (the alarm list, the overview's box at 160 columns and its line at 80):
// CP-0006 silent since 22:05 the day before yesterday read "22:05", like
// an alarm of this evening. F01's overload of 23:58, twelve minutes
// before, keeps its time.
func TestAlarmOlderThanADayIsDated(t *testing.T) {
	ln := newLiveNight(t, day.Add(-3*time.Hour))
	ln.silentFrom = day.Add(-2 * time.Hour)
	ln.runTo(day.Add(24*time.Hour + 10*time.Minute))
	a, ok := ln.alarm.Board().Find("comm_lost/CP-0006")
	if !ok || a.First.After(day) {
		t.Fatalf("comm_lost/CP-0006: %+v, %v; want an alarm from 11-25", a, ok)
	}
	for _, sz := range [][2]int{{160, 45}, {80, 24}} {
		m := ln.desk(sz[0], sz[1])
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
		v := ansi.Strip(m.View())
		if !regexp.MustCompile(`CP-0006 no data 26 h +UNACK +11-25 +11-25`).MatchString(v) {
			t.Errorf("%dx%d alarms: want CP-0006 first and last 11-25:\n%s", sz[0], sz[1], v)
		}
		if !regexp.MustCompile(`F01 loading 115% +UNACK +23:58 +23:58`).MatchString(v) {
			t.Errorf("%dx%d alarms: want F01 at 23:58:\n%s", sz[0], sz[1], v)
		}
	}
	m := ln.desk(160, 45)
	if v := ansi.Strip(m.View()); !regexp.MustCompile(`CP-0006 no data .* 11-25 │`).MatchString(v) {
		t.Errorf("160x45 overview: want CP-0006's alarm dated 11-25:\n%s", v)
	}
}
