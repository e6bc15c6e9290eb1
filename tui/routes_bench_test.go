package tui

import (
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// lockedRoutes answers Options.Routing as the guard's Route does: a map
// lookup under a mutex, per charger.
type lockedRoutes struct {
	mu sync.Mutex
	ok map[string]bool
	n  int // calls
}

func (r *lockedRoutes) route(charger string) (adapters.RouteFault, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.ok[charger] {
		return adapters.RouteOK, "site"
	}
	return adapters.RouteNotRunning, "site"
}

// calls is how many chargers the desk has asked about.
func (r *lockedRoutes) calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// shownPlans is a Dispatcher whose events a test replaces.
type shownPlans struct {
	Dispatcher
	events []control.EventView
}

func (d *shownPlans) Events() []control.EventView { return d.events }
func (d *shownPlans) Changes() <-chan struct{}    { return nil }

// commandAll is a preview of event ev, planned at s's time, whose plan
// commands every charger of s, each to kw.
func commandAll(ev *feeds.EventFrame, s *feeds.Snapshot, kw float64) *plan.Preview {
	pv := &plan.Preview{Event: ev, Start: s.At, Slot: 15 * time.Minute, EVs: s.NumChargers(), SolveTime: 76 * time.Millisecond, Gap: 2e-5}
	for i := range s.NumChargers() {
		pv.Setpoints = append(pv.Setpoints, plan.Setpoint{Charger: s.ChargerAt(i).ID, KW: kw, ValidUntil: ev.Start.Add(20 * time.Minute)})
	}
	return pv
}

// routedPlanDesk is the desk at 160x45 on the dispatch page of a pending
// event whose plan commands every charger of fx (one setpoint each), with
// --adapters routing those for which routed says so.
func routedPlanDesk(tb testing.TB, fx *fixture, routed func(i int) bool) (*Model, *lockedRoutes, *shownPlans) {
	tb.Helper()
	return routedPlanDeskIn(tb, fx, "", 160, 45, routed)
}

// routedPlanDeskIn is routedPlanDesk in lang at w x h.
func routedPlanDeskIn(tb testing.TB, fx *fixture, lang string, w, h int, routed func(i int) bool) (*Model, *lockedRoutes, *shownPlans) {
	tb.Helper()
	s := fx.snap
	start := fixedNow.Truncate(time.Hour)
	ev := feeds.EventFrame{ID: "DR-B", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, KW: 1000, Start: start, End: start.Add(2 * time.Hour)}
	r := &lockedRoutes{ok: make(map[string]bool)}
	for i := range s.NumChargers() {
		if routed(i) {
			r.ok[s.ChargerAt(i).ID] = true
		}
	}
	opts, _ := testOptions(fx, lang)
	d := &shownPlans{events: []control.EventView{{Event: ev, State: control.StatePending, Preview: commandAll(&ev, s, 3.5)}}}
	opts.Dispatch = d
	opts.Routing = r.route
	opts.Routes = "--adapters site.json"
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: s})
	m.openDispatch("DR-B")
	m.Update(drChangedMsg{}) // the footer's keys follow the page
	return m, r, d
}

// BenchmarkDispatchPageRoutes100k: the dispatch page of a plan that
// commands all of 100,000 chargers on a desk with --adapters, per redraw
// and per key (a key that does nothing on the page, then the redraw):
// "half" routes every other charger, "none" none (the page then also
// counts what the adapters route of the whole feed).
func BenchmarkDispatchPageRoutes100k(b *testing.B) {
	fx := newFixture(b, 100, 1000, true)
	for _, c := range []struct {
		name   string
		routed func(int) bool
	}{{"half", func(i int) bool { return i%2 == 0 }}, {"none", func(int) bool { return false }}} {
		m, _, _ := routedPlanDesk(b, fx, c.routed)
		_ = m.View()
		b.Run(c.name+"/view", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
		b.Run(c.name+"/key", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'z'}})
				_ = m.View()
			}
		})
	}
}
