package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestChargerFilterSaysWhatItCannotMatch: a filter with a state no charger
// can be in ("state:charing", a slip for charging) or a feeder the site
// does not have read "no chargers match", the same as a real state nobody
// is in: a dispatcher could take it that no charger is charging. The list
// says which part of the filter cannot match, in either language; a state
// that exists but has no charger now still reads "no chargers match".
func TestChargerFilterSaysWhatItCannotMatch(t *testing.T) {
	for _, c := range []struct {
		lang, filter, want string
	}{
		{"", "state:charing", `no chargers match: no state begins with "charing" (available, charging, discharging, suspended, faulted, offline, stale, unknown)`},
		{"", "s:bogus f:F07", `no chargers match: no state begins with "bogus"`},
		{"", "feeder:F99", `no chargers match: no feeder "F99"`},
		{"zh-CN", "state:charing", `没有匹配的充电桩: 没有以 "charing" 开头的状态`},
		{"zh-CN", "f:F99", `没有匹配的充电桩: 没有馈线 "F99"`},
		{"", "state:disch zzz", "no chargers match"},
	} {
		m, _, _ := newTestModel(t, c.lang, 80, 24)
		press(m, "3")
		m.page().filter = c.filter
		// At 80 columns the line is wrapped, not cut ("(available,
		// charging, d…"): joined, its rows read it whole.
		if got := joinedRows(ansi.Strip(m.View())); !strings.Contains(got, c.want) {
			t.Errorf("80x24 %s %q: the list lacks %q whole:\n%s", c.lang, c.filter, c.want, got)
		}
	}
	for _, c := range []struct {
		lang, filter, want string
	}{
		{"", "state:charing", `no chargers match: no state begins with "charing" (available, charging, discharging, suspended, faulted, offline, stale, unknown)`},
		{"", "state:disch zzz", "no chargers match"},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		press(m, "3")
		m.page().filter = c.filter
		got := ansi.Strip(m.View())
		if !strings.Contains(got, c.want) {
			t.Errorf("%s %q: the list lacks %q:\n%s", c.lang, c.filter, c.want, got)
		}
		if c.want == "no chargers match" && strings.Contains(got, "no chargers match:") {
			t.Errorf("%s %q: a state that exists is called one that does not:\n%s", c.lang, c.filter, got)
		}
	}
}

// TestFeederFilterWithNoMatchSaysSo: a feeders filter that matched nothing
// left the table empty under its header, where the chargers and events
// lists say that nothing matches and how to clear the filter.
func TestFeederFilterWithNoMatchSaysSo(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"", `no feeder matches the filter "zzz" (esc clears it)`},
		{"zh-CN", `没有馈线符合筛选 "zzz"（esc 清除）`},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		press(m, "2")
		m.page().filter = "zzz"
		if got := ansi.Strip(m.View()); !strings.Contains(got, c.want) {
			t.Errorf("%s: the empty feeders list lacks %q:\n%s", c.lang, c.want, got)
		}
	}
}

// joinedRows is the text inside a screen's boxes, rows joined by spaces:
// what a wrapped line reads as.
func joinedRows(screen string) string {
	var parts []string
	for _, l := range strings.Split(screen, "\n") {
		l = strings.Trim(l, "│ ")
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}
