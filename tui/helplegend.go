package tui

import (
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// helpLegend is the help's status legend within w cells: every status the
// screens draw, as they draw it (glyph and word), broken between statuses
// onto as many lines as it needs. It named five and left out ○ NO DATA (a
// feeder not yet measured) and ▲ SHELVED (an alarm shelved while its
// condition holds), which the feeders, triage and alarms show.
func (m *Model) helpLegend(w int) []string {
	glyph := func(s alarm.Severity) string { _, g := m.sevMark(s); return g }
	items := make([]string, 0, 7)
	for _, s := range []alarm.Severity{alarm.SevHigh, alarm.SevWarn, alarm.SevFault, alarm.SevStale} {
		items = append(items, glyph(s)+" "+m.sevWord(s))
	}
	items = append(items, glyph(alarm.SevStale)+" "+m.tr.t("NO DATA"), glyph(alarm.SevNone)+" "+m.sevWord(alarm.SevNone),
		glyph(alarm.SevHigh)+"/"+glyph(alarm.SevWarn)+" "+m.tr.t("SHELVED"))
	var lines []string
	line := m.tr.t("Status is glyph and word:")
	for _, it := range items {
		if width(line)+2+width(it) > w && line != "" {
			lines = append(lines, line)
			line = "  " + it
			continue
		}
		sep := "  "
		if strings.HasSuffix(line, ":") {
			sep = " "
		}
		line += sep + it
	}
	lines = append(lines, line)
	for i, l := range lines {
		lines[i] = m.st.dim.Render(l)
	}
	return lines
}
