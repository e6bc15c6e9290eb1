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
	now := m.siteNow()
	switch {
	case n <= 0:
		return 0
	case pr.ValidUntil.IsZero():
		// No validity known: the count stands, "by —".
		return n
	case !now.IsZero() && !pr.ValidUntil.After(now):
		return 0
	}
	so, ok := m.opts.Setpoints.(setpointOutcomes)
	if !ok || m.snap == nil || now.IsZero() {
		return n
	}
	valid, known := 0, false
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
	}
	if !known {
		// The guard has none of the event's setpoints (another
		// desk sent them): the event's own count stands.
		return n
	}
	return min(valid, n)
}
