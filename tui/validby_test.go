package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// The time an event's setpoints expire by is marked once it has passed on
// the site's clock: after sends failed for a while the latest accepted
// setpoint can be older than the slot, and "expire by 18:05" read at 18:40
// has a dispatcher wait for what has already happened.
func TestValidByMarksAnExpiryAlreadyPast(t *testing.T) {
	fx := demo(t)
	m := newDRModel(fx, newDRController(t, fx, nil), "")
	now := m.siteNow()
	if now.IsZero() {
		t.Fatal("the fixture's dashboard has no site clock")
	}
	ahead := m.validBy(control.Progress{ValidUntil: now.Add(20 * time.Minute)})
	if want := now.Add(20 * time.Minute).In(m.loc()).Format("15:04"); ahead != want {
		t.Errorf("validity 20 min ahead: %q, want %q", ahead, want)
	}
	for _, past := range []time.Duration{0, -35 * time.Minute} {
		got := m.validBy(control.Progress{ValidUntil: now.Add(past)})
		want := now.Add(past).In(m.loc()).Format("15:04") + " (already expired)"
		if got != want {
			t.Errorf("validity %v from now: %q, want %q", past, got, want)
		}
	}
	if got := m.validBy(control.Progress{}); got != "—" {
		t.Errorf("no validity: %q, want —", got)
	}
	zh := newTranslator("zh-CN")
	m.tr = zh
	if got := m.validBy(control.Progress{ValidUntil: now.Add(-time.Minute)}); !strings.Contains(got, "已过期") {
		t.Errorf("zh-CN: %q has no 已过期", got)
	}
}
