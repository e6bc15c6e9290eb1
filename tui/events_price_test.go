package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestPriceEventSaysItsPriceWithItsUnit: at 80 columns the events list has
// no room for its price column, and a price event's row read "0" under kW
// (it has no kW) with no price at all; at 160 it read "0" beside its price.
// Its kW cell is "—", and where the price column is left out, its price
// with the unit; the event's page title gave "price system 2.50" with no
// unit. In English and zh-CN.
func TestPriceEventSaysItsPriceWithItsUnit(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, size[0], size[1])
			press(m, "5")
			var row string
			for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
				if strings.Contains(l, "DR-19") {
					row = l
				}
			}
			fields := strings.Fields(strings.Trim(row, "│ "))
			if len(fields) < 6 {
				t.Fatalf("%s %dx%d: DR-19's row is %q", lang, size[0], size[1], row)
			}
			// DR-19 price system 22:00–00:00 (+1 d) then the kW cell.
			if kwCell := fields[6]; kwCell == "0" {
				t.Errorf("%s %dx%d: DR-19, a price event, reads 0 under kW: %q", lang, size[0], size[1], row)
			}
			if !strings.Contains(row, "0.31") {
				t.Errorf("%s %dx%d: DR-19's row does not give its price 0.31: %q", lang, size[0], size[1], row)
			}
			if size[0] == 80 && !strings.Contains(row, "0.31 ¥/kWh") {
				t.Errorf("%s 80x24: DR-19's row gives its price without its unit: %q", lang, row)
			}
		}
		m, _, _ := newTestModel(t, lang, 160, 45)
		for _, e := range m.events() {
			if e.Kind == feeds.EventPrice {
				if got := m.eventWhat(e.EventFrame); !strings.Contains(got, "0.31 ¥/kWh") {
					t.Errorf("%s: the price event reads %q, want its price with ¥/kWh", lang, got)
				}
			}
		}
	}
}
