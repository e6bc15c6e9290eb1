package tui

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// sevMark is a severity's style and glyph, the one mapping sevGlyph,
// sevText and shelvedText draw from.
func (m *Model) sevMark(s alarm.Severity) (lipgloss.Style, string) {
	switch s {
	case alarm.SevHigh:
		return m.st.high, "▲"
	case alarm.SevWarn:
		return m.st.warn, "△"
	case alarm.SevFault:
		return m.st.fault, "✕"
	case alarm.SevStale:
		return m.st.stale, "○"
	}
	return m.st.ok, "✓"
}

// sevGlyph is a severity's glyph alone (for counts in the tab line).
func (m *Model) sevGlyph(s alarm.Severity) string {
	st, glyph := m.sevMark(s)
	return st.Render(glyph)
}

// sevText is a severity as glyph and word, never colour alone.
func (m *Model) sevText(s alarm.Severity) string {
	st, glyph := m.sevMark(s)
	return st.Render(glyph + " " + m.sevWord(s))
}

// shelvedText is the status of something whose alarm of severity s (not
// SevNone) is shelved: the severity's glyph and style, the word SHELVED.
func (m *Model) shelvedText(s alarm.Severity) string {
	st, glyph := m.sevMark(s)
	return st.Render(glyph + " " + m.tr.t("SHELVED"))
}

// ago formats an age with its unit translated.
func (m *Model) ago(d time.Duration) string {
	return ago(d, m.tr.t)
}
