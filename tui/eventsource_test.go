package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEventSourceTranslated: a zh-CN events list showed the feed's English
// "grid operator" in its source column. The known sources are in the
// desk's language, matched whatever their case; a source the desk does not
// know is shown as sent; a zh-CN filter finds an event by its source as
// shown.
func TestEventSourceTranslated(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want map[string]string // event id: its source as shown
	}{
		{"", map[string]string{"DR-17": "grid operator", "DR-18": "aggregator", "DR-19": "tariff", "DR-20": "Acme VPP", "DR-21": "State Grid aggregator"}},
		{"zh-CN", map[string]string{"DR-17": "电网调度", "DR-18": "聚合商", "DR-19": "电价表", "DR-20": "Acme VPP", "DR-21": "国网聚合商"}},
	} {
		name := fmt.Sprintf("lang %q", tc.lang)
		fx := demo(t)
		snap := *fx.snap
		snap.Events = append(append([]feeds.EventFrame(nil), snap.Events...),
			feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-20", Kind: feeds.EventShed, Scope: "F03",
				Start: fx.snap.At, End: fx.snap.At.Add(3600e9), KW: 200, Source: "Acme VPP"},
			feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-21", Kind: feeds.EventShed, Scope: "F04",
				Start: fx.snap.At, End: fx.snap.At.Add(3600e9), KW: 200, Source: " state grid Aggregator"})
		opts, _ := testOptions(fx, tc.lang)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: &snap})
		pressViewing(m, "5")
		screen := ansi.Strip(m.View())
		for id, src := range tc.want {
			var row string
			for _, l := range strings.Split(screen, "\n") {
				if strings.Contains(l, "│") && strings.Contains(l, id+" ") {
					row = l
				}
			}
			if !strings.Contains(row, src) {
				t.Errorf("%s: %s row %q does not show the source %q:\n%s", name, id, row, src, screen)
			}
		}
		if tc.lang == "" {
			continue
		}
		for _, en := range []string{"grid operator", "aggregator", "tariff"} {
			if strings.Contains(strings.ToLower(screen), en) {
				t.Errorf("%s: %q on a zh-CN events list:\n%s", name, en, screen)
			}
		}
		pressViewing(m, "/电网\r")
		screen = ansi.Strip(m.View())
		if !strings.Contains(screen, "DR-17") || strings.Contains(screen, "DR-18") {
			t.Errorf("%s: the filter 电网 should find DR-17 alone:\n%s", name, screen)
		}
	}
}

// TestEventsColumnsReadApart: the zh-CN events list headed its source
// column 来源 and the one saying whether the feed or an operator proposed
// the event 来源方, one word inside the other; the list's titles (as
// eventsView words them) read apart in either language, and the zh-CN
// list shows 提出方.
func TestEventsColumnsReadApart(t *testing.T) {
	keys := []string{"event", "kind", "scope", "window", "kW", "price", "source", "from", "state"}
	for _, lang := range []string{"", "zh-CN"} {
		tr := newTranslator(lang)
		for _, a := range keys {
			for _, b := range keys {
				if a != b && strings.Contains(tr.t(a), tr.t(b)) {
					t.Errorf("lang %q: column %q (%s) holds column %q (%s)", lang, tr.t(a), a, tr.t(b), b)
				}
			}
		}
	}
	m, _, _ := newTestModel(t, "zh-CN", 160, 45)
	pressViewing(m, "5")
	if view := ansi.Strip(m.View()); !strings.Contains(view, "提出方") {
		t.Errorf("the zh-CN events list has no 提出方 column:\n%s", view)
	}
}
