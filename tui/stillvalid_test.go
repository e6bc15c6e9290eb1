package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestCancelCountsOnlySetpointsStillValid: cancelling an event whose
// adapter cannot release said "176 setpoints expire at their validity, by
// 18:35 (already expired)", counting chargers whose setpoints had all run
// out. Only those still valid are counted, and none is said as none; the
// guard's latest setpoints give the count when it has the event's.
func TestCancelCountsOnlySetpointsStillValid(t *testing.T) {
	fx := demo(t)
	m := newDRModel(fx, newDRController(t, fx, nil), "")
	now := m.siteNow()
	if now.IsZero() {
		t.Fatal("the fixture's dashboard has no site clock")
	}
	expired := control.Progress{Holding: 176, Unreleasable: 176, ValidUntil: now.Add(-35 * time.Minute)}
	last := m.clockTime(expired.ValidUntil)
	if got, want := m.cancelHint("DR-17", expired), "cancel the event; none of its setpoints is still valid (the last expired at "+last+")"; got != want {
		t.Errorf("all expired: %q, want %q", got, want)
	}
	mixed := control.Progress{Holding: 200, Unreleasable: 176, ValidUntil: now.Add(-time.Minute)}
	if got, want := m.cancelHint("DR-17", mixed), "cancel the event and release the chargers"; got != want {
		t.Errorf("the unreleasable expired: %q, want %q", got, want)
	}
	ahead := control.Progress{Holding: 176, Unreleasable: 176, ValidUntil: now.Add(20 * time.Minute)}
	if got := m.cancelHint("DR-17", ahead); !strings.Contains(got, ": 176 setpoints expire at their validity, by "+m.clockTime(ahead.ValidUntil)) {
		t.Errorf("no guard, validity ahead: %q, want the event's 176", got)
	}

	// The guard knows three of the event's chargers: one still valid,
	// one expired, one since steered by another event; and one timed out,
	// still valid, which may hold it.
	c := func(i int) string { return fx.snap.ChargerAt(i).ID }
	sp := func(ev string, until time.Time, st adapters.Status) adapters.Outcome {
		return adapters.Outcome{Setpoint: adapters.Setpoint{Event: ev, ValidUntil: until}, Result: adapters.Result{Status: st}}
	}
	m.opts.Setpoints = &latestGuard{latest: map[string]adapters.Outcome{
		c(0): sp("DR-17", now.Add(20*time.Minute), adapters.StatusAccepted),
		c(1): sp("DR-17", now.Add(-5*time.Minute), adapters.StatusAccepted),
		c(2): sp("DR-18", now.Add(20*time.Minute), adapters.StatusAccepted),
		c(3): sp("DR-17", now.Add(10*time.Minute), adapters.StatusTimeout),
		c(5): sp("DR-17", now.Add(10*time.Minute), adapters.StatusRejected),
	}}
	if got := m.cancelHint("DR-17", ahead); !strings.Contains(got, ": 2 setpoints expire at their validity") {
		t.Errorf("guard: %q, want the 2 still valid", got)
	}
	if got := m.cancelHint("DR-19", ahead); !strings.Contains(got, ": 176 setpoints") {
		t.Errorf("guard without the event's setpoints: %q, want the event's 176", got)
	}
	m.opts.Setpoints = &latestGuard{latest: map[string]adapters.Outcome{c(1): sp("DR-17", now.Add(-5*time.Minute), adapters.StatusAccepted)}}
	if got := m.cancelHint("DR-17", ahead); !strings.Contains(got, "none of its setpoints is still valid") {
		t.Errorf("guard, every one expired: %q, want none", got)
	}

	m.tr = newTranslator("zh-CN")
	if got := m.cancelHint("DR-17", expired); !strings.Contains(got, "其设定值均已失效") {
		t.Errorf("zh-CN all expired: %q", got)
	}
}
