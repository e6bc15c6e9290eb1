package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// movingFleet is a fleet whose snapshot a test moves on.
type movingFleet struct {
	mu sync.Mutex
	s  *feeds.Snapshot
}

func (f *movingFleet) Snapshot() *feeds.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s
}

func (f *movingFleet) set(s *feeds.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.s = s
}

// TestPendingEventOpensOnAPlanOfNow: a pending event opened again after
// its slot showed the preview of then, "enter confirm and send 78
// setpoints" under an earlier fleet's figures with nothing to say so (the
// 18:05 plan opened at 20:43). A dispatcher's open plans it again; a
// viewer's, which must not replace a dispatcher's plan, says when it was
// planned and that its figures are not now's. In English and zh-CN.
func TestPendingEventOpensOnAPlanOfNow(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		fleet := &movingFleet{s: fx.snap}
		ctl := newDRController(t, fx, func(o *control.Options) { o.Fleet = fleet })
		model := func(role string) *Model {
			opts, _ := testOptions(fx, lang)
			opts.Dispatch = ctl
			if role != "" {
				opts.Role = role
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			return m
		}
		m := model("")
		runKeys(m, "5EX") // DR-17 opened, planned at 18:42, and left pending
		first, _ := ctl.Event("DR-17")
		if first.State != control.StatePending || first.Preview == nil {
			t.Fatalf("DR-17: %s, preview %v; want pending with a preview", first.State, first.Preview != nil)
		}
		later := *fx.snap
		later.At = fx.snap.At.Add(20 * time.Minute)
		later.Seq++
		fleet.set(&later)
		viewer := model(RoleViewer)
		for _, mm := range []*Model{m, viewer} {
			mm.Update(SnapshotMsg{Snapshot: &later})
		}
		tr := m.tr.t
		staleWords := strings.SplitN(tr("planned at %s, for an earlier slot: these figures are not now's"), "%s", 2)[1]

		runKeys(viewer, "5E")
		if v, _ := ctl.Event("DR-17"); v.Preview != first.Preview {
			t.Errorf("%s: a viewer's open planned DR-17 again", lang)
		}
		page := flat(ansi.Strip(viewer.View()))
		if !strings.Contains(page, staleWords) || !strings.Contains(page, "18:42") {
			t.Errorf("%s: the viewer's page of DR-17's 18:42 plan at 19:02 does not say it is an earlier slot's:\n%s", lang, page)
		}

		runKeys(m, "E") // the dispatcher opens DR-17 again
		v, _ := ctl.Event("DR-17")
		if v.Preview == first.Preview || v.Preview == nil || !v.Preview.Start.Equal(later.At) {
			t.Errorf("%s: the dispatcher's open at 19:02 kept the 18:42 plan", lang)
		}
		if page := flat(ansi.Strip(m.View())); strings.Contains(page, staleWords) {
			t.Errorf("%s: the page planned anew still says its figures are an earlier slot's:\n%s", lang, page)
		}
	}
}

// TestStaleLargeDispatchPlansAgainAtOnce: on a large dispatch's page left
// open over a slot's end, enter asked "enter again to confirm" of the old
// plan, and the second enter only brought "not sent: a new slot began" and
// the question again, of the new plan. The first enter plans again at once.
func TestStaleLargeDispatchPlansAgainAtOnce(t *testing.T) {
	fx := demo(t)
	fleet := &movingFleet{s: fx.snap}
	snd := &recordingSender{}
	ctl := newDRController(t, fx, func(o *control.Options) { o.Fleet, o.Sender, o.SecondConfirmKW = fleet, snd, 1 })
	m := newDRModel(fx, ctl, "")
	runKeys(m, "5E") // DR-17's page, planned at 18:42
	first, _ := ctl.Event("DR-17")
	if !first.NeedsSecond {
		t.Fatal("DR-17 does not need a second enter: the test needs a large dispatch")
	}
	later := *fx.snap
	later.At = fx.snap.At.Add(20 * time.Minute)
	later.Seq++
	fleet.set(&later)
	m.Update(SnapshotMsg{Snapshot: &later})
	runKeys(m, "E")
	foot := ansi.Strip(lastLine(m.View()))
	if strings.Contains(foot, "enter again to confirm") || !strings.Contains(foot, "not sent: a new slot began") {
		t.Errorf("enter on the 18:42 plan at 19:02 says %q, want it planned again at once", foot)
	}
	v, _ := ctl.Event("DR-17")
	if v.State != control.StatePending || v.Preview == first.Preview || snd.count() != 0 {
		t.Errorf("after enter: DR-17 %s, planned again %v, %d sent; want pending, planned again, nothing sent", v.State, v.Preview != first.Preview, snd.count())
	}
}

// countingPlans is a Dispatcher showing fixed events that counts the plans
// asked of it.
type countingPlans struct {
	Dispatcher
	events []control.EventView
	plans  int
}

func (d *countingPlans) Events() []control.EventView { return d.events }
func (d *countingPlans) Changes() <-chan struct{}    { return nil }
func (d *countingPlans) Preview(context.Context, string) (*plan.Preview, error) {
	d.plans++
	return nil, control.ErrBusy
}

// TestBusyEventIsNotPlannedOnOpening: a pending event whose plan is an
// earlier slot's is planned again on opening, but not while a plan of it
// is being made: the controller refuses that as busy, and the footer would
// have said so for nothing.
func TestBusyEventIsNotPlannedOnOpening(t *testing.T) {
	fx := demo(t)
	ev := feeds.EventFrame{ID: "DR-B", Kind: feeds.EventImportCap, Scope: "F07", KW: 3000, Start: fx.snap.At, End: fx.snap.At.Add(time.Hour)}
	old := &plan.Preview{Event: &ev, Start: fx.snap.At.Add(-time.Hour), Slot: 15 * time.Minute}
	for _, busy := range []bool{true, false} {
		d := &countingPlans{events: []control.EventView{{Event: ev, State: control.StatePending, Busy: busy, Preview: old}}}
		opts, _ := testOptions(fx, "")
		opts.Dispatch = d
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		m.Update(drChangedMsg{})
		runKeys(m, "5E")
		if want := map[bool]int{true: 0, false: 1}[busy]; d.plans != want {
			t.Errorf("busy %v: opening DR-B asked for %d plans, want %d", busy, d.plans, want)
		}
	}
}
