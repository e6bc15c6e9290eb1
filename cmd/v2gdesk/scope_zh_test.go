package main

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestChineseSystemEventReadsChinese: a DR event on the whole system,
// confirmed and steered, read on a Chinese desk (its page with the
// measured-load line and chart, the events list, the quit prompt, the
// cancel), at 160x45 and 80x24: the scope reads 全系统, never "system".
// Before, the page's progress read "system 实测 …".
func TestChineseSystemEventReadsChinese(t *testing.T) {
	p := newSharedDeskPair(t, 18*time.Hour)
	day := p.sim.Now().Truncate(24 * time.Hour).Add(-8 * time.Hour)
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := p.ctl.Propose(feeds.EventFrame{Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, Start: day.Add(18*time.Hour + 20*time.Minute),
		End: day.Add(19*time.Hour + 30*time.Minute), KW: 20000}, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ctl.Preview(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := p.ctl.Confirm(context.Background(), id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	p.step(5 * time.Minute)
	if v, _ := p.ctl.Event(id); v.State != control.StateActive || len(v.Track) == 0 {
		t.Fatalf("%s: %s with %d track points, want active and measured", id, v.State, len(v.Track))
	}
	names := map[string]bool{"Demo": true, "City": true, "Feeder": true}
	var screens []string
	check := func(step string) {
		t.Helper()
		for _, size := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 160, Height: 45}} {
			p.zh.do(size)
			lines := p.zh.lines()
			screens = append(screens, lines...)
			for _, l := range lines {
				if bad := untranslated(l, names); len(bad) > 0 {
					t.Errorf("%s, %dx%d: zh-CN line has English %q:\n%s", step, size.Width, size.Height, bad, l)
				}
			}
		}
	}
	p.zh.keys(runes("5"))
	check("events list")
	p.zh.keys(enter)
	check("event page")
	if !anyContains(screens, "全系统 实测 ") {
		t.Errorf("the page's measured line does not name the system in Chinese:\n%s", strings.Join(screens, "\n"))
	}
	p.zh.keys(runes("q"))
	check("quit prompt")
	p.zh.keys(runes("c"), runes("c"))
	p.step(time.Minute)
	check("cancelled")
}
