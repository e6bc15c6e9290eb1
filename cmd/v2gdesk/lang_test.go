package main

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// sharedDeskPair is two operators at one desk on the demo day, as serve
// runs them: ana reads Chinese, omar English; they share the simulation,
// the alarm list and the dispatch controller. What one does is announced
// to the other the way the SSH frame does it, through the other's
// Model.Tell; simulated time moves only when the test steps it, and
// commands run synchronously, so nothing waits on the wall clock.
type sharedDeskPair struct {
	t *testing.T
	drStack
	zh, en *deskSide
}

// deskSide is one operator's dashboard and the notices shown to them.
type deskSide struct {
	p    *sharedDeskPair
	name string
	m    *tui.Model
	told []string // other operators' actions, as this session words them
}

func newSharedDeskPair(t *testing.T, at time.Duration) *sharedDeskPair {
	t.Helper()
	st := newDRStack(t, at)
	s, g, ctl := st.sim, st.guard, st.ctl
	p := &sharedDeskPair{t: t, drStack: st}
	alarms := alarm.NewEngine(alarm.Options{})
	online := func() []string { return []string{"ana (dispatcher)", "omar (dispatcher)"} }
	side := func(name, lang string) *deskSide {
		d := &deskSide{p: p, name: name}
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.Ascii)
		d.m = tui.New(tui.Options{Mode: feeds.ModeSimulation, Control: s, Alarms: alarms, Operator: name,
			Role: tui.RoleDispatcher, Lang: lang, Renderer: r, Dispatch: ctl, Plan: ctl, Setpoints: g, Online: online,
			Now: func() time.Time { return s.Now() },
			Act: func(_ string, a tui.Announcement, _ map[string]any) error {
				p.tell(d, a)
				return nil
			},
			Announce: func(a tui.Announcement) { p.tell(d, a) },
		})
		return d
	}
	p.zh, p.en = side("ana", "zh-CN"), side("omar", "en")
	for _, d := range []*deskSide{p.zh, p.en} {
		d.do(tea.WindowSizeMsg{Width: 160, Height: 45})
	}
	p.step(20 * time.Minute)
	return p
}

// tell shows what by did to the other operator, as serve's frame does.
func (p *sharedDeskPair) tell(by *deskSide, a tui.Announcement) {
	other := p.zh
	if by == p.zh {
		other = p.en
	}
	s, ok := other.m.Tell(by.name, a)
	if !ok {
		p.t.Errorf("%s's dashboard could not word %s's %s", other.name, by.name, a.Kind)
		return
	}
	other.told = append(other.told, s)
}

// step moves simulated time on minute by minute, as the desk's ticker would.
func (p *sharedDeskPair) step(dur time.Duration) {
	p.stepMinutes(dur)
	snap := p.fleet.Snapshot()
	for _, d := range []*deskSide{p.zh, p.en} {
		d.do(tui.SnapshotMsg{Snapshot: snap})
	}
}

// do hands msg to the model and runs the commands it returns (drive).
func (d *deskSide) do(msg tea.Msg) { drive(d.m, msg) }

func (d *deskSide) keys(ks ...tea.KeyMsg) {
	for _, k := range ks {
		d.do(k)
	}
}

// lines are what the operator sees: the screen, and the notices of the
// others' actions the frame draws over its bottom line.
func (d *deskSide) lines() []string {
	return append(strings.Split(ansi.Strip(d.m.View()), "\n"), d.told...)
}

// englishWord is a word of two letters or more; the words a Chinese
// screen may show in Latin letters are in allowedLatin.
var englishWord = regexp.MustCompile(`[A-Za-z][A-Za-z'’]+`)

// allowedLatin are the Latin-letter words a Chinese screen may show: units,
// names (of the product, the operators, the site and its feeders, the time
// zone), key names, the key help's letters and the tariff's abbreviations.
var allowedLatin = map[string]bool{
	"kW": true, "MW": true, "kWh": true, "MWh": true, "V2G": true, "v2gdesk": true, "CST": true,
	"ana": true, "omar": true, "esc": true, "RFC": true, "enter": true, "tab": true, "space": true,
	"HH": true, "MM": true, "SS": true, "DR": true, "EV": true, "EVs": true, "SoC": true, "fr": true, "min": true,
	"Asia": true, "Shanghai": true, "UTC": true, "pgup": true, "pgdn": true, "shift": true, "ctrl": true,
}

// untranslated returns the English words in line that are neither ids
// (a word in a token with a digit or a hyphen: OP-1, F07, CP-0049), nor
// allowed; names gives further words (the site's and the feeders' names).
func untranslated(line string, names map[string]bool) []string {
	var out []string
	for _, tok := range strings.FieldsFunc(line, func(r rune) bool {
		return r == ' ' || r == '·' || r == '(' || r == ')' || r == ',' || r == ':' || r == '[' || r == ']' || r == '│' || r == '|' || r == '"'
	}) {
		if strings.ContainsAny(tok, "0123456789-_/") {
			continue // an id, a figure with its unit, a key like j/k
		}
		for _, w := range englishWord.FindAllString(tok, -1) {
			if !allowedLatin[w] && !names[w] {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestChineseSessionReadsChinese drives the flows an operator of a Chinese
// control room goes through, in a zh-CN session beside an English one: an
// alarm acknowledged, the clock paused and resumed, a DR event proposed,
// confirmed, re-planned at a new slot and cancelled, and the other
// operator's actions arriving. Every line the Chinese session shows must
// be Chinese but for ids, figures, units and names; the English session
// gets the same actions in English.
func TestChineseSessionReadsChinese(t *testing.T) {
	p := newSharedDeskPair(t, 18*time.Hour+30*time.Minute)
	snap := p.fleet.Snapshot()
	names := map[string]bool{}
	for _, f := range snap.Feeders {
		for _, w := range englishWord.FindAllString(f.Name, -1) {
			names[w] = true
		}
	}
	for _, w := range englishWord.FindAllString(snap.Site, -1) {
		names[w] = true
	}
	var seen int
	// check reads the Chinese screen at 160x45 and at 80x24 (CJK is two
	// cells wide: a line that fits in English may not).
	check := func(step string) {
		t.Helper()
		for _, size := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 160, Height: 45}} {
			p.zh.do(size)
			for _, l := range p.zh.lines() {
				if bad := untranslated(l, names); len(bad) > 0 {
					t.Errorf("%s, %dx%d: zh-CN line has English %q:\n%s", step, size.Width, size.Height, bad, l)
				}
				if w := ansi.StringWidth(l); w > size.Width && !slices.Contains(p.zh.told, l) {
					t.Errorf("%s: zh-CN line %d cells wide on a %d-column screen:\n%s", step, w, size.Width, l)
				}
				seen++
			}
		}
	}
	zh, en := p.zh, p.en
	check("overview")

	// ana pauses and resumes the shared simulation; omar pauses it too.
	zh.keys(runes(" "))
	check("paused")
	zh.keys(runes(" "))
	en.keys(runes(" "))
	en.keys(runes(" "))
	check("omar paused and resumed")
	if want := []string{"omar 暂停了仿真", "omar 继续了仿真"}; !containsAll(zh.told, want) {
		t.Errorf("ana was told %q, want %q", zh.told, want)
	}
	if want := []string{"ana paused the simulation", "ana resumed the simulation"}; !containsAll(en.told, want) {
		t.Errorf("omar was told %q, want %q", en.told, want)
	}

	// The clock's refusals: a :seek the desk cannot read, backwards on
	// the simulator, past the end of its day. The simulation stays where
	// it was; omar reads each refusal in English.
	for _, tc := range []struct{ arg, zh, en string }{
		{"25:99", `跳转 "25:99"：应为 HH:MM`, `seek "25:99": want HH:MM, HH:MM:SS or an RFC 3339 time`},
		{"18:00", "跳转 18:00: 仿真不能向后跳转：当前为 " + hhmmAt(p.sim.Now()), "seek 18:00: the simulator cannot seek backwards: it is at " + hhmmAt(p.sim.Now())},
		{p.sim.End().Add(time.Hour).Format(time.RFC3339), "仿真日于 ", "the simulated day ends at "},
	} {
		for _, d := range []*deskSide{zh, en} {
			d.keys(runes(":"))
			d.do(runes("seek " + tc.arg))
			d.keys(enter)
		}
		check(":seek " + tc.arg)
		if !anyContains(zh.lines(), tc.zh) {
			t.Errorf(":seek %s: ana's screen lacks %q:\n%s", tc.arg, tc.zh, strings.Join(zh.lines(), "\n"))
		}
		if !anyContains(en.lines(), tc.en) {
			t.Errorf(":seek %s: omar's screen lacks %q:\n%s", tc.arg, tc.en, strings.Join(en.lines(), "\n"))
		}
	}
	// A refused seek is not told to the others as done (nor journalled).
	if anyContains(zh.told, "将仿真跳转到") || anyContains(en.told, "moved the simulation") {
		t.Errorf("refused seeks were announced: ana was told %q, omar %q", zh.told, en.told)
	}

	// ana proposes a cap on F10 from the form and confirms it.
	zh.keys(runes("5"), runes("n"))
	for range 10 { // scope: system → F10
		zh.keys(tea.KeyMsg{Type: tea.KeyRight})
	}
	zh.keys(tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyTab})
	for range 6 {
		zh.keys(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	zh.keys(runes("1500"), tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyTab})
	for range 5 {
		zh.keys(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	zh.keys(runes("19:30"))
	check("form")
	zh.keys(enter)
	check("preview")
	zh.keys(enter)
	if v, _ := p.ctl.Event("OP-1"); v.State != control.StateActive {
		t.Fatalf("OP-1 after enter: %s (%s)", v.State, v.Err)
	}
	check("confirmed")
	// omar proposes DR-9 on F10 too; ana opens it and confirms: refused,
	// and she reads which event holds F10, who confirmed it and when.
	if _, err := p.ctl.Propose(feeds.EventFrame{ID: "DR-9", Kind: feeds.EventImportCap, Scope: "F10",
		Start: p.sim.Now(), End: p.sim.Now().Add(30 * time.Minute), KW: 1400}, control.OriginOperator, control.Actor{Name: "omar", Dispatcher: true}); err != nil {
		t.Fatal(err)
	}
	p.step(0) // the desks' next snapshot lists it
	zh.keys(runes("5"), runes("/"))
	zh.do(runes("DR-9"))
	zh.keys(enter, enter, enter)
	check("conflict")
	if v, _ := p.ctl.Event("DR-9"); v.State != control.StatePending {
		t.Errorf("DR-9 confirmed over OP-1: %s", v.State)
	}
	// Whole at 80 columns too: check leaves the screen at 160x45.
	p.zh.do(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !anyContains(zh.lines(), "与生效中的 OP-1 (受电上限 F10) 冲突: 由 ana 于 18:30:00 确认") {
		t.Errorf("the refusal does not say which event holds F10:\n%s", strings.Join(zh.lines(), "\n"))
	}
	p.zh.do(tea.WindowSizeMsg{Width: 160, Height: 45})
	zh.keys(runes("c"))
	if v, _ := p.ctl.Event("DR-9"); v.State != control.StateDeclined {
		t.Fatalf("DR-9 after c: %s", v.State)
	}
	// Back to OP-1's page: out of DR-9's, the filter cleared.
	esc := tea.KeyMsg{Type: tea.KeyEsc}
	zh.keys(esc, esc, esc, runes("5"), runes("g"), enter)
	// The desk re-plans at every new slot: the reason is worded.
	p.step(40 * time.Minute)
	if v, _ := p.ctl.Event("OP-1"); v.LastWhy.Kind != control.WhyNewSlot && v.LastWhy.Kind != control.WhyDrift && v.LastWhy.Kind != control.WhyOverCap {
		t.Errorf("OP-1's last plan: %s, want a re-plan", v.LastReason)
	}
	check("progress")
	if !anyContains(zh.lines(), "第 ") || !anyContains(zh.lines(), "新时段") && !anyContains(zh.lines(), "偏离计划") {
		t.Errorf("the progress page does not word the plan's reason:\n%s", strings.Join(zh.lines(), "\n"))
	}
	// q while OP-1 is steered asks first.
	zh.keys(runes("q"))
	check("quit prompt")
	// Its window ends at 19:30: the chargers are handed back, or
	// released, and the page says why.
	p.step(25 * time.Minute)
	v, _ := p.ctl.Event("OP-1")
	check("window over")
	if v.State == control.StateActive {
		zh.keys(runes("c"), runes("c"))
		if v, _ := p.ctl.Event("OP-1"); v.State != control.StateCancelled {
			t.Fatalf("OP-1 after c c: %s", v.State)
		}
		check("cancelled")
	}
	for _, w := range []string{"ana proposed OP-1 (import cap F10 ≤ 1,500 kW", "ana confirmed and sent OP-1 ("} {
		if !anyHasPrefix(en.told, w) {
			t.Errorf("omar was not told %q: %q", w, en.told)
		}
	}

	// omar proposes an event on F03, and declines it; ana is told in
	// Chinese and reads its page.
	if _, err := p.ctl.Propose(feeds.EventFrame{ID: "DR-17", Kind: feeds.EventImportCap, Scope: "F03",
		Start: p.sim.Now(), End: p.sim.Now().Add(time.Hour), KW: 2000}, control.OriginOperator, control.Actor{Name: "omar", Dispatcher: true}); err != nil {
		t.Fatal(err)
	}
	p.step(time.Minute)
	en.keys(runes("5"))
	en.keys(runes("/"))
	en.do(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("DR-17")})
	en.keys(enter, enter, runes("c"))
	if v, _ := p.ctl.Event("DR-17"); v.State != control.StateDeclined {
		t.Fatalf("DR-17 after omar's c: %s", v.State)
	}
	p.step(time.Minute)
	if !anyHasPrefix(zh.told, "omar 拒绝 DR-17 (受电上限 F03 ≤ 2,000 kW") {
		t.Errorf("ana was not told of omar's decline in Chinese: %q", zh.told)
	}
	zh.keys(runes("5"))
	check("events list")
	zh.keys(runes("/"))
	zh.do(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("DR-17")})
	zh.keys(enter, enter)
	check("declined event")
	if !anyContains(zh.lines(), "在控制台拒绝") {
		t.Errorf("DR-17's page does not word why it was declined:\n%s", strings.Join(zh.lines(), "\n"))
	}
	// At 23:15 every EV charges at the valley tariff and F10 is over its
	// limit: omar acknowledges the alarm, then ana another.
	p.step(23*time.Hour + 15*time.Minute - p.sim.Now().Sub(p.sim.Now().Truncate(24*time.Hour).Add(-8*time.Hour)))
	zh.keys(runes("4"))
	check("alarms")
	en.keys(runes("4"), runes("a"))
	if !anyHasPrefix(zh.told, "omar 已确认 ") {
		t.Errorf("ana was not told of omar's acknowledgement in Chinese: %q", zh.told)
	}
	// omar's acknowledged F10 sorts under the unacknowledged, where the
	// list's cursor followed it; ana takes the one above.
	zh.keys(runes("k"), runes("a"))
	check("alarm acknowledged")
	if !anyHasPrefix(en.told, "ana acknowledged ") {
		t.Errorf("omar was not told of ana's acknowledgement in English: %q", en.told)
	}
	if seen < 100 {
		t.Fatalf("checked only %d lines", seen)
	}
}

// hhmmAt is t on the demo site's clock (Asia/Shanghai), as the desk shows it.
func hhmmAt(t time.Time) string {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return t.In(loc).Format("15:04")
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func anyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func anyHasPrefix(lines []string, s string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, s) {
			return true
		}
	}
	return false
}

// TestUntranslated keeps the check honest: it finds English and lets ids,
// figures, units and names through.
func TestUntranslated(t *testing.T) {
	names := map[string]bool{"Depot": true}
	for _, tc := range []struct {
		line string
		want string
	}{
		{"计划 OP-1 · F10 · Depot 1,500 kW 18:30–21:00", ""},
		{"ana 确认并下发 OP-1 (受电上限 F10 ≤ 1,500 kW 18:30–21:00)", ""},
		{"plan 2 (new slot 18:45) at 18:45", "plan new slot at"},
		{"△ 已确认 · window over", "window over"},
		{"enter 确认 · esc 取消 · j/k 滚动", ""},
	} {
		if got := strings.Join(untranslated(tc.line, names), " "); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.line, got, tc.want)
		}
	}
}
