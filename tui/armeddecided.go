package tui

import "github.com/v2gdesk/v2gdesk/dispatch/plan/control"

// dropDecidedQuestions disarms a second key that waits on an event decided
// elsewhere since it was asked: a large dispatch's "enter again to confirm"
// of an event no longer pending (another operator declined or confirmed
// it, its window ended), a cancel's "c again to cancel" of an event already
// over. The question went only with the next key, so a page that read
// ✓ ENDED kept asking for the enter that would confirm it.
func (m *Model) dropDecidedQuestions() {
	dropped := false
	if m.armed != "" {
		if v, ok := m.drEvent(m.armed); !ok || v.State != control.StatePending {
			m.armed, m.armedPreview = "", nil
			dropped = true
		}
	}
	if m.cancelArmed != "" {
		if v, ok := m.drEvent(m.cancelArmed); !ok || v.State.Final() {
			m.cancelArmed = ""
			dropped = true
		}
	}
	if dropped && m.flashKind == flashAsk {
		m.flash = ""
	}
}
