package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// seekSkipNote warns that a seek from now to t skips past the end of a DR
// event's setpoints: "" when it does not. The simulator re-enacts the
// skipped time obeying each setpoint until its validity, but the
// controller plans again only at the seek's target, not at the slot
// boundaries it skips; so from the setpoints' end to t the event's
// chargers ran unmanaged, and a cap the day would have held can read
// missed after the seek. A presenter should know it is the skip's doing.
func (m *Model) seekSkipNote(now, t time.Time) string {
	var first *control.EventView
	n := 0
	for i := range m.dr {
		v := &m.dr[i]
		until := v.Progress.ValidUntil
		if v.State != control.StateActive || until.IsZero() || until.Before(now) || !until.Before(t) || !v.Event.End.After(until) {
			continue
		}
		n++
		if first == nil || until.Before(first.Progress.ValidUntil) {
			first = v
		}
	}
	if first == nil {
		return ""
	}
	end := t
	if first.Event.End.Before(end) {
		end = first.Event.End
	}
	from, to := m.clockTime(first.Progress.ValidUntil), m.clockTime(end)
	if n == 1 {
		return fmt.Sprintf(m.tr.t("△ %s unmanaged %s–%s: setpoints expired in the skip"), first.Event.ID, from, to)
	}
	return fmt.Sprintf(m.tr.t("△ %d events unmanaged from %s: setpoints expired in the skip"), n, from)
}
