package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestPriceFormHasNoKW: the new-event form offered a kW field for a price
// event, which has none: tab stopped on it, and a kW typed there went with
// the event, unused. A price event's form has its price in the kW's place;
// tab goes from the kind to the price, and the event proposed has no kW.
// In English and zh-CN.
func TestPriceFormHasNoKW(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		ctl := newDRController(t, fx, nil)
		opts, _ := testOptions(fx, lang)
		opts.Dispatch = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		known := map[string]bool{}
		for _, v := range ctl.Events() {
			known[v.Event.ID] = true
		}
		runKeys(m, "2n")
		m.Update(tea.KeyMsg{Type: tea.KeyTab}) // the kind
		for eventKinds[m.form.kind] != feeds.EventPrice {
			m.Update(tea.KeyMsg{Type: tea.KeyRight})
		}
		tr := m.tr.t
		form := ansi.Strip(m.View())
		for _, l := range strings.Split(form, "\n") {
			if f := strings.Fields(strings.Trim(l, "│ ▸")); len(f) > 0 && f[0] == tr("kW") {
				t.Errorf("%s: the price form has a kW row: %q", lang, l)
			}
		}
		if !strings.Contains(form, priceUnit) {
			t.Errorf("%s: the price form has no price row:\n%s", lang, form)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyTab})
		if m.form.field != fieldPrice {
			t.Fatalf("%s: tab from the kind goes to field %d, want the price (%d)", lang, m.form.field, fieldPrice)
		}
		runKeys(m, "1.2E")
		var added []feeds.EventFrame
		for _, v := range ctl.Events() {
			if !known[v.Event.ID] {
				added = append(added, v.Event)
			}
		}
		if len(added) != 1 {
			t.Fatalf("%s: enter proposed %d events, want 1", lang, len(added))
		}
		if ev := added[0]; ev.Kind != feeds.EventPrice || ev.Price == nil || *ev.Price != 1.2 || ev.KW != 0 {
			t.Errorf("%s: proposed %s price %v kW %v, want a price event at 1.2 with no kW", lang, ev.Kind, ev.Price, ev.KW)
		}
	}
}
