package main

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// footer is the bottom line of d's screen: where the desk's notices show.
func (d *deskSide) footer() string {
	lines := strings.Split(ansi.Strip(d.m.View()), "\n")
	return lines[len(lines)-1]
}

// TestSharedDeskReleaseNotice: on the demo day a cap on F10 from 17:00 to
// 19:00 leaves it handing back, and its 4 h limit falls at 23:00 with F10's
// charging still far over its limit. From 22:30 by the simulation's clock,
// not before, both operators are told in their own language and their
// events lists and overviews say it; the journal has it once. omar extends
// the hand-back with x, to 03:00, after the day: both are told the day's
// end releases the chargers; ana is told in Chinese, the journal has who
// did, and F10 is still steered after 23:00.
func TestSharedDeskReleaseNotice(t *testing.T) {
	p := newSharedDeskPair(t, 16*time.Hour+50*time.Minute)
	day := p.sim.Now().Truncate(24 * time.Hour).Add(-8 * time.Hour) // the demo day's midnight, CST
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	id := confirmCap(t, p.ctl, "F10", at(17, 0), at(19, 0), 1400)
	p.step(at(22, 29).Sub(p.sim.Now()))
	v, _ := p.ctl.Event(id)
	if v.State != control.StateActive || v.HandBackSince.IsZero() || !v.ReleaseNoticeSince.IsZero() {
		t.Fatalf("%s at 22:29: %s, hand-back since %v, notice %v; want handing back, no notice yet", id, v.State, v.HandBackSince, v.ReleaseNoticeSince)
	}
	release := hhmmCST(v.ReleaseAt)
	if release != "23:00" {
		t.Fatalf("%s released at %s at the latest, want 23:00 (4 h after its window)", id, release)
	}
	for _, d := range []*deskSide{p.zh, p.en} {
		if strings.Contains(d.footer(), "23:00") {
			t.Errorf("%s is told of the release at 22:29: %q", d.name, d.footer())
		}
	}
	p.step(time.Minute)
	if foot := p.en.footer(); !strings.Contains(foot, "△ "+id+": chargers will be released at 23:00 (in 30 min), though charging would take F10 to ") {
		t.Errorf("omar's footer at 22:30: %q", foot)
	}
	if foot := p.zh.footer(); !strings.Contains(foot, "△ "+id+": 充电桩将于 23:00 (30 分钟后) 释放, 但充电将使 F10 升至 ") {
		t.Errorf("ana's footer at 22:30: %q", foot)
	}
	p.en.keys(runes("5"))
	p.zh.keys(runes("1"))
	if s := strings.Join(p.en.lines(), "\n"); !strings.Contains(s, "▲ RELEASE 23:00") || !strings.Contains(s, "▲ "+id+": chargers will be released at 23:00") {
		t.Errorf("omar's events list does not say the release:\n%s", s)
	}
	if s := strings.Join(p.zh.lines(), "\n"); !strings.Contains(s, "▲ "+id+": 充电桩将于 23:00") {
		t.Errorf("ana's overview does not say the release:\n%s", s)
	}
	p.step(5 * time.Minute)
	if foot := p.en.footer(); strings.Contains(foot, "released at 23:00") {
		t.Errorf("omar is told again at 22:35: %q", foot)
	}
	recs := journalOf(t, p, control.RecDispatchReleaseDue)
	if len(recs) != 1 || recs[0].Event != id || !strings.HasPrefix(recs[0].Reason, "chargers will be released at 23:00 (the 4 h hand-back limit), though charging would take F10 to ") {
		t.Errorf("dispatch_release_due records: %+v", recs)
	}

	// omar opens it and extends the hand-back: to 03:00, after the
	// simulated day, which releases the chargers as it ends at 00:00.
	p.en.keys(enter, runes("x"))
	if !strings.Contains(p.en.footer(), "extended "+id+"'s hand-back to 03:00, after the scenario day: its chargers are released when the day ends at 00:00") {
		t.Errorf("omar's footer after x: %q", p.en.footer())
	}
	if !anyHasPrefix(p.zh.told, "omar 已将 "+id+" 的逐步交还延长至 03:00, 在仿真日之后: 充电桩于仿真日结束时 00:00 释放") {
		t.Errorf("ana was not told of the extension in Chinese: %q", p.zh.told)
	}
	ext := journalOf(t, p, control.RecDispatchExtend)
	if len(ext) != 1 || ext[0].Operator != "omar" || !strings.Contains(ext[0].Detail, "hand-back extended by 4 h: chargers will be released at 03:00 at the latest (was 23:00)") {
		t.Errorf("dispatch_extend records: %+v", ext)
	}
	p.step(at(23, 5).Sub(p.sim.Now()))
	if v, _ := p.ctl.Event(id); v.State != control.StateActive || v.ForcedRelease {
		t.Errorf("%s at 23:05 after the extension: %s, forced %t; want still handing back", id, v.State, v.ForcedRelease)
	}
	p.zh.do(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, l := range p.zh.lines() {
		if bad := untranslated(l, map[string]bool{"Demo": true, "City": true, "Feeder": true}); len(bad) > 0 {
			t.Errorf("zh-CN line has English %q:\n%s", bad, l)
		}
	}
}

// hhmmCST is t on the demo day's clock.
func hhmmCST(t time.Time) string { return t.In(time.FixedZone("CST", 8*3600)).Format("15:04") }

// journalOf reads the desk's audit journal for records of kind.
func journalOf(t *testing.T, p *sharedDeskPair, kind adapters.RecordKind) []adapters.Record {
	t.Helper()
	var out []adapters.Record
	if _, err := adapters.ReadJournal(p.journal, func(r adapters.Record) error {
		if r.Kind == kind {
			out = append(out, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDispatchFollowSaysForcedReleaseAhead: `dispatch --follow` on the demo
// day says the notice of the forced release once, at 22:30 between the
// 22:30 and 22:45 plans, before the release at 23:00 that it reports.
func TestDispatchFollowSaysForcedReleaseAhead(t *testing.T) {
	code, out, stderr := followOnDemo(t, `{"v":1,"type":"event","id":"DR-10","kind":"import_cap","scope":"F10",
		"start":"2024-01-17T17:00:00+08:00","end":"2024-01-17T19:00:00+08:00","kw":1400}`)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	const notice = "△ DR-10: chargers will be released at 23:00 (the 4 h hand-back limit), though charging would take F10 to "
	if n := strings.Count(out, "△ DR-10: chargers will be released"); n != 1 || !strings.Contains(out, notice) {
		t.Fatalf("the notice is said %d times, want once, as %q:\n%s", n, notice, out)
	}
	i := strings.Index(out, notice)
	if before, after := strings.LastIndex(out[:i], "\n22:30 plan"), strings.Index(out[i:], "\n22:45 plan"); before < 0 || after < 0 {
		t.Errorf("the notice is not between the 22:30 and 22:45 plans:\n%s", out)
	}
	if !strings.Contains(out[i:], "△ expect an overload: window over; released at the 4 h hand-back limit") {
		t.Errorf("no forced release after the notice:\n%s", out)
	}
}

// TestDRScreensReleaseNotice: the page of a hand-back on the demo day at
// 22:30, when the notice of its forced release at 23:00 is given
// (docs/img/dr-release.png with -shots).
func TestDRScreensReleaseNotice(t *testing.T) {
	d := newDRDesk(t, 16*time.Hour+50*time.Minute, tui.RoleDispatcher)
	day := d.sim.Now().Truncate(24 * time.Hour).Add(-8 * time.Hour)
	id := confirmCap(t, d.ctl, "F10", day.Add(17*time.Hour), day.Add(19*time.Hour), 1400)
	d.step(day.Add(22*time.Hour + 30*time.Minute).Sub(d.sim.Now()))
	d.keys(runes("5"), enter)
	d.shot("dr-release", "▲ RELEASE 23:00", "△ handing back since 19:00", "▲ "+id+": chargers will be released at 23:00 (in 30 min), though charging would take F10 to",
		"  call the network control room, or x to extend the hand-back", "x extend the hand-back")
}

// confirmCap has ana propose an import cap of kw on scope from start to
// end, preview it and confirm it (a second time, as a large dispatch
// needs), and returns the event's id.
func confirmCap(t *testing.T, ctl *control.Controller, scope string, start, end time.Time, kw float64) string {
	t.Helper()
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := ctl.Propose(feeds.EventFrame{Kind: feeds.EventImportCap, Scope: scope, Start: start, End: end, KW: kw},
		control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ctl.Preview(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Confirm(context.Background(), id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	return id
}
