package tui

import (
	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// stillValid is how many of n chargers of event id that cannot be
// released still hold one of its setpoints at the site's clock: none once
// the latest validity of the event's setpoints (Progress.ValidUntil) has
// passed, else, when the desk's guard knows each charger's latest
// setpoint, those whose latest is the event's, possibly held (applied,
// timed out or unverified) and not yet expired, at most n; n when the
// guard has none of the event's setpoints. The cancel
// line said "176 setpoints expire at their validity, by 18:35 (already
// expired)", counting chargers whose setpoints had all run out.
func (m *Model) stillValid(id string, pr control.Progress, n int) int {
	valid, _ := m.stillValidSplit(id, pr, n)
	return valid
}

// stillValidSplit is stillValid, and of those counted the ones with no
// answer (timed out, no late answer since): unknown, their chargers may
// hold them until their validity. Without the guard's setpoints the
// event's own count of chargers with no answer (Progress.Unanswered)
// stands, at most the first figure.
func (m *Model) stillValidSplit(id string, pr control.Progress, n int) (valid, unknown int) {
	now := m.siteNow()
	switch {
	case n <= 0:
		return 0, 0
	case pr.ValidUntil.IsZero():
		// No validity known: the count stands, "by —".
		return n, min(pr.Unanswered, n)
	case !now.IsZero() && !pr.ValidUntil.After(now):
		return 0, 0
	}
	so, ok := m.opts.Setpoints.(setpointOutcomes)
	if !ok || m.snap == nil || now.IsZero() {
		return n, min(pr.Unanswered, n)
	}
	known := false
	for i, k := 0, m.snap.NumChargers(); i < k; i++ {
		o, ok := so.Latest(m.snap.ChargerAt(i).ID)
		if !ok || o.Setpoint.Event != id {
			continue
		}
		known = true
		if !now.Before(o.Setpoint.ValidUntil) {
			continue
		}
		if st := o.Result.Status; st.Applied() || st == adapters.StatusTimeout || st == adapters.StatusUnverified {
			valid++
		}
		if o.Result.Status == adapters.StatusTimeout {
			unknown++
		}
	}
	if !known {
		// The guard has none of the event's setpoints (another
		// desk sent them): the event's own count stands.
		return n, min(pr.Unanswered, n)
	}
	valid = min(valid, n)
	return valid, min(unknown, valid)
}
