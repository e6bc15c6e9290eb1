package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// sevGlyph is a severity's glyph alone (for counts in the tab line).
func (m *Model) sevGlyph(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return m.st.high.Render("▲")
	case alarm.SevWarn:
		return m.st.warn.Render("△")
	case alarm.SevFault:
		return m.st.fault.Render("✕")
	case alarm.SevStale:
		return m.st.stale.Render("○")
	}
	return m.st.ok.Render("✓")
}

// sevText is a severity as glyph and word, never colour alone.
func (m *Model) sevText(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return m.st.high.Render("▲ " + m.tr.t("HIGH"))
	case alarm.SevWarn:
		return m.st.warn.Render("△ " + m.tr.t("WARN"))
	case alarm.SevFault:
		return m.st.fault.Render("✕ " + m.tr.t("FAULT"))
	case alarm.SevStale:
		return m.st.stale.Render("○ " + m.tr.t("STALE"))
	}
	return m.st.ok.Render("✓ " + m.tr.t("OK"))
}

// shelvedText is the status of something whose alarm of severity s is
// shelved: the severity's glyph and style, the word SHELVED.
func (m *Model) shelvedText(s alarm.Severity) string {
	st, glyph := m.st.stale, "○ "
	switch s {
	case alarm.SevHigh:
		st, glyph = m.st.high, "▲ "
	case alarm.SevWarn:
		st, glyph = m.st.warn, "△ "
	case alarm.SevFault:
		st, glyph = m.st.fault, "✕ "
	}
	return st.Render(glyph + m.tr.t("SHELVED"))
}

// ago formats an age with its unit translated.
func (m *Model) ago(d time.Duration) string {
	n, u := ago(d)
	return n + " " + m.tr.t(u)
}
