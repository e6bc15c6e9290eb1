package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// suggestReadTime is how long after a suggestion's offer changed a p is
// taken to have been meant for the offer before it. Triage plans its
// suggestion again every minute of fleet time, a second of wall time at
// 60x: a dispatcher read "until 22:56", pressed p, and proposed an event
// ending 22:43, planned in between. Within this time p proposes nothing
// and says what changed; the next p proposes what the line then reads.
const suggestReadTime = 5 * time.Second

// suggestHoldDrift is how far a new plan's end may move from the end on
// triage's line and leave the line as it was. The controller plans the
// cap's end from the fleet of each minute, and on the demo day it crept a
// minute every fleet minute ("until 23:31", "23:33", "23:34"): a line that
// never holds still for the dispatcher to read, nor for p to propose what
// was read. A move under a plan slot keeps the end read; a larger one
// changes the offer (and p just after it says so).
const suggestHoldDrift = 15 * time.Minute

// heldOffer is suggestion b as triage shows it after a: b's plan, with
// a's end when b offers the same cap ending less than suggestHoldDrift
// from it.
func (m *Model) heldOffer(a, b *control.Suggestion) *control.Suggestion {
	if a == nil || b == nil || !sameCap(a, b) || !a.Event.End.After(b.Event.Start) {
		return b
	}
	if d := m.suggestionEnd(b.Event).Sub(m.suggestionEnd(a.Event)); d.Abs() >= suggestHoldDrift {
		return b
	}
	held := *b
	held.Event.End = a.Event.End
	return &held
}

// offerChanged reports whether suggestion b offers the dispatcher a
// different cap from a: its level or its end as triage words it. The
// chargers, kW and EVs short move with every minute's fleet and are what
// the preview shows again before enter; the cap and its window are what
// the dispatcher decides on reading the line.
func (m *Model) offerChanged(a, b *control.Suggestion) bool {
	if a == nil || b == nil {
		return false
	}
	return !sameCap(a, b) || m.suggestionUntil(a.Event) != m.suggestionUntil(b.Event)
}

// sameCap reports whether suggestions a and b cap at the same level.
func sameCap(a, b *control.Suggestion) bool { return a.Pct == b.Pct && a.Event.KW == b.Event.KW }

// keepSuggestion stores sg as feeder's suggestion, with the end on the
// line held against a small drift (heldOffer), remembering the offer it
// replaces, and when (wall time), when that offered a different cap; a new
// plan of the same offer keeps the change it followed.
func (m *Model) keepSuggestion(feeder string, sg suggestion) {
	if m.suggest == nil {
		m.suggest = map[string]suggestion{}
	}
	if old, ok := m.suggest[feeder]; ok {
		sg.s = m.heldOffer(old.s, sg.s)
		switch {
		case m.offerChanged(old.s, sg.s):
			sg.was, sg.changed = old.s, m.opts.Now()
		case old.was != nil && sg.s != nil:
			sg.was, sg.changed = old.was, old.changed
		}
	}
	m.suggest[feeder] = sg
}

// suggestionJustChanged is, when feeder's suggestion offered a different
// cap less than suggestReadTime ago, what p says in place of proposing it:
// the offer now, the one before it, and why it changed, and its wording for
// a narrow footer. The change is then taken as read: the next p proposes
// the offer on the line.
func (m *Model) suggestionJustChanged(feeder string) (long, short string, changed bool) {
	sg, ok := m.suggest[feeder]
	if !ok || sg.s == nil || sg.was == nil || m.opts.Now().Sub(sg.changed) >= suggestReadTime {
		return "", "", false
	}
	t := m.tr.t
	long = fmt.Sprintf(t("not proposed: the suggestion for %s changed a moment ago, planned again on the fleet at %s: %s%% until %s, was %s%% until %s; p proposes it as it reads now"),
		feeder, hhmm(sg.at, m.loc()), ftoa(sg.s.Pct, 0), m.suggestionUntil(sg.s.Event), ftoa(sg.was.Pct, 0), m.suggestionUntil(sg.was.Event))
	short = fmt.Sprintf(t("%s suggestion now %s%% until %s, was %s%% until %s: p proposes it"),
		feeder, ftoa(sg.s.Pct, 0), hhmm(m.suggestionEnd(sg.s.Event), m.loc()), ftoa(sg.was.Pct, 0), hhmm(m.suggestionEnd(sg.was.Event), m.loc()))
	sg.was = nil
	m.suggest[feeder] = sg
	return long, short, true
}

// suggestionEnd is when the cap suggested as ev ends as the desk will see
// it, the time suggestionUntil leads with.
func (m *Model) suggestionEnd(ev feeds.EventFrame) time.Time {
	bounded, _ := boundedSuggestion(ev)
	if dayEnd, ok := m.scenarioDayEnd(); ok && bounded.End.After(dayEnd) {
		return dayEnd
	}
	return bounded.End
}
