package main

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestCancelSaysTheSimulatorCannotRelease: on the demo day the setpoints go
// to the simulator's in-process adapter, which cannot release a charger.
// The event's page, its second c and its result say so, with the time the
// setpoints expire, in English and in Chinese. Before, the page said "c
// cancel the event and release the chargers" and then "released 0
// chargers; 176 expire at their validity".
func TestCancelSaysTheSimulatorCannotRelease(t *testing.T) {
	p := newSharedDeskPair(t, 17*time.Hour+50*time.Minute)
	day := p.sim.Now().Truncate(24 * time.Hour).Add(-8 * time.Hour)
	id := confirmCap(t, p.ctl, "F10", day.Add(18*time.Hour), day.Add(19*time.Hour), 1450)
	p.step(5 * time.Minute)
	v, _ := p.ctl.Event(id)
	pr := v.Progress
	if pr.Holding == 0 || pr.Unreleasable != pr.Holding || pr.ValidUntil.IsZero() {
		t.Fatalf("progress %+v: want every charger holding a setpoint unreleasable, with a validity", pr)
	}
	n, by := count(pr.Unreleasable), hhmmCST(pr.ValidUntil)
	p.en.keys(runes("5"), enter)
	p.zh.keys(runes("5"), enter)
	screen := func(d *deskSide) string { return strings.Join(d.lines(), "\n") }
	for _, c := range []struct {
		d    *deskSide
		want string
	}{
		{p.en, "c cancel the event; this adapter cannot release: " + n + " setpoints expire at their validity, by " + by},
		{p.zh, "c 取消事件; 此适配器无法释放充电桩: " + n + " 个设定值将于 " + by + " 前到期失效"},
	} {
		if s := screen(c.d); !strings.Contains(s, c.want) || strings.Contains(s, "release the chargers") || strings.Contains(s, "释放充电桩    ") {
			t.Errorf("%s's page does not say the chargers cannot be released (%q):\n%s", c.d.name, c.want, s)
		}
	}
	p.en.keys(runes("c"))
	if foot := p.en.footer(); !strings.Contains(foot, "c again to cancel "+id+"; its setpoints expire by "+by+" (this adapter cannot release)") {
		t.Errorf("omar's first c: %q", foot)
	}
	p.en.keys(runes("c"))
	if v, _ := p.ctl.Event(id); v.State != control.StateCancelled || v.Progress.ReleaseUnsupported != pr.Unreleasable || v.Progress.Released != 0 {
		t.Fatalf("%s after cancel: %s, progress %+v", id, v.State, v.Progress)
	}
	p.step(time.Minute)
	for _, c := range []struct {
		d    *deskSide
		want string
	}{
		{p.en, "this adapter cannot release: " + n + " setpoints expire at their validity, by " + by},
		{p.zh, "此适配器无法释放充电桩: " + n + " 个设定值将于 " + by + " 前到期失效"},
	} {
		if s := screen(c.d); !strings.Contains(s, c.want) || strings.Contains(s, "released 0 chargers") {
			t.Errorf("%s's page after the cancel lacks %q:\n%s", c.d.name, c.want, s)
		}
	}
	for _, l := range p.zh.lines() {
		if bad := untranslated(l, map[string]bool{"Demo": true, "City": true, "Feeder": true}); len(bad) > 0 {
			t.Errorf("zh-CN line has English %q:\n%s", bad, l)
		}
	}
}
