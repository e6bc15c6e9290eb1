package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
)

// suggestionBasisLine says what a triage suggestion's forecast of the
// feeder's base load rests on, dimmed, or "" when the forecaster does not
// say. The in-process demo desk forecasts from the scenario's curve and a
// desk on `v2gdesk sim`'s feed from the load now: for F10 at 19:02 they
// suggested 1,480 and 1,586 kW, and nothing on either screen said why.
func (m *Model) suggestionBasisLine(b plan.ForecastBasis) string {
	t := m.tr.t
	var text string
	switch b.Kind {
	case plan.ForecastCurve:
		text = t("forecast: the scenario's base-load curve of the day")
	case plan.ForecastYesterday:
		text = fmt.Sprintf(t("forecast: base load now %s kW, shaped by yesterday's"), kw(b.NowKW))
	case plan.ForecastFlat:
		text = fmt.Sprintf(t("forecast: base load now %s kW, held flat (no history of yesterday)"), kw(b.NowKW))
	default:
		return ""
	}
	return m.st.dim.Render(text)
}
