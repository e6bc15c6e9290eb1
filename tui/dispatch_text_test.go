package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestOneEVShort: a plan that leaves one EV short read "1 EVs short" on the
// dispatch page and in triage's suggestion; one EV is singular, any other
// count plural, and zh-CN has no plural to get wrong.
func TestOneEVShort(t *testing.T) {
	for _, c := range []struct {
		lang    string
		short   int
		want    string
		notWant string
	}{
		{"", 1, "1 EV short", "1 EVs short"},
		{"", 2, "2 EVs short", "2 EV short"},
		{"", 0, "0 EVs short", "0 EV short"},
		{"zh-CN", 1, "1 辆车未充满", "EV"},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		start := fixedNow.Truncate(time.Hour)
		ev := feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F07", KW: 1400, Start: start, End: start.Add(2 * time.Hour)}
		m.dr = []control.EventView{{Event: ev, State: control.StatePending, Preview: &plan.Preview{
			Event: &ev, Start: start, Slot: 15 * time.Minute, Short: c.short, UnmetKWh: 3,
		}}}
		page := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "DR-1"}, 160, 40), "\n"))
		m.suggest = map[string]suggestion{"F07": {at: fixedNow, s: &control.Suggestion{Event: ev, Pct: 95, Chargers: 4, ReduceKW: 40, Short: c.short}}}
		sg := ansi.Strip(strings.Join(m.suggestionLines("F07"), "\n"))
		for name, text := range map[string]string{"dispatch page": page, "suggestion": sg} {
			if !strings.Contains(text, c.want) || strings.Contains(text, c.notWant) {
				t.Errorf("%q, %d short: %s says\n%s\nwant %q, not %q", c.lang, c.short, name, text, c.want, c.notWant)
			}
		}
	}
}

// TestDeclinedEventHasNoProgress: a declined event was never sent; its
// page read "plan 0 () at —: 0 of 0 answered: none yet" under the preview.
func TestDeclinedEventHasNoProgress(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	start := fixedNow.Truncate(time.Hour)
	ev := feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F07", KW: 1400, Start: start, End: start.Add(2 * time.Hour)}
	m.dr = []control.EventView{{Event: ev, State: control.StateDeclined, DecidedBy: "ana", Decided: fixedNow, Reason: reasonDeclined,
		Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute}}}
	page := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "DR-1"}, 160, 40), "\n"))
	if !strings.Contains(page, "DECLINED") {
		t.Fatalf("the page does not say the event was declined:\n%s", page)
	}
	if strings.Contains(page, "plan 0") || strings.Contains(page, "answered") {
		t.Errorf("a declined event shows a progress line:\n%s", page)
	}
}

// TestTriageSaysWhatIsInForce: triage suggested a new cap on F10 while
// T-F10-1848 was active on it; p proposed it and enter was refused
// ("conflicts with another dispatch"). Triage names the event in force
// instead, and p says so.
func TestTriageSaysWhatIsInForce(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		start := fixedNow.Add(-time.Hour)
		ev := feeds.EventFrame{ID: "T-F07-1700", Kind: feeds.EventImportCap, Scope: "F07", KW: 3600, Start: start, End: start.Add(4 * time.Hour)}
		fx := demo(t)
		opts, _ := testOptions(fx, lang)
		opts.Dispatch = inForce{events: []control.EventView{{Event: ev, State: control.StateActive, Plans: 2}}}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		m.suggest = map[string]suggestion{"F07": {at: fixedNow, s: &control.Suggestion{Event: ev, Pct: 95, Chargers: 4, ReduceKW: 40}}}
		press(m, "t")
		rows := m.triageRows(m.page())
		if len(rows) == 0 || m.snap.Feeders[rows[0].feeder].ID != "F07" {
			t.Fatalf("%q: triage does not open on F07", lang)
		}
		sg := ansi.Strip(strings.Join(m.suggestionLines("F07"), "\n"))
		want := map[string]string{"": "none: T-F07-1700 in force (import cap F07", "zh-CN": "T-F07-1700 正在执行"}[lang]
		if !strings.Contains(sg, want) || strings.Contains(sg, "95%") {
			t.Errorf("%q: suggestion %q, want %q and no new cap", lang, sg, want)
		}
		if cmd := m.proposeSuggestion(m.page()); cmd != nil {
			t.Errorf("%q: p proposed a cap on a feeder with an event in force", lang)
		}
		if lang == "" && !strings.Contains(lastLine(m.View()), "T-F07-1700 is already in force on F07") {
			t.Errorf("p does not say why: %q", lastLine(m.View()))
		}
		m.flash = ""
		for _, k := range m.footerKeys() {
			if k.Enabled() && k.Help().Key == "p" {
				t.Errorf("%q: the footer offers p on a feeder with an event in force", lang)
			}
		}
	}
}

// inForce is a Dispatcher with fixed events and nothing else: a call it
// does not expect panics on the nil embedded interface.
type inForce struct {
	Dispatcher
	events []control.EventView
}

func (d inForce) Events() []control.EventView { return d.events }
func (d inForce) Changes() <-chan struct{}    { return nil }

// TestHandBackSaysWhyOnce: while handing back, the progress line repeated
// the hand-back check in nested brackets ("plan 6 (window over; released
// now, charging would take F10 to 1,856 kW (122%) at 22:50 (limit 1,510
// kW)) at 22:50") above the "△ handing back since 22:50" line saying the
// same; the check is said once, on the △ line.
func TestHandBackSaysWhyOnce(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	start := fixedNow.Add(-3 * time.Hour)
	end := fixedNow.Add(-10 * time.Minute)
	ev := feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F07", KW: 3600, Start: start, End: end}
	hb := control.HandBack{Scope: "F07", PeakKW: 4700, PeakAt: fixedNow, LimitKW: 4000}
	m.dr = []control.EventView{{Event: ev, State: control.StateActive, Plans: 6, LastPlan: fixedNow, HandBackSince: end, HandBack: hb,
		LastWhy: control.Why{Kind: control.WhyWindowOver, HandBack: hb},
		Preview: &plan.Preview{Event: &ev, Start: fixedNow, Slot: 15 * time.Minute}}}
	page := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "DR-1"}, 160, 40), "\n"))
	if n := strings.Count(page, "charging would take F07 to 4,700 kW"); n != 1 {
		t.Errorf("the hand-back check is said %d times, want once:\n%s", n, page)
	}
	if !strings.Contains(page, "plan 6 (window over) at") || !strings.Contains(page, "△ handing back since") {
		t.Errorf("want the plan line and the handing-back line:\n%s", page)
	}
}
