package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// explainDeadKey says in the footer why msg, a key the desk binds
// somewhere but that does nothing on page p as it stands (its binding is
// off here), did nothing: 'a' on the events page, 'c' on a declined event.
// Silence read as a key lost or a desk hung. A key bound nowhere stays
// silent (a typo is not a question), and so does esc, pressed to make
// sure nothing is open. The flash is a refusal's, like guardAct's and
// "nothing to filter here", and replaces the last one rather than
// stacking: a key held down says one line.
func (m *Model) explainDeadKey(msg tea.KeyMsg, p *page) {
	if why := m.deadKeyWhy(msg, p); why != "" {
		m.setFlash(why, true)
	}
}

// deadKeyWhy is explainDeadKey's sentence, "" for a key it leaves silent.
// Each sentence is spelt out so the translation check sees it.
func (m *Model) deadKeyWhy(msg tea.KeyMsg, p *page) string {
	t := m.tr.t
	all := m.keys.allEnabled()
	rows := m.rowCount(p)
	alarmList := p.kind == pageList && p.view == viewAlarms
	eventList := p.kind == pageList && p.view == viewEvents
	noDR := m.opts.Dispatch == nil
	// The state of the DR event the page is about, for c, d and e.
	state, known := control.State(""), false
	var v control.EventView
	if p.kind == pageDispatch {
		var ok bool
		v, ok = m.drEvent(p.id)
		state, known = v.State, ok
	} else if eventList {
		v, ok := m.selectedDR(p)
		state, known = v.State, ok
	}
	stateWord := t(string(state))
	if why := m.drRefusal(msg, p, all, noDR); why != "" {
		return why
	}
	switch {
	case key.Matches(msg, all.Extend) && p.kind == pageDispatch && !noDR:
		// x extends a hand-back here; it shelves alarms on 4.
		if why := m.extendNoUse(v); known && why != "" {
			return fmt.Sprintf(t("x: %s"), why)
		}
		return t("x: only an event handing its chargers back can be extended")
	case key.Matches(msg, all.Ack):
		if alarmList {
			return t("a: no alarm to acknowledge")
		}
		return t("a: nothing to acknowledge on this page — alarms are on 4")
	case key.Matches(msg, all.Shelve):
		if alarmList {
			return t("x: no alarm to shelve")
		}
		return t("x: nothing to shelve on this page — alarms are on 4")
	case key.Matches(msg, all.Unshelve):
		if alarmList {
			return t("u: no alarm to unshelve")
		}
		return t("u: nothing to unshelve on this page — alarms are on 4")
	case key.Matches(msg, all.Sort):
		return t("s: nothing to sort on this page")
	case key.Matches(msg, all.Reverse):
		return t("r: nothing to sort on this page")
	case key.Matches(msg, all.Filter):
		return t("/: nothing to filter on this page")
	case key.Matches(msg, all.Enter):
		if p.kind == pageCharger {
			return t("enter: nothing to open on a charger's page")
		}
		if rows == 0 {
			return t("enter: nothing to open: the list is empty")
		}
	case key.Matches(msg, all.Top, all.Bottom) && p.kind == pageDispatch:
		// g and G go to the first and last row elsewhere; the event's
		// page fits its lines to the screen and has none.
		return fmt.Sprintf(t("%s: an event's page has no rows to go to"), msg.String())
	case key.Matches(msg, all.Triage):
		return t("t: triage is open")
	case noDR && key.Matches(msg, all.NewEvent, all.Dispatch, all.Decline, all.PlanIt, all.Edit, all.Extend):
		return fmt.Sprintf(t("%s: this desk has no DR workflow"), msg.String())
	case key.Matches(msg, all.NewEvent) && !m.haveFleet():
		// Bound but off until the feed's topology is in: the form's
		// scopes, kW and times all come from it, and opened empty.
		return t("n: no data yet — a DR event is planned on the feed's fleet")
	case key.Matches(msg, all.NewEvent):
		return t("n: a new DR event starts from a list, triage or a feeder's page")
	case key.Matches(msg, all.Dispatch):
		if known {
			return fmt.Sprintf(t("d: the event is %s: only a pending event is planned"), stateWord)
		}
		if eventList {
			return t("d: no DR event to plan")
		}
		return t("d: no DR event here to plan — DR events are on 5")
	case key.Matches(msg, all.Decline):
		if known {
			return fmt.Sprintf(t("c: the event is %s: nothing to decline or cancel"), stateWord)
		}
		if eventList {
			return t("c: no DR event to decline or cancel")
		}
		return t("c: no DR event here to decline or cancel — DR events are on 5")
	case key.Matches(msg, all.Edit):
		if p.kind == pageDispatch && known {
			return fmt.Sprintf(t("e: the event is %s: only a pending event can be edited"), stateWord)
		}
		return t("e: nothing to edit on this page — DR events are on 5")
	case key.Matches(msg, all.PlanIt):
		if p.kind == pageTriage {
			return t("p: triage suggests nothing now")
		}
		return t("p: nothing to propose on this page — triage (t) suggests DR events")
	}
	return ""
}

// drRefusal is the reason a DR key is refused before its own, "" when
// there is none: once the source has ended, that nothing more can be
// dispatched; then, to a viewer, that the action is not theirs. The keys'
// live paths refuse in that order (guardEnded, then guardAct), and a
// dead DR key gave its own reason first: after the day had ended, d on the
// overview read "d: no DR event here to plan — DR events are on 5", c on a
// declined event "the event is declined", as if another page or event
// could still be dispatched, and p in an empty triage "triage suggests
// nothing now". d is spared the viewer's refusal: a viewer may make an
// event's first plan. A desk with no DR workflow says that first (noDR):
// there never was anything to dispatch.
func (m *Model) drRefusal(msg tea.KeyMsg, p *page, all keyMap, noDR bool) string {
	extend := p.kind == pageDispatch && key.Matches(msg, all.Extend) // x shelves alarms elsewhere
	if noDR || !(extend || key.Matches(msg, all.NewEvent, all.Dispatch, all.Decline, all.Edit, all.PlanIt)) {
		return ""
	}
	if m.sourceEnded() {
		return m.endedWhy(false)
	}
	if !m.canAct() && !key.Matches(msg, all.Dispatch) {
		return m.refusal(RefusedDispatch)
	}
	return ""
}
