package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestDispatchProgressSaysHoldNotApplied: chargers held on stale data
// whose hold reached none of them (every setpoint of the plan failed: the
// feed that carries them is the one lost, its sim killed) are not said to
// be held at their last limit: the page said "last import limit kept" of
// setpoints that never left. It says they are not held and until when the
// event's earlier setpoints can last, in English and zh-CN; with nothing
// held, a plan that reached no charger is said the same way. A plan some
// of whose setpoints were applied, or timed out (the peer may hold them),
// is not said to reach none; it says held only of the holds acknowledged.
func TestDispatchProgressSaysHoldNotApplied(t *testing.T) {
	failed := control.Progress{Sends: 4, Sent: 48, Done: 48, ByStatus: map[adapters.Status]int{adapters.StatusFailed: 48},
		Failed:    map[string]int{"not sent: the feed's connection, which carries this adapter's setpoints, is down": 48},
		HeldAsked: 20, HeldSince: fixedNow.Add(-15 * time.Minute), HeldLastHeard: fixedNow.Add(-21 * time.Minute),
		ValidUntil: fixedNow.Add(5 * time.Minute)}
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, Plans: 4, LastPlan: fixedNow, Progress: failed}
	progress := func(lang string, v control.EventView) (string, *Model) {
		m, _, _ := newTestModel(t, lang, 160, 45)
		return ansi.Strip(strings.Join(m.progressLines(&v), "\n")), m
	}

	got, m := progress("", v)
	since, heard, until := hhmm(failed.HeldSince, m.loc()), hhmm(failed.HeldLastHeard, m.loc()), hhmm(failed.ValidUntil, m.loc())
	want := "✕ 20 chargers on stale data since " + since + " (last heard " + heard + ") are not held: none of this plan's setpoints was applied (below); " +
		"its chargers follow its earlier setpoints at most until " + until + ", then none"
	if !strings.Contains(got, want) || strings.Contains(got, "last import limit kept") || !strings.Contains(got, "the feed's connection") {
		t.Errorf("progress:\n%s\nwant %q, the adapter's reason, and no \"kept\"", got, want)
	}
	got, _ = progress("zh-CN", v)
	if !strings.Contains(got, "未能保持: 本次计划的设定值均未执行") || !strings.Contains(got, "其充电桩最多执行先前的设定值至 "+until) {
		t.Errorf("zh-CN progress:\n%s", got)
	}

	lapsed := v
	lapsed.Progress.ValidUntil = fixedNow.Add(-time.Minute)
	lapsed.Progress.HeldAsked = 0
	if got, _ := progress("", lapsed); !strings.Contains(got, "✕ none of this plan's 48 setpoints was applied (below); its chargers follow no setpoint of the event since "+hhmm(lapsed.Progress.ValidUntil, m.loc())) {
		t.Errorf("nothing held, none applied, the earlier setpoints lapsed:\n%s", got)
	}

	for _, by := range []map[adapters.Status]int{
		{adapters.StatusFailed: 47, adapters.StatusAccepted: 1},
		{adapters.StatusFailed: 47, adapters.StatusTimeout: 1},
	} {
		some := v
		some.Progress.ByStatus = by
		// Held counts the holds acknowledged, HeldUnknown those with no
		// answer (control.Progress): the accepted one is a hold, the
		// timed-out one may be; the other 19 are not in force.
		some.Progress.Held, some.Progress.HeldUnknown = by[adapters.StatusAccepted], by[adapters.StatusTimeout]
		some.Progress.HeldUntil = fixedNow.Add(20 * time.Minute)
		got, m := progress("", some)
		if strings.Contains(got, "none of this plan") {
			t.Errorf("%v: progress:\n%s\nwant no \"none of this plan\": the plan reached a charger", by, got)
		}
		notHeld := "✕ 19 chargers on stale data are not held: their hold is not in force (refused, failed or not sent; below)"
		if !strings.Contains(got, notHeld) {
			t.Errorf("%v: progress:\n%s\nwant %q", by, got, notHeld)
		}
		if held := strings.Contains(got, "1 charger held on stale data since"); held != (some.Progress.Held == 1) {
			t.Errorf("%v: progress:\n%s\nwant the held line only for the hold acknowledged", by, got)
		}
		mayHold := "△ 1 charger on stale data: hold sent, no answer: may hold it until " + hhmm(some.Progress.HeldUntil, m.loc())
		if said := strings.Contains(got, mayHold); said != (some.Progress.HeldUnknown == 1) {
			t.Errorf("%v: progress:\n%s\nwant %q only for the hold with no answer", by, got, mayHold)
		}
	}
}

// TestChargerPageSaysLatestNotApplied: a charger whose latest setpoint
// failed says so on its page, with the status, the time, the adapter and
// its words, wrapped under itself at 80 columns, its power signed as the page's others (−3.5); before, the page showed
// the telemetry's setpoint and nothing of the one that did not arrive.
func TestChargerPageSaysLatestNotApplied(t *testing.T) {
	fx := demo(t)
	at := fx.snap.At
	c := chargerWithoutAck(t, fx)
	reason := "not sent: the feed's connection, which carries this adapter's setpoints, is down: no setpoint reaches the charger until the feed is back (feeds: not connected to the feed)"
	lg := &latestGuard{latest: map[string]adapters.Outcome{
		c.ID: {Setpoint: adapters.Setpoint{Charger: c.ID, KW: -3.5, ValidUntil: at.Add(15 * time.Minute)},
			Result: adapters.Result{Charger: c.ID, Status: adapters.StatusFailed, Adapter: "sim", Reason: reason, At: at.Add(-time.Minute)}},
	}}
	for _, size := range []struct {
		lang string
		w, h int
	}{{"", 160, 45}, {"", 80, 24}, {"zh-CN", 160, 45}} {
		m := overviewWith(t, size.lang, lg, nil, size.w, size.h)
		runKeys(m, ":charger "+c.ID+"E")
		page := ansi.Strip(m.View())
		var words []string
		for _, l := range strings.Split(page, "\n") {
			words = append(words, strings.Fields(strings.Trim(strings.TrimSpace(l), "│"))...)
		}
		joined := strings.Join(words, " ")
		head := "✕ the latest, −3.5 kW, not applied"
		line := "not applied failed " + hhmm(at.Add(-time.Minute), m.loc()) + " (adapter sim): " + reason
		if size.lang == "zh-CN" {
			head, line = "✕ 最近一个 −3.5 kW 未执行", "未执行 失败 "+hhmm(at.Add(-time.Minute), m.loc())+" (适配器 sim): "+reason
		}
		if !strings.Contains(joined, head) || !strings.Contains(joined, line) {
			t.Errorf("%s %dx%d: %s's page lacks %q or %q:\n%s", size.lang, size.w, size.h, c.ID, head, line, page)
		}
	}
}

// TestDispatchProgressSaysFeedCarriesNothing: an event in force on a desk
// whose setpoints travel on the feed's own connection (the demo sim's
// adapter "sim") says, while that feed is down, that none of its setpoints
// reaches the chargers and that what they hold is not known; the page went
// on counting "84 accepted … expire by 19:20" from before the sim died.
// Not said with the feed up, nor on a desk whose adapters do not use it.
func TestDispatchProgressSaysFeedCarriesNothing(t *testing.T) {
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F10"}, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 3, Sent: 84, Done: 84, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 84}}}
	want := map[string]string{
		"":      "✕ the feed is down, and it carries the setpoints of sim: none reaches this event's chargers until it is back, and what they hold now is not known (a simulator that stopped holds none)",
		"zh-CN": "✕ 数据源已断开, 而 sim 的设定值经由它下发",
	}
	for _, tt := range []struct {
		lang   string
		onFeed []string
		up     bool
		say    bool
	}{
		{"", []string{"sim"}, false, true},
		{"zh-CN", []string{"sim"}, false, true},
		{"", []string{"sim"}, true, false},
		{"", nil, false, false},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, tt.lang)
		opts.SetpointsOnFeed = tt.onFeed
		opts.Sources = func() []feeds.SourceLink {
			return []feeds.SourceLink{{Name: "ws://127.0.0.1:8765/v1", Up: tt.up}, {Name: "depot", Up: true}}
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if said := strings.Contains(got, want[tt.lang]); said != tt.say {
			t.Errorf("%s on feed %v, feed up %v: progress\n%s\nsays %q: %v, want %v", tt.lang, tt.onFeed, tt.up, got, want[tt.lang], said, tt.say)
		}
	}
}
