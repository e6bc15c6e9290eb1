package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// routedDesk is the fixture's dispatcher desk whose adapters (--adapters
// site.json) route only the chargers in routed, with DR-17 planned. The
// routes are settled before the page is drawn, as a desk's adapters are:
// the page asks about a plan's chargers once.
func routedDesk(t *testing.T, lang string, w, h int, routed func(ids []string) map[string]bool) (*Model, *control.Controller, *recordingSender) {
	t.Helper()
	fx := demo(t)
	snd := &recordingSender{}
	ctl := newDRController(t, fx, func(o *control.Options) { o.Sender = snd })
	pv, err := ctl.Preview(context.Background(), "DR-17")
	if err != nil || len(pv.Setpoints) < 4 {
		t.Fatalf("DR-17 not planned with setpoints: %v %+v", err, pv)
	}
	var ids []string
	for _, sp := range pv.Setpoints {
		ids = append(ids, sp.Charger)
	}
	ok := routed(ids)
	opts, _ := testOptions(fx, lang)
	opts.Dispatch = ctl
	opts.Routing = func(charger string) (adapters.RouteFault, string) {
		if ok[charger] {
			return adapters.RouteOK, "site"
		}
		return adapters.RouteNotRunning, "site"
	}
	opts.Routes = "--adapters site.json"
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, "5E") // DR-17's page, planned
	if v, _ := ctl.Event("DR-17"); v.Preview != pv {
		t.Fatalf("DR-17 planned again on opening its page")
	}
	return m, ctl, snd
}

// A desk started with --adapters that routes none of the plan's chargers
// let the dispatcher confirm: every setpoint was journalled as rejected
// after the dispatch was reported sent. The page says so, and enter sends
// nothing and leaves the event pending (a grid operator's event declined
// is final, and the routes may be fixed within its window; c declines),
// in English and zh-CN.
func TestDeskRefusesAPlanNoneOfWhoseChargersIsRouted(t *testing.T) {
	for _, c := range []struct {
		lang          string
		page, refused []string
		notSay        string
	}{
		// DR-17's plan has 5 setpoints, of which 3 change their EV's
		// power: it read "none of the 5 chargers the plan commands".
		{"", []string{"✕ --adapters site.json routes none of the plan's 5 setpoints (3 change power); of the feed's 96 chargers it routes 0:",
			"nothing can be sent", "(c declines the event)", `routes to adapter "site", which is not running`},
			[]string{"not sent: --adapters site.json routes none of the plan's 5 setpoints (3 change power); DR-17 stays pending (c declines it)"},
			"enter confirm and send"},
		{"zh-CN", []string{"✕ --adapters site.json 未路由计划的 5 个设定值 (其中 3 个改变功率) 中的任何一个; 数据源 96 个充电桩中它路由 0 个",
			"无法下发任何设定值 (c 拒绝该事件)", `"site", 该适配器未运行`},
			[]string{"未下发: --adapters site.json 未路由计划的 5 个设定值 (其中 3 个改变功率) 中的任何一个; DR-17 仍待处理 (c 拒绝)"},
			"enter 确认并下发"},
	} {
		m, ctl, snd := routedDesk(t, c.lang, 160, 45, func([]string) map[string]bool { return nil })
		page := ansi.Strip(m.View())
		for _, s := range c.page {
			if !strings.Contains(page, s) {
				t.Errorf("%q: the page lacks %q:\n%s", c.lang, s, page)
			}
		}
		if strings.Contains(page, c.notSay) {
			t.Errorf("%q: the page offers %q:\n%s", c.lang, c.notSay, page)
		}
		runKeys(m, "E")
		if n := snd.count(); n != 0 {
			t.Errorf("%q: %d setpoints sent, want none", c.lang, n)
		}
		v, _ := ctl.Event("DR-17")
		if v.State != control.StatePending {
			t.Errorf("%q: DR-17 is %s (%q), want it still pending", c.lang, v.State, v.Reason)
		}
		page = ansi.Strip(m.View())
		for _, s := range c.refused {
			if !strings.Contains(page, s) {
				t.Errorf("%q: after enter the page lacks %q:\n%s", c.lang, s, page)
			}
		}
	}
}

// Some routed: the page says how many are not and which, and enter sends
// (the guard journals the others as rejected), as the CLI does.
func TestDeskSaysHowManyOfThePlansChargersAreUnrouted(t *testing.T) {
	// DR-17's first two setpoints change power, and one of the other
	// three: it read "routes 2 of the 5 chargers the plan commands".
	for _, c := range []struct{ lang, want string }{
		{"", "△ --adapters site.json routes 2 setpoints (2 change power) of the plan's 5 setpoints (3 change power); the 3 others"},
		{"zh-CN", "△ --adapters site.json 路由计划的 5 个设定值 (其中 3 个改变功率) 中的 2 个设定值 (其中 2 个改变功率); 其余 3 个"},
	} {
		m, ctl, snd := routedDesk(t, c.lang, 160, 45, func(ids []string) map[string]bool { return map[string]bool{ids[0]: true, ids[1]: true} })
		page := ansi.Strip(m.View())
		if !strings.Contains(page, c.want) || !strings.Contains(page, `"site"`) {
			t.Errorf("%q: the page lacks %q:\n%s", c.lang, c.want, page)
		}
		runKeys(m, "E")
		if v, _ := ctl.Event("DR-17"); v.State == control.StateDeclined || snd.count() == 0 {
			t.Errorf("%q: DR-17 %s, %d sent: want it sent", c.lang, v.State, snd.count())
		}
	}
}

// The dispatch page asked the adapters about every charger of the plan on
// each redraw and key, and about every charger of the feed when none was
// routed. It asks once per preview: again when the preview is replaced (a
// new plan, another routing) and when a new hello brings a new topology,
// and its counts follow.
func TestDispatchPageAsksTheAdaptersOncePerPreview(t *testing.T) {
	fx := demo(t)
	m, r, d := routedPlanDesk(t, fx, func(i int) bool { return i%2 == 0 })
	n := fx.snap.NumChargers()
	page := func() string { return ansi.Strip(m.View()) }
	settled := func(when, want string) {
		t.Helper()
		if p := page(); !strings.Contains(p, want) {
			t.Errorf("%s: the page lacks %q:\n%s", when, want, p)
		}
		asked := r.calls()
		for _, k := range "zjkz" {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{k}})
			_ = m.View()
		}
		if again := r.calls() - asked; again != 0 {
			t.Errorf("%s: four keys and redraws asked the adapters about %d more chargers, want none", when, again)
		}
	}
	settled("first plan", "routes 48 setpoints (0 change power) of the plan's 96 setpoints (0 change power)")
	if got := r.calls(); got != n {
		t.Errorf("the first plan's page asked about %d chargers, want its %d", got, n)
	}

	// A new plan commanding the first ten: only they are asked about.
	ev := d.events[0].Event
	pv := commandAll(&ev, fx.snap, 2)
	pv.Setpoints = pv.Setpoints[:10]
	d.events[0].Preview = pv
	asked := r.calls()
	m.Update(drChangedMsg{})
	settled("a plan of ten", "routes 5 setpoints (0 change power) of the plan's 10 setpoints (0 change power)")
	if got := r.calls() - asked; got != 10 {
		t.Errorf("the new plan's page asked about %d chargers, want 10", got)
	}

	// The adapters route none of a third plan's chargers: the page also
	// counts the feed's, once.
	r.mu.Lock()
	clear(r.ok)
	r.mu.Unlock()
	d.events[0].Preview = commandAll(&ev, fx.snap, 1)
	asked = r.calls()
	m.Update(drChangedMsg{})
	settled("a plan none routed", "of the feed's 96 chargers it routes 0")
	if got := r.calls() - asked; got != 2*n {
		t.Errorf("the unrouted plan's page asked about %d chargers, want %d (the plan's and the feed's)", got, 2*n)
	}

	// A new hello (the same chargers, a new topology) after which the
	// guard routes them all: the page asks again and says nothing.
	r.mu.Lock()
	for i := range n {
		r.ok[fx.snap.ChargerAt(i).ID] = true
	}
	r.mu.Unlock()
	m.Update(SnapshotMsg{Snapshot: newFixture(t, 12, 8, false).snap})
	if p := page(); strings.Contains(p, "--adapters site.json routes") {
		t.Errorf("after a new hello whose chargers are all routed the page still says:\n%s", p)
	}
}

// The enter line counts the setpoints it sends and those of them that
// change power, one or many, in English and zh-CN: DR-17's plan sends 5
// setpoints of which 2 leave their EV as it would be.
func TestDispatchPageCountsTheSetpointsThatChangePower(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"", "enter confirm and send 5 setpoints (3 change power)"},
		{"zh-CN", "enter 确认并下发 5 个设定值 (其中 3 个改变功率)"},
	} {
		m, _, _ := routedDesk(t, c.lang, 160, 45, func(ids []string) map[string]bool {
			all := map[string]bool{}
			for _, id := range ids {
				all[id] = true
			}
			return all
		})
		if page := ansi.Strip(m.View()); !strings.Contains(page, c.want) {
			t.Errorf("%q: the page lacks %q:\n%s", c.lang, c.want, page)
		}
	}
	for _, c := range []struct {
		n, changing int
		want        string
	}{
		{1, 1, "1 setpoint (1 changes power)"},
		{1, 0, "1 setpoint (0 change power)"},
		{2, 1, "2 setpoints (1 changes power)"},
		{12000, 3500, "12,000 setpoints (3,500 change power)"},
	} {
		if got := SetpointsText(c.n, c.changing); got != c.want {
			t.Errorf("SetpointsText(%d, %d) = %q, want %q", c.n, c.changing, got, c.want)
		}
	}
}
