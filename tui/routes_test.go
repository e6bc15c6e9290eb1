package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// routedDesk is the fixture's dispatcher desk whose adapters (--adapters
// site.json) route only the chargers in routed, with DR-17 planned.
func routedDesk(t *testing.T, lang string, w, h int, routed func(ids []string) map[string]bool) (*Model, *control.Controller, *recordingSender) {
	t.Helper()
	fx := demo(t)
	snd := &recordingSender{}
	ctl := newDRController(t, fx, func(o *control.Options) { o.Sender = snd })
	opts, _ := testOptions(fx, lang)
	opts.Dispatch = ctl
	var ok map[string]bool
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
	v, found := ctl.Event("DR-17")
	if !found || v.Preview == nil || len(v.Preview.Setpoints) < 4 {
		t.Fatalf("DR-17 not planned with setpoints: %+v", v)
	}
	var ids []string
	for _, sp := range v.Preview.Setpoints {
		ids = append(ids, sp.Charger)
	}
	ok = routed(ids)
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
		{"", []string{"✕ --adapters site.json routes none of the", "chargers the plan commands (it routes 0 of the feed's",
			"nothing can be sent (c declines the event)", `routes to adapter "site", which is not running`},
			[]string{"not sent: --adapters site.json routes none of the", "DR-17 stays pending (c declines it)"},
			"enter confirm and send"},
		{"zh-CN", []string{"✕ --adapters site.json 未路由计划所控", "无法下发任何设定值 (c 拒绝该事件)", `"site", 该适配器未运行`},
			[]string{"未下发: --adapters site.json 未路由", "DR-17 仍待处理 (c 拒绝)"},
			"回车 确认并下发"},
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
	for _, c := range []struct{ lang, want string }{
		{"", "△ --adapters site.json routes 2 of the "},
		{"zh-CN", "△ --adapters site.json 路由计划所控 "},
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
