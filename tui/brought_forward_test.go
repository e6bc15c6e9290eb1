package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestBroughtForwardNamesTheEventsKind: an event whose plan draws more now
// than the plan without it says why in brackets. An export's and a price
// event's read "(charging brought forward ahead of the cap)", a cap the
// dispatcher never set; each says its own kind, in English and zh-CN.
func TestBroughtForwardNamesTheEventsKind(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		tr := m.tr.t
		for _, c := range []struct {
			kind  feeds.EventKind
			want  string
			words string // the other kinds' asides, none of which may show
		}{
			{feeds.EventImportCap, "(charging brought forward ahead of the cap)", ""},
			{feeds.EventExport, "(charging brought forward ahead of the export)", "(charging brought forward ahead of the cap)"},
			{feeds.EventShed, "(charging brought forward ahead of the shed)", "(charging brought forward ahead of the cap)"},
			{feeds.EventPrice, "(charging brought forward ahead of the price)", "(charging brought forward ahead of the cap)"},
		} {
			v := targetView(m, c.kind, 500)
			// The plan draws 40 kW more now than the plan without the
			// event: the event itself brings charging forward.
			ref := make([]float64, len(v.Preview.After.System))
			for i, kw := range v.Preview.After.System {
				ref[i] = kw - 40
			}
			v.Preview.Reference = &plan.Reference{After: plan.Loads{System: ref}}
			m.dr = append(m.dr[:0], v)
			m.openDispatch(v.Event.ID)
			page := flat(ansi.Strip(m.View()))
			if !strings.Contains(page, tr(c.want)) {
				t.Errorf("%s %s: the page lacks %q:\n%s", lang, c.kind, tr(c.want), page)
			}
			if c.words != "" && strings.Contains(page, tr(c.words)) {
				t.Errorf("%s %s: the page says %q:\n%s", lang, c.kind, tr(c.words), page)
			}
		}
	}
}
