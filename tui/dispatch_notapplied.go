package tui

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// reachedOf counts the answers that say a setpoint reached its charger or
// may have: accepted, clamped, unverified (most likely held) and timed out
// (the peer may hold it).
func reachedOf(byStatus map[adapters.Status]int) int {
	n := 0
	for st, k := range byStatus {
		if st.Written() || st == adapters.StatusTimeout {
			n += k
		}
	}
	return n
}

// ReachedNone reports whether every answer of the latest send of an
// event is in and none of its setpoints reached a charger or may have
// (every one failed or was rejected): the dashboard's page and `v2gdesk
// dispatch --follow` then say that nothing the plan asked, a hold on stale
// data included, is being followed.
func ReachedNone(pr control.Progress) bool {
	return pr.Sent > 0 && pr.Done == pr.Sent && reachedOf(pr.ByStatus) == 0
}

// HoldsNotApplied counts the holds on stale data of an event's latest
// send that are not in force once every answer is in: asked
// (Progress.HeldAsked), neither acknowledged (Progress.Held) nor left
// without an answer (Progress.HeldUnknown: the charger may hold it). 0
// while answers are still due: a hold waiting for its answer is not yet
// known to have failed.
func HoldsNotApplied(pr control.Progress) int {
	if pr.Done < pr.Sent || pr.HeldAsked <= pr.Held+pr.HeldUnknown {
		return 0
	}
	return pr.HeldAsked - pr.Held - pr.HeldUnknown
}

// lapseText says what the event's chargers follow once its latest plan
// reached none of them: its earlier setpoints until the latest validity
// of those applied (Progress.ValidUntil), then none, or none already.
func (m *Model) lapseText(pr control.Progress) string {
	t := m.tr.t
	switch {
	case pr.ValidUntil.IsZero():
		return t("its chargers follow no setpoint of the event")
	case m.snap != nil && !m.snap.At.Before(pr.ValidUntil):
		return fmt.Sprintf(t("its chargers follow no setpoint of the event since %s"), hhmm(pr.ValidUntil, m.loc()))
	}
	return fmt.Sprintf(t("its chargers follow its earlier setpoints at most until %s, then none"), hhmm(pr.ValidUntil, m.loc()))
}

// feedCarriesNothing is the line an event in force gets while the feed
// that carries its setpoints is down (Options.SetpointsOnFeed): its page
// still counted the setpoints accepted before and their validity, and the
// chargers were held on stale data, as if they followed them. "" when no
// adapter sends on the feed or the feed is up.
func (m *Model) feedCarriesNothing() string {
	if len(m.opts.SetpointsOnFeed) == 0 || !m.feedDown() {
		return ""
	}
	return m.st.high.Render("✕ " + fmt.Sprintf(m.tr.t("the feed is down, and it carries the setpoints of %s: none reaches this event's chargers until it is back, and what they hold now is not known (a simulator that stopped holds none)"),
		strings.Join(m.opts.SetpointsOnFeed, ", ")))
}

// feedDown reports whether the desk's feed is down: the first of its
// sources when it has several (the --feed leads a merge), else the
// snapshot's link. A feed that has ended is not down: it said goodbye.
func (m *Model) feedDown() bool {
	if m.opts.Sources != nil {
		if ls := m.opts.Sources(); len(ls) > 0 {
			return !ls[0].Up
		}
	}
	return m.latest != nil && !m.latest.Stats.Connected && !m.latest.Stats.Ended
}
