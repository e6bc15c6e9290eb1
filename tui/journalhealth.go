package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// journalHealth is the audit journal's health as the guard last saw it,
// and whether there is a journal to speak of (a desk without adapters
// sends nothing, so has none here).
func (m *Model) journalHealth() (adapters.JournalHealth, adapters.GuardStats, bool) {
	if m.opts.Setpoints == nil {
		return adapters.JournalHealth{}, adapters.GuardStats{}, false
	}
	s := m.opts.Setpoints.Stats()
	return s.Journal, s, true
}

// journalMark is the header's word on an audit journal that cannot be
// written, long ("journal ✕ full") and short ("✕ journal"), in the warning
// style; both empty while it is written. Nothing is sent whose record is
// not in the journal, so a dispatcher must see it where they see the
// feed's health, not only as a failed count: it goes once an append
// succeeds again.
func (m *Model) journalMark() (long, short string) {
	h, _, ok := m.journalHealth()
	if !ok || !h.Failing() {
		return "", ""
	}
	word := m.tr.t("not writable")
	if h.Full() {
		word = m.tr.t("full")
	}
	return m.st.warn.Render(m.tr.t("journal") + " ✕ " + word), m.st.warn.Render("✕ " + m.tr.t("journal"))
}

// withJournalMark puts the journal's mark before each form of the feed's
// health, so it is kept as long as the feed's is: long forms take its long
// word, short ones its short.
func (m *Model) withJournalMark(long, worded, short, tiny string) (string, string, string, string) {
	jl, js := m.journalMark()
	if jl == "" {
		return long, worded, short, tiny
	}
	return jl + " · " + long, jl + " · " + worded, js + " " + short, js + " " + tiny
}

// journalNotSent is the Setpoints line's word on a journal that cannot be
// written, long and short, in the warning style; empty while it is
// written, with how many setpoints were not sent for it (of the failed
// count beside it).
func (m *Model) journalNotSent(s adapters.GuardStats) (long, short string) {
	if !s.Journal.Failing() {
		return "", ""
	}
	if s.NotJournalled == 0 {
		return m.st.warn.Render("✕ " + m.tr.t("the audit journal cannot be written: nothing can be sent")),
			m.st.warn.Render("✕ " + m.tr.t("journal not writable"))
	}
	n := thousands(int64(s.NotJournalled))
	return m.st.warn.Render("✕ " + fmt.Sprintf(m.tr.t("%s not sent: the audit journal cannot be written"), n)),
		m.st.warn.Render("✕ " + fmt.Sprintf(m.tr.t("%s not sent: journal"), n))
}
