package tui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// catchUpDesk is a replay desk whose source seeks from 14:00 to 18:00
// (site time, Asia/Shanghai): F07 and F10 overload inside the span, three
// times in all, F11 runs near its limit once, and F07 is overloaded
// again at the arrival.
type catchUpDesk struct {
	t        *testing.T
	now      time.Time
	fleet    *feeds.Fleet
	eng      *alarm.Engine
	catchUps uint64
	catching bool
}

func newCatchUpDesk(t *testing.T) *catchUpDesk {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	d := &catchUpDesk{t: t, now: time.Date(2026, 11, 26, 14, 0, 0, 0, loc)}
	d.fleet = feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return d.now }, Wall: func() time.Time { return d.now },
		CatchingUp: func() (uint64, bool) { return d.catchUps, d.catching }})
	d.eng = alarm.NewEngine(alarm.Options{Clock: func() time.Time { return d.now }})
	d.fleet.HandleLink(feeds.LinkEvent{Up: true, At: d.now})
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Demo City", TimeZone: "Asia/Shanghai", TS: d.now, Mode: "replay"}
	for _, id := range []string{"F07", "F10", "F11"} {
		hello.Feeders = append(hello.Feeders, feeds.FeederInfo{ID: id, ImportLimitKW: 1000})
		hello.Chargers = append(hello.Chargers, feeds.ChargerInfo{ID: "CP-" + id, Feeder: id, MaxChargeKW: 22})
	}
	d.send(hello)
	d.minute(map[string]float64{})
	return d
}

func (d *catchUpDesk) send(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		d.t.Fatal(err)
	}
	d.fleet.HandleFrame(raw)
}

// minute sends every feeder's load (500 kW unless kw says) at the clock.
func (d *catchUpDesk) minute(kw map[string]float64) {
	for _, id := range []string{"F07", "F10", "F11"} {
		v, ok := kw[id]
		if !ok {
			v = 500
		}
		d.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: id, TS: d.now, KW: v})
	}
}

// seek delivers 14:01..18:00 as one catch-up, calling look every hour.
func (d *catchUpDesk) seek(look func()) {
	d.catchUps, d.catching = 1, true
	for m := 1; m <= 240; m++ {
		d.now = d.now.Add(time.Minute)
		kw := map[string]float64{}
		switch {
		case m >= 20 && m < 40, m >= 100 && m < 110: // 14:20, 15:40
			kw["F07"] = 1150
		case m >= 130 && m < 150: // 16:10
			kw["F10"] = 1080
		case m >= 200: // 17:20 on: still over at the arrival
			kw["F07"] = 1200
		}
		if m >= 60 && m < 80 {
			kw["F11"] = 950
		}
		d.minute(kw)
		if look != nil && m%60 == 0 {
			look()
		}
	}
	d.catching = false
}

// TestCatchUpFlash: after a seek's catch-up the desk lists only the
// overload still on, and the footer says once, in the operator's language
// and at 80 columns too, what came and went unraised, and the key to the
// alarms page as a key: "(see 4 alarms)" read as a count of four alarms.
func TestCatchUpFlash(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		w, h  int
		want  string
		never []string
	}{
		{"", 160, 45, "skipped 14:00–18:00: 3 overloads on F07, F10, 1 loading warning on F11 (press 4: Alarms)", []string{"see 4 alarms"}},
		{"", 80, 24, "skipped 14:00–18:00: 3 overloads F07 F10, 1 warning F11 (press 4: Alarms)", []string{"see 4 alarms"}},
		{"zh-CN", 160, 45, "已跳过 14:00–18:00：F07, F10 过载 3 次，F11 负载预警 1 次 (按 4 查看告警页)", []string{"skipped", "overload", "warning", "press 4", "Alarms)"}},
		{"zh-CN", 80, 24, "已跳过 14:00–18:00：F07, F10 过载 3 次，F11 负载预警 1 次 (按 4 查看告警页)", []string{"skipped", "overload", "warning", "press 4", "Alarms)"}},
	} {
		d := newCatchUpDesk(t)
		m := New(Options{Alarms: d.eng, Lang: tc.lang, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		d.seek(func() {
			m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
			if foot := lastLine(ansi.Strip(m.View())); strings.Contains(foot, "14:00–") || strings.Contains(foot, "F07") {
				t.Errorf("%q %dx%d: footer mid-way %q", tc.lang, tc.w, tc.h, foot)
			}
		})
		d.now = d.now.Add(time.Second)
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		screen := ansi.Strip(m.View())
		if foot := lastLine(screen); !strings.Contains(foot, tc.want) {
			t.Errorf("%q %dx%d: footer %q, want %q", tc.lang, tc.w, tc.h, foot, tc.want)
		}
		for _, english := range tc.never {
			if strings.Contains(screen, english) {
				t.Errorf("%q %dx%d: the Chinese desk shows %q:\n%s", tc.lang, tc.w, tc.h, english, screen)
			}
		}
		if b := d.eng.Board(); len(b.Alarms) != 1 || b.Alarms[0].ID != "loading/F07" || b.Alarms[0].First.Format("15:04") != "17:20" {
			t.Errorf("%q: listed %+v, want F07's overload from 17:20 only", tc.lang, b.Alarms)
		}
		// Once: the next snapshot does not flash it again.
		m.flash = ""
		d.now = d.now.Add(time.Second)
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		if m.flash != "" {
			t.Errorf("%q: flashed again %q", tc.lang, m.flash)
		}
	}
}

// TestCatchUpNotFlashedToLaterSession: a session opened after a catch-up
// (an SSH operator logging in) does not flash it.
func TestCatchUpNotFlashedToLaterSession(t *testing.T) {
	d := newCatchUpDesk(t)
	d.eng.Observe(d.fleet.Snapshot())
	d.seek(nil)
	d.eng.Observe(d.fleet.Snapshot())
	m := New(Options{Alarms: d.eng, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	d.now = d.now.Add(time.Second)
	m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
	if m.flash != "" {
		t.Errorf("a later session flashes %q", m.flash)
	}
}
