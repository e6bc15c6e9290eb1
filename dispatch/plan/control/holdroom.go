package control

import (
	"fmt"
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A charger held on stale data (stalehold.go) keeps its last import limit
// only if the equipment took the hold. One whose latest setpoint of the
// event was refused, failed, never sent or not answered may hold nothing:
// once its last acknowledged setpoint's validity ends it goes back to
// unmanaged charging, at its full power, and nobody sees it (its data is
// stale). Planned into the room of its held limit, the chargers still
// heard would take the feeder over its limit, at 3 a.m., with nobody seeing
// why. So the plan takes the safe side for it: its held limit until that
// validity (it may be holding its last acknowledged setpoint), and the
// most it can import from then on (or from now, with none in force). An
// acknowledged hold keeps the held limit for the whole horizon, as before;
// a late acknowledgement restores it at the next re-plan.
// docs/operations.md ("Feed lost during an event") gives the rule.

// chargerAnswers is what a charger's setpoints of an event became: whether
// its latest was acknowledged, and the latest acknowledged one, which it
// holds until its validity whatever came after (a refusal or a timeout
// changes nothing the charger holds).
type chargerAnswers struct {
	// latestID is the id of the latest setpoint sent to the charger, for a
	// late answer to match; latestAcked says the equipment acknowledged it
	// (accepted, clamped, or written but not read back).
	latestID    string
	latestAcked bool
	// ack is the latest acknowledged setpoint; ackSeq its plan (0: none),
	// so a late acknowledgement of an older one does not replace it.
	ackSeq   int
	ackKW    float64
	ackUntil time.Time
}

// noteAnswerLocked records r, the answer to sp of plan seq, in e's answers
// by charger. Callers hold c.mu.
func noteAnswerLocked(e *entry, seq int, sp adapters.Setpoint, r adapters.Result) {
	if e.answers == nil {
		e.answers = map[string]chargerAnswers{}
	}
	a := e.answers[sp.Charger]
	a.latestID, a.latestAcked = sp.ID, r.Status.Written()
	if a.latestAcked {
		// The setpoint asked, not AppliedKW: a clamp only lowers it, and
		// an unverified write reports no power at all.
		a.ackSeq, a.ackKW, a.ackUntil = seq, sp.KW, sp.ValidUntil
	}
	e.answers[sp.Charger] = a
}

// noteUnsentLocked records that sp, the latest setpoint of its charger,
// was never sent (the send was stopped): the charger's latest is not
// acknowledged, though the one before may have been. Callers hold c.mu.
func noteUnsentLocked(e *entry, sp adapters.Setpoint) {
	a, ok := e.answers[sp.Charger]
	if !ok {
		return // never sent anything: no room is kept for it
	}
	a.latestID, a.latestAcked = sp.ID, false
	e.answers[sp.Charger] = a
}

// noteLateAnswerLocked records the late answer st to w, the setpoint id
// reported timed out: acknowledged, it is in force until its validity, and
// is the charger's latest acknowledged one unless a later plan's was
// acknowledged meanwhile. Callers hold c.mu.
func noteLateAnswerLocked(e *entry, id string, w lateWait, st adapters.Status) {
	a, ok := e.answers[w.charger]
	if !ok || !st.Written() {
		return
	}
	if a.latestID == id {
		a.latestAcked = true
	}
	if w.seq >= a.ackSeq {
		a.ackSeq, a.ackKW, a.ackUntil = w.seq, w.kw, w.until
	}
	e.answers[w.charger] = a
}

// roomFor fills in how much room the plan leaves h, a charger of e held on
// stale data at now, described by ch: see heldCharger. Callers hold c.mu.
func roomFor(e *entry, h *heldCharger, ch feeds.ChargerStatus, now time.Time) {
	a, ok := e.answers[h.charger]
	if ok && a.latestAcked {
		return // its hold (or last setpoint) is in force: the held limit
	}
	// The hello's max_charge_kw: the charger's own rating, what it draws
	// charging unmanaged (the simulator's max_kw). Not the adapters file's
	// bound, which limits what the desk may ask of it, not what it draws
	// on its own; nor the planner's model of the EV, which stale data no
	// longer supports. Never below the held limit, should the topology
	// understate it.
	h.fullKW = math.Max(h.roomKW, ch.MaxChargeKW)
	h.full, h.fullFrom = true, now
	if ok && a.ackSeq > 0 && a.ackUntil.After(now) {
		// Until then it may still hold its last acknowledged setpoint,
		// which may be above the held limit (the limit kept is the
		// latest setpoint sent, which may not have been answered).
		h.fullFrom = a.ackUntil
		h.roomKW = math.Max(h.roomKW, math.Max(0, a.ackKW))
		h.fullKW = math.Max(h.fullKW, h.roomKW)
	}
}

// roomText is what a hold's reason adds when the plan it was sent with
// left the charger its full power: "; latest setpoint not acknowledged:
// planned as if drawing 11 kW from 18:35", in loc. The journal then says,
// hold by hold, why the chargers still heard got less. "" otherwise.
func (h heldCharger) roomText(loc *time.Location) string {
	if !h.full {
		return ""
	}
	return fmt.Sprintf("; latest setpoint not acknowledged: planned as if drawing %s kW from %s",
		kwText(h.fullKW), h.fullFrom.In(loc).Format("15:04"))
}
