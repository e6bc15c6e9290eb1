package tui

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// A seek back that takes the clock to before the event in force ends it
// (control.WhyEarlierPass): its chargers are released and the journal has
// its dispatch_end. Nobody pressed a key for it, and the only line the
// footer had was the simulator's "△ sim restarted … setpoints dropped":
// the dispatcher was not told that the event steering the scope was over.
// Every session tells its own operator once, as a notice that stays until
// the next key, as it does for the events the source's end ended.

// passEndedEvents are the events this session saw the controller end
// because a seek back left them in an earlier pass (told, and ids those of
// the latest seek's notice, first the first of them); own is that notice
// (short, without the seek's times, for a narrow footer),
// base the one the footer showed before it (the simulator's restart line),
// kept beside it, and shown the two as the footer shows them.
type passEndedEvents struct {
	told  map[string]bool
	ids   []string
	first control.EventView
	own   string
	short string
	base  string
	// baseShort is base's shorter wording, for a narrow footer.
	baseShort string
	shown     string
}

// notePassEnded tells the operator of the events in force that the
// controller ended at a seek back since the previous refresh; wasOpen
// says which events were not over then. It reports whether it set the
// footer's notice.
func (m *Model) notePassEnded(wasOpen map[string]bool) bool {
	var fresh []control.EventView
	for _, v := range m.dr {
		if v.State.Final() && v.EndWhy.Kind == control.WhyEarlierPass && wasOpen[v.Event.ID] && !m.passEnded.told[v.Event.ID] {
			fresh = append(fresh, v)
		}
	}
	if len(fresh) == 0 {
		return false
	}
	pe := &m.passEnded
	if pe.told == nil {
		pe.told = map[string]bool{}
	}
	if len(pe.ids) == 0 || !m.passNoticeShown() {
		// The first of this seek's: what the footer says now (the
		// simulator's restart, as a rule) stays beside it.
		pe.ids, pe.first, pe.base, pe.baseShort = nil, fresh[0], "", ""
		if m.flashShown() && m.flashKind == flashNotice {
			pe.base, pe.baseShort = m.flash, m.shortNotice(m.flash)
		}
	}
	for _, v := range fresh {
		pe.told[v.Event.ID] = true
		pe.ids = append(pe.ids, v.Event.ID)
	}
	a := Announcement{Kind: TellEarlierPassEnded, Event: pe.first.Event, Why: pe.first.EndWhy, Others: pe.ids[1:]}
	pe.own = m.tell(a)
	ids := strings.Join(pe.ids, ", ")
	pe.short = fmt.Sprintf(m.tr.t("%s ended by the seek back: an earlier pass of the day, not planned again"), ids)
	m.showPassNotice()
	return true
}

// showPassNotice shows the notice of the events ended at a seek back,
// with the notice it joined after it.
func (m *Model) showPassNotice() {
	pe := &m.passEnded
	text := pe.own
	if pe.base == "" {
		m.setNotice(text)
	} else {
		// The footer has two lines for a notice: at 80 columns the
		// reason's two dated times cut the restart line off. Which
		// wording is chosen when the footer is drawn.
		text += " · " + pe.base
		m.setNoticeFit(text, pe.short+" · "+pe.baseShort, 2)
	}
	pe.shown = text
}

// joinPassNotice shows notice (the simulator's restart) beside the notice
// of the events ended at the same seek back when the footer still shows
// that, instead of in its place: the controller may end them before the
// restart signal is read; short is notice's wording for a narrow footer.
// It reports whether it did.
func (m *Model) joinPassNotice(notice, short string) bool {
	if !m.passNoticeShown() {
		return false
	}
	m.passEnded.base, m.passEnded.baseShort = notice, short
	m.showPassNotice()
	return true
}

// passNoticeShown reports whether the footer still shows the notice of
// events ended at a seek back: one more of the same seek joins it.
func (m *Model) passNoticeShown() bool {
	return m.passEnded.shown != "" && m.flashShown() && m.flashKind == flashNotice && m.flash == m.passEnded.shown
}
