package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestChargersAt80KeepTheLastAck: at 80 columns the chargers list dropped
// its "last ack" column, the one a dispatcher watches under an event
// (docs/dashboard.md lists it for the view), and kept the EV's departure.
// At 80 the list leaves out SoC and departure (the charger's page has
// them) and keeps the last ack, without its time where the whole answer
// does not fit, never cut; at 160 every column stays. In English and
// zh-CN; the feeder page's list (no feeder column) keeps SoC at 80 too.
func TestChargersAt80KeepTheLastAck(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, w := range []int{80, 160} {
			m, _, _ := newTestModel(t, lang, w, 24)
			tr := m.tr.t
			press(m, "3")
			screen := ansi.Strip(m.View())
			lines := strings.Split(screen, "\n")
			header, row := "", ""
			for i, l := range lines {
				if strings.Contains(l, tr("charger")) && strings.Contains(l, tr("state")) {
					header, row = l, lines[i+1]
				}
			}
			if !strings.Contains(header, tr("last ack")) || !strings.Contains(header, tr("setpoint kW")) {
				t.Errorf("%q %d: the list's header %q lacks the last ack or the setpoint", lang, w, header)
			}
			if hasDep := strings.Contains(header, tr("departure")); hasDep != (w == 160) {
				t.Errorf("%q %d: header %q: departure shown %v", lang, w, header, hasDep)
			}
			accepted := "✓ " + tr("accepted") + " −11.0"
			if !strings.Contains(row, "CP-0001") || !strings.Contains(row, accepted) || strings.Contains(row, "…") {
				t.Errorf("%q %d: CP-0001's row %q, want %q whole", lang, w, row, accepted)
			}
			if w == 160 && !strings.Contains(row, accepted+" 18:15") {
				t.Errorf("%q %d: CP-0001's row %q lacks the ack's time", lang, w, row)
			}
		}
	}
}

// TestAckFit: a last ack keeps its time where it fits and gives it up
// whole where it does not, never cut mid-figure.
func TestAckFit(t *testing.T) {
	for _, c := range []struct {
		ack  string
		w    int
		want string
	}{
		{"✓ accepted −11.0 18:15", 22, "✓ accepted −11.0 18:15"},
		{"✓ accepted −11.0 18:15", 21, "✓ accepted −11.0"},
		{"△ timed out 18:04", 12, "△ timed out"},
		{"—", 1, "—"},
		{"✓ accepted late 7.0", 10, "✓ accepted late 7.0"},
	} {
		if got := ackFit(c.ack, c.w); got != c.want {
			t.Errorf("ackFit(%q, %d) = %q, want %q", c.ack, c.w, got, c.want)
		}
	}
}
