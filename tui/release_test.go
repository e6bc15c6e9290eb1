package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// handBackDesk is the controller with DR-17's view replaced by one the
// test sets: handing back, with or without the notice of its forced
// release. The controller's own hand-back and notice run on the fleet's
// clock and are tested in package control; this is what the desk makes
// of them. Extend pushes the release 4 h, as the controller does.
type handBackDesk struct {
	*control.Controller
	mu      sync.Mutex
	view    control.EventView
	changed chan struct{}
	extends []string // "id by d"
	err     error
}

func (d *handBackDesk) Events() []control.EventView {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone([]control.EventView{d.view})
}

func (d *handBackDesk) Changes() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.changed
}

func (d *handBackDesk) Extend(id string, by control.Actor, dur time.Duration, _ string) (time.Time, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.extends = append(d.extends, fmt.Sprintf("%s by %s %s", id, by.Name, dur))
	if d.err != nil {
		return time.Time{}, d.err
	}
	d.view.ReleaseAt = d.view.ReleaseAt.Add(4 * time.Hour)
	d.view.ReleaseNoticeSince = time.Time{}
	d.view.Extended += 4 * time.Hour
	d.view.ExtendedBy = by.Name
	return d.view.ReleaseAt, nil
}

// set changes DR-17's view; the model reads it at its next refresh.
func (d *handBackDesk) set(f func(v *control.EventView)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&d.view)
}

// newHandBackDesk is the dashboard (lang, role, w x h) on the demo fixture
// with DR-17 handing back since 15:12, to be released at 19:00, 18 minutes
// after the fixture's 18:42, its charging taking F07 to 4,218 kW on a
// 3,800 kW limit; with notice of that release when notice is set.
func newHandBackDesk(t *testing.T, lang, role string, w, h int, notice bool) (*Model, *handBackDesk, *[]Announcement) {
	t.Helper()
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
		t.Fatal(err)
	}
	v, ok := ctl.Event("DR-17")
	if !ok {
		t.Fatal("no DR-17")
	}
	at := fx.snap.At
	v.State, v.DecidedBy, v.Decided = control.StateActive, "ana", at.Add(-4*time.Hour)
	v.HandBackSince = at.Add(-210 * time.Minute)
	v.HandBack = control.HandBack{Scope: "F07", PeakKW: 4218, PeakAt: at.Add(18 * time.Minute), LimitKW: 3800}
	v.ReleaseAt = at.Add(18 * time.Minute)
	if notice {
		v.ReleaseNoticeSince = at.Add(-12 * time.Minute)
	}
	d := &handBackDesk{Controller: ctl, view: v, changed: make(chan struct{})}
	var told []Announcement
	opts, _ := testOptions(fx, lang)
	opts.Role, opts.Dispatch = role, d
	opts.Announce = func(a Announcement) { told = append(told, a) }
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	m.Update(drChangedMsg{})
	return m, d, &told
}

// TestReleaseNoticeToldOnce: the controller's notice of a forced release
// is told once in the footer, where it stays until a key; the event's
// page, the events list and the overview say it with its figures for as
// long as it holds; a notice for the time an extension moved it to is
// told again.
func TestReleaseNoticeToldOnce(t *testing.T) {
	m, d, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
	screen := func() string { return ansi.Strip(m.View()) }
	runKeys(m, "5E")
	if s := screen(); !strings.Contains(s, "chargers will be released at 19:00 at the latest, whatever their charging then does") ||
		!strings.Contains(s, "x extend the hand-back") || strings.Contains(s, "call the network control room") {
		t.Fatalf("DR-17's page before the notice:\n%s", s)
	}
	if foot := lastLine(screen()); !strings.Contains(foot, "x extend the hand-back") {
		t.Errorf("the footer does not offer x: %q", foot)
	}
	if m.flash != "" {
		t.Errorf("flash %q before any notice", m.flash)
	}

	d.set(func(v *control.EventView) { v.ReleaseNoticeSince = v.ReleaseAt.Add(-30 * time.Minute) })
	m.Update(drChangedMsg{})
	const notice = "DR-17: chargers will be released at 19:00 (in 18 min), though charging would take F07 to 4,218 kW (111%) at 19:00 (limit 3,800 kW)"
	if foot := lastLine(screen()); !strings.Contains(foot, "△ "+notice) {
		t.Fatalf("footer after the notice: %q, want %q", foot, notice)
	}
	if s := screen(); !strings.Contains(s, "▲ "+notice+" ") || !strings.Contains(s, "  call the network control room, or x to extend the hand-back") {
		t.Errorf("DR-17's page does not give the notice:\n%s", s)
	}
	// The hand-back line above the notice no longer repeats its figures.
	// (The footer, the screen's last line, tells the notice too.)
	if s := screen(); strings.Count(s[:strings.LastIndex(s, "\n")], "4,218 kW") != 1 || !strings.Contains(s, "△ handing back since 15:12 ") {
		t.Errorf("DR-17's page gives the release's figures more than once, or not under \"handing back since 15:12\":\n%s", s)
	}
	// It holds until a key, whatever the wall clock says.
	m.opts.Now = func() time.Time { return wallNow().Add(time.Hour) }
	if foot := lastLine(screen()); !strings.Contains(foot, notice) {
		t.Errorf("the notice went by itself: %q", foot)
	}
	runKeys(m, "5")
	if s := screen(); !strings.Contains(s, "▲ RELEASE 19:00") || !strings.Contains(s, "▲ "+notice) {
		t.Errorf("the events list does not say the release:\n%s", s)
	}
	if foot := lastLine(screen()); strings.Contains(foot, "released at 19:00") {
		t.Errorf("the notice stayed in the footer after a key: %q", foot)
	}
	runKeys(m, "1")
	if s := screen(); !strings.Contains(s, "▲ "+notice) {
		t.Errorf("the overview does not say the release:\n%s", s)
	}
	// Told once: later changes of the event do not tell it again.
	for range 3 {
		m.Update(drChangedMsg{})
	}
	if m.flashKind == flashNotice || strings.Contains(m.flash, "released at 19:00") {
		t.Errorf("the notice was told again: %q", m.flash)
	}

	// x on the page extends; the other desks are told.
	runKeys(m, "5Ex")
	if got := strings.Join(d.extends, ","); got != "DR-17 by ana 0s" {
		t.Fatalf("extensions asked: %q, want DR-17 by ana, the default length", got)
	}
	if !strings.Contains(m.flash, "extended DR-17's hand-back: chargers will be released at 23:00 at the latest") {
		t.Errorf("flash after x: %q", m.flash)
	}
	m.Update(drChangedMsg{})
	if s := screen(); !strings.Contains(s, "chargers will be released at 23:00 at the latest, whatever their charging then does · hand-back extended by 4 h (ana)") {
		t.Errorf("DR-17's page after the extension:\n%s", s)
	}
	// The notice for the new time is news again.
	d.set(func(v *control.EventView) { v.ReleaseNoticeSince = v.ReleaseAt.Add(-30 * time.Minute) })
	m.Update(drChangedMsg{})
	if m.flashKind != flashNotice || !strings.Contains(m.flash, "DR-17: chargers will be released at 23:00") {
		t.Errorf("the notice for 23:00 was not told: %q", m.flash)
	}
}

// TestExtendAnnouncedAndRefused: the extension is announced to the other
// desks and worded in each one's language; a viewer's x and one after the
// source ended are refused before anything is asked, and the controller's
// refusal is shown.
func TestExtendAnnouncedAndRefused(t *testing.T) {
	m, d, told := newHandBackDesk(t, "", RoleDispatcher, 160, 45, true)
	runKeys(m, "5Ex")
	if len(*told) != 1 || (*told)[0].Kind != TellExtended || (*told)[0].English != "extended DR-17's hand-back: chargers will be released at 23:00 at the latest" {
		t.Fatalf("told %+v, want one TellExtended", *told)
	}
	// A chosen length, from the command palette on the page.
	runKeys(m, ":extend 90mE")
	if got := strings.Join(d.extends, ","); got != "DR-17 by ana 0s,DR-17 by ana 1h30m0s" {
		t.Errorf("extensions asked: %q, want the default then 90 minutes", got)
	}
	runKeys(m, ":extend soonE")
	if !strings.Contains(m.flash, `bad length "soon": want e.g. 2h or 90m`) || len(d.extends) != 2 {
		t.Errorf(":extend soon: flash %q, %d extensions asked", m.flash, len(d.extends))
	}
	// Back to 19:00: the fake's 4 h a time took the release past the
	// scenario day, where x is not offered (TestExtendNotOfferedPastTheDay).
	d.set(func(v *control.EventView) { v.ReleaseAt = m.snap.At.Add(18 * time.Minute) })
	m.Update(drChangedMsg{})
	runKeys(m, "?")
	if s := ansi.Strip(m.View()); !strings.Contains(s, "x") || !strings.Contains(s, "extend the hand-back") || !strings.Contains(s, "extend 2h") {
		t.Errorf("help does not list x and :extend:\n%s", s)
	}
	runKeys(m, "?")
	zh, _, _ := newHandBackDesk(t, "zh-CN", RoleDispatcher, 160, 45, false)
	if s, ok := zh.Tell("ana", (*told)[0]); !ok || s != "ana 已延长 DR-17 的逐步交还: 充电桩最迟于 23:00 释放" {
		t.Errorf("a Chinese desk reads %q", s)
	}

	d.set(func(v *control.EventView) {})
	d.err = fmt.Errorf("extend %q: %w: it is ended", "DR-17", control.ErrState)
	runKeys(m, "x")
	if !strings.Contains(m.flash, "not possible in the event's state: it is ended") {
		t.Errorf("the controller's refusal shows as %q", m.flash)
	}

	v, vd, _ := newHandBackDesk(t, "", RoleViewer, 160, 45, true)
	runKeys(v, "5Ex")
	if !strings.Contains(v.flash, "viewers cannot do that") || len(vd.extends) != 0 {
		t.Errorf("a viewer's x: flash %q, %d extensions asked", v.flash, len(vd.extends))
	}
	if foot := lastLine(ansi.Strip(v.View())); strings.Contains(foot, "x extend") {
		t.Errorf("a viewer's footer offers x: %q", foot)
	}

	e, ed, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, true)
	ended := *e.latest
	ended.Stats.Ended, ended.Stats.EndedAt = true, ended.At
	e.Update(SnapshotMsg{Snapshot: &ended})
	runKeys(e, "5Ex")
	if !strings.Contains(e.flash, "the scenario has ended: nothing more can be dispatched") || len(ed.extends) != 0 {
		t.Errorf("x after the source ended: flash %q, %d extensions asked", e.flash, len(ed.extends))
	}
}

// TestReleaseNoticeInChinese: a Chinese desk says the notice, the page's
// lines and the key in Chinese, with no English sentence, at 160x45 and
// 80x24.
func TestReleaseNoticeInChinese(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		m, _, _ := newHandBackDesk(t, "zh-CN", RoleDispatcher, size[0], size[1], true)
		foot := lastLine(ansi.Strip(m.View()))
		want := "DR-17: 充电桩将于 19:00 (18 分钟后) 释放, 但充电将使 F07 升至 4,218 kW (111%)"
		if size[0] == 80 {
			want = "DR-17: 充电桩将于 19:00 释放 · F07 升至 4,218 kW (111%, 上限 3,800 kW)"
		}
		if !strings.Contains(foot, want) {
			t.Errorf("%dx%d: footer %q", size[0], size[1], foot)
		}
		var screens []string
		for _, script := range []string{"1", "5", "5E"} {
			runKeys(m, "XX"+script)
			screens = append(screens, ansi.Strip(m.View()))
		}
		all := strings.Join(screens, "\n")
		for _, want := range []string{"▲ 19:00 释放", "请联系电网调度, 或按 x 延长交还", "充电桩将于 19:00"} {
			if size[0] == 160 && !strings.Contains(all, want) {
				t.Errorf("%dx%d: no %q on the Chinese desk:\n%s", size[0], size[1], want, all)
			}
		}
		for _, english := range []string{"chargers released", "will be released", "extend the hand-back", "though", "RELEASE", "at the latest", "in 18 min"} {
			if strings.Contains(all, english) {
				t.Errorf("%dx%d: the Chinese desk shows %q:\n%s", size[0], size[1], english, all)
			}
		}
	}
}

var _ Dispatcher = (*handBackDesk)(nil)

// TestReleaseNoticeNarrow: at 80 columns the notice keeps its figures,
// in the footer, the overview and the events list, dropping words.
func TestReleaseNoticeNarrow(t *testing.T) {
	m, _, _ := newHandBackDesk(t, "", RoleDispatcher, 80, 24, true)
	const short = "DR-17: chargers released at 19:00 · F07 to 4,218 kW (111%, limit 3,800 kW)"
	if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, "△ "+short) {
		t.Errorf("footer at 80 columns: %q, want %q", foot, short)
	}
	for _, script := range []string{"1", "5"} {
		runKeys(m, "XX"+script)
		if s := ansi.Strip(m.View()); !strings.Contains(s, "▲ "+short) {
			t.Errorf("after %q at 80 columns, no %q:\n%s", script, short, s)
		}
	}
	runKeys(m, "XX5")
	if s := ansi.Strip(m.View()); !strings.Contains(s, "▲ RELEASE 19:00") {
		t.Errorf("the events list at 80 columns loses the release time:\n%s", s)
	}
}

// TestHandBackPageNamesTheWindowsCap: after the window the event's page
// held the chargers to F07's own limit (3,800 kW, which its progress line
// gives) while the chart's legend still read "cap 3,600 kW": it says the
// cap is the window's, in English and in Chinese.
func TestHandBackPageNamesTheWindowsCap(t *testing.T) {
	for _, tc := range []struct{ lang, want, not string }{
		{"", "┄ window's cap ", "┄ cap "},
		{"zh-CN", "┄ 时段上限 ", "┄ 上限 "},
	} {
		m, _, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 160, 45, false)
		runKeys(m, "5E")
		s := ansi.Strip(m.View())
		if !strings.Contains(s, tc.want) || strings.Contains(s, tc.not) {
			t.Errorf("%q: DR-17's page while handing back, want %q and no %q:\n%s", tc.lang, tc.want, tc.not, s)
		}
	}
}
