package tui

import (
	"fmt"
	"time"
)

// A setpoint the desk sent is, for its charger, in one of three cases,
// worded alike on the event's page, its cancel and release lines, the
// charger's page and `v2gdesk dispatch --follow` (docs/operations.md,
// "What the chargers hold"): acknowledged, "in force until 18:35"; no
// answer (timed out, no late answer since), "no answer: may hold it until
// 18:35", its validity, since the equipment may have applied it and its
// answer got lost; and not in force (refused, failed, never sent).

// inForceUntil is the acknowledged case: "in force until 18:35".
func (m *Model) inForceUntil(at time.Time) string {
	return fmt.Sprintf(m.tr.t("in force until %s"), hhmm(at, m.loc()))
}

// mayHoldUntil is the case with no answer: "no answer: may hold it until
// 18:35".
func (m *Model) mayHoldUntil(at time.Time) string {
	return fmt.Sprintf(m.tr.t("no answer: may hold it until %s"), hhmm(at, m.loc()))
}
