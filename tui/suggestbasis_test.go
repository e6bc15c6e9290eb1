package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestSuggestionSaysItsForecastBasis: the demo desk and a --feed desk on
// the same simulation suggested 1,480 and 1,586 kW for F10 at 19:02, the
// one forecasting from the scenario's curve, the other from the load now
// held flat; triage now says which, last under the suggestion (after a
// limited one's note), in both languages, and nothing when the forecaster
// does not say.
func TestSuggestionSaysItsForecastBasis(t *testing.T) {
	for _, c := range []struct {
		lang    string
		basis   plan.ForecastBasis
		limited bool
		want    string
	}{
		{"", plan.ForecastBasis{Kind: plan.ForecastCurve}, true, "forecast: the scenario's base-load curve of the day"},
		{"", plan.ForecastBasis{Kind: plan.ForecastFlat, NowKW: 1552.66}, true, "forecast: base load now 1,553 kW, held flat (no history of yesterday)"},
		{"", plan.ForecastBasis{Kind: plan.ForecastYesterday, NowKW: 980}, false, "forecast: base load now 980 kW, shaped by yesterday's"},
		{"zh-CN", plan.ForecastBasis{Kind: plan.ForecastFlat, NowKW: 1552.66}, false, "预测: 当前基础负荷 1,553 kW, 保持不变 (无昨日历史)"},
		{"", plan.ForecastBasis{}, false, ""},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		start := fixedNow.Truncate(time.Hour)
		ev := feeds.EventFrame{ID: "T-F07", Kind: feeds.EventImportCap, Scope: "F07", KW: 1400, Start: start, End: start.Add(2 * time.Hour)}
		pct := 95.0
		if c.limited {
			pct = 98
		}
		m.suggest = map[string]suggestion{"F07": {at: fixedNow, s: &control.Suggestion{Event: ev, Pct: pct, Limited: c.limited,
			Chargers: 4, ReduceKW: 40, Basis: c.basis}}}
		lines := m.suggestionLines("F07")
		last := ansi.Strip(lines[len(lines)-1])
		all := ansi.Strip(strings.Join(lines, "\n"))
		switch {
		case c.want == "" && (strings.Contains(all, "forecast") || len(lines) != 1):
			t.Errorf("%q, basis %+v: want the suggestion line alone, got\n%s", c.lang, c.basis, all)
		case c.want != "" && last != c.want:
			t.Errorf("%q, basis %+v: last line %q, want %q; all:\n%s", c.lang, c.basis, last, c.want, all)
		case c.limited && len(lines) != 3:
			t.Errorf("%q, limited, basis %+v: want the suggestion, its note and the basis, got\n%s", c.lang, c.basis, all)
		}
	}
}
