package tui

import (
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// benchModel is the dashboard at 160x45 on a fleet of nFeeders feeders with
// perFeeder chargers each, a day of feeder history, one charger round.
func benchModel(b *testing.B, nFeeders, perFeeder int) (*Model, *fixture) {
	b.Helper()
	fx := newFixture(b, nFeeders, perFeeder, true)
	opts, _ := testOptions(fx, "")
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m, fx
}

// BenchmarkView measures View() at 160x45 with 100 feeders and 10,000
// chargers, per screen, on an unchanged snapshot (a key press or the
// clock tick) — what the terminal redraw costs.
func BenchmarkView(b *testing.B) {
	m, _ := benchModel(b, 100, 100)
	for _, sc := range []struct{ name, keys string }{
		{"overview", "1"}, {"feeders", "2"}, {"feeder_detail", "2E"}, {"chargers", "3"},
		{"chargers_scrolled", "3G"}, {"chargers_filtered", "3"}, {"alarms", "4"}, {"events", "5"}, {"triage", "t"},
	} {
		b.Run(sc.name, func(b *testing.B) {
			m.switchView(viewOverview)
			press(m, sc.keys)
			if sc.name == "chargers_filtered" {
				m.page().filter = "state:dis"
			}
			_ = m.View()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
			b.StopTimer()
			m.page().filter = ""
		})
	}
}

// BenchmarkSnapshotUpdate measures one feed tick: a new snapshot arrives
// (alarm evaluation, derived figures, filter index) and the overview and
// the filtered charger list are redrawn.
func BenchmarkSnapshotUpdate(b *testing.B) {
	m, fx := benchModel(b, 100, 100)
	snaps := make([]*feeds.Snapshot, 64)
	for i := range snaps {
		fx.clock = fixedNow.Add(time.Duration(i+1) * time.Second)
		fx.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: "F07", TS: fx.clock, KW: float64(3000 + i)})
		snaps[i] = fx.fleet.Snapshot()
	}
	for _, sc := range []struct{ name, keys, filter string }{{"overview", "1", ""}, {"chargers_filtered", "3", "state:dis"}} {
		b.Run(sc.name, func(b *testing.B) {
			m.switchView(viewOverview)
			press(m, sc.keys)
			m.page().filter = sc.filter
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// Each iteration must see a snapshot newer than the last.
				s := *snaps[i%len(snaps)]
				s.Seq = uint64(1_000_000 + i)
				i++
				m.Update(SnapshotMsg{Snapshot: &s})
				_ = m.View()
			}
		})
	}
}

// BenchmarkModelMemory100k reports the heap held by a running dashboard on
// 100,000 chargers: the whole desk (fleet, snapshot, alarms, model) and the
// model's own share once every screen has been drawn, a charger filter
// index included.
func BenchmarkModelMemory100k(b *testing.B) {
	for b.Loop() {
		var before, fleetOnly, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		fx := newFixture(b, 100, 1000, true)
		runtime.GC()
		runtime.ReadMemStats(&fleetOnly)
		opts, _ := testOptions(fx, "")
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		for _, k := range []string{"1", "2", "2E", "3", "3G", "4", "5"} {
			m.switchView(viewOverview)
			press(m, k)
			_ = m.View()
		}
		press(m, "3")
		m.page().filter = "state:ch"
		_ = m.View()
		runtime.GC()
		runtime.ReadMemStats(&after)
		if m.snap.NumChargers() != 100_000 {
			b.Fatalf("%d chargers", m.snap.NumChargers())
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-desk")
		b.ReportMetric(float64(after.HeapAlloc-fleetOnly.HeapAlloc)/(1<<20), "MB-model")
		runtime.KeepAlive(m)
		runtime.KeepAlive(fx)
	}
}

// BenchmarkChargers100k: the charger list on 100,000 chargers. Only the
// visible rows are drawn; a filter is re-evaluated once per new snapshot.
func BenchmarkChargers100k(b *testing.B) {
	m, _ := benchModel(b, 100, 1000)
	press(m, "3")
	b.Run("view", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = m.View()
		}
	})
	b.Run("view_bottom", func(b *testing.B) {
		press(m, "G")
		b.ReportAllocs()
		for b.Loop() {
			_ = m.View()
		}
	})
	b.Run("view_guard", func(b *testing.B) {
		// The "last ack" column asks the guard for each visible row
		// (Model.lastAck): a guard holding a result for every charger.
		press(m, "g")
		g := &latestGuard{latest: make(map[string]adapters.Outcome, m.snap.NumChargers())}
		for i := range m.snap.NumChargers() {
			id := m.snap.ChargerAt(i).ID
			g.latest[id] = adapters.Outcome{Result: adapters.Result{Charger: id, Status: adapters.StatusAccepted, AppliedKW: 3.2, At: m.snap.At}}
		}
		m.opts.Setpoints = g
		defer func() { m.opts.Setpoints = nil }()
		b.ReportAllocs()
		for b.Loop() {
			_ = m.View()
		}
	})
	b.Run("filter_new_snapshot", func(b *testing.B) {
		p := m.page()
		p.filter = "f:F07 s:ch"
		s := *m.snap
		b.ReportAllocs()
		for b.Loop() {
			s.Seq++ // as if a new snapshot had arrived
			m.snap = &s
			_ = m.View()
		}
	})
}
