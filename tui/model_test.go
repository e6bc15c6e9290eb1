package tui

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestReadSnapshotCoalesces: one read takes everything queued and keeps
// the newest, and the next read waits a tick, so at most one snapshot per
// interval reaches the Model however fast the feed runs.
func TestReadSnapshotCoalesces(t *testing.T) {
	ch := make(chan *feeds.Snapshot, 8)
	for i := 1; i <= 5; i++ {
		ch <- &feeds.Snapshot{Seq: uint64(i)}
	}
	m := New(Options{Snapshots: ch, Renderer: asciiRenderer()})
	msg := m.readSnapshot()()
	got, ok := msg.(snapReadMsg)
	if !ok || !got.ok || got.snap.Seq != 5 {
		t.Fatalf("read %#v, want the newest (seq 5)", msg)
	}
	if len(ch) != 0 {
		t.Fatalf("%d snapshots left queued", len(ch))
	}
	_, cmd := m.Update(got)
	if cmd == nil {
		t.Fatal("no follow-up after a snapshot")
	}
	if _, isWait := cmd().(snapWaitMsg); !isWait {
		t.Fatal("the next read does not wait for the tick")
	}
	if m.latest.Seq != 5 || m.snap.Seq != 5 {
		t.Fatalf("model holds seq %d/%d", m.latest.Seq, m.snap.Seq)
	}
	close(ch)
	if r := m.readSnapshot()().(snapReadMsg); r.ok {
		t.Fatal("closed channel read as a snapshot")
	}
}

func TestViewerCannotAct(t *testing.T) {
	fx := demo(t)
	opts, ctl := testOptions(fx, "")
	opts.Role = RoleViewer
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	press(m, "4a")
	if a, _ := opts.Alarms.Board().Find("loading/F07"); a.State != alarm.StateUnack {
		t.Fatalf("a viewer acknowledged: %+v", a)
	}
	if !strings.Contains(m.View(), "viewers cannot do that") {
		t.Fatal("no explanation shown to the viewer")
	}
	press(m, " ")
	if ctl.Paused() {
		t.Fatal("a viewer paused the replay")
	}
	if strings.Contains(m.View(), "a ack") {
		t.Fatal("footer offers ack to a viewer")
	}
}

func TestSortAndFilterFeeders(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "2")
	p := m.page()
	ids := func() string {
		var s []string
		for _, i := range m.feederRows(p) {
			s = append(s, m.snap.Feeders[i].ID)
		}
		return strings.Join(s, " ")
	}
	if got := ids(); !strings.HasPrefix(got, "F01 F02 F03") {
		t.Fatalf("default order %s", got)
	}
	press(m, "s") // loading, descending
	if got := ids(); !strings.HasPrefix(got, "F07 F03 F11") {
		t.Fatalf("by loading %s", got)
	}
	press(m, "r")
	if got := ids(); !strings.HasPrefix(got, "F10 F04") {
		t.Fatalf("by loading ascending %s", got)
	}
	press(m, "/")
	for _, r := range "warn" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if got := ids(); got != "F03" {
		t.Fatalf("filter warn: %s", got)
	}
	press(m, "X")
	if p.filter != "" || len(m.feederRows(p)) != 12 {
		t.Fatalf("esc did not clear the filter: %q", p.filter)
	}
}

func TestChargerFilter(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	tests := []struct {
		filter string
		n      int
		first  string
	}{
		{"", 96, "CP-0001"},
		{"feeder:F07", 8, "CP-0049"},
		{"f:f07 s:dis", 2, "CP-0049"},
		{"state:unknown", 4, "CP-0023"},
		{"state:stale", 3, "CP-0031"},
		{"0005", 1, "CP-0005"},
		{"state:nonsense", 0, ""},
	}
	for _, tt := range tests {
		p := &page{view: viewChargers, filter: tt.filter}
		idx, n := m.chargerIndex(p, "")
		if n != tt.n {
			t.Errorf("%q: %d rows, want %d", tt.filter, n, tt.n)
			continue
		}
		if n > 0 {
			i := 0
			if idx != nil {
				i = idx[0]
			}
			if id := m.snap.ChargerAt(i).ID; id != tt.first {
				t.Errorf("%q: first %s, want %s", tt.filter, id, tt.first)
			}
		}
	}
}

func TestParseSeek(t *testing.T) {
	ref := time.Date(2026, 11, 26, 18, 42, 0, 0, shanghai)
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"18:30", time.Date(2026, 11, 26, 18, 30, 0, 0, shanghai), false},
		{"07:05:09", time.Date(2026, 11, 26, 7, 5, 9, 0, shanghai), false},
		{"2026-11-25T23:00:00+08:00", time.Date(2026, 11, 25, 23, 0, 0, 0, shanghai), false},
		{"25:00", time.Time{}, true},
		{"soon", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := parseSeek(tt.in, ref, shanghai)
		if (err != nil) != tt.err || (!tt.err && !got.Equal(tt.want)) {
			t.Errorf("parseSeek(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{thousands(0), "0"}, {thousands(999), "999"}, {thousands(1204), "1,204"},
		{thousands(-1234567), "-1,234,567"}, {thousands(-123), "-123"},
		{kw(4719.6), "4,720"}, {kw(math.NaN()), "—"}, {mw(3800), "3.8 MW"}, {pct(117.6), "117%"}, {pct(89.96), "89%"},
		{bar(0.5, 4), "██  "}, {bar(1.7, 3), "███"}, {bar(0.0625, 2), "▏ "},
		{spark([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, 0, 0), "▁▂▃▄▅▆▇█"},
		{spark([]float64{1, math.NaN(), 3}, 3, 0, 3), "▃ █"},
		{fit("馈线负载", 5), "馈线…"}, {fit("馈线", 6), "馈线  "}, {fitR("kW", 4), "  kW"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestLayoutColumns(t *testing.T) {
	cols := []column{{title: "a", w: 10}, {title: "b", w: 10, drop: 2}, {title: "c", w: 10, flex: true}, {title: "d", w: 10, drop: 1}}
	out, keep := layoutColumns(cols, 2+43+10)
	if len(out) != 4 || out[2].w != 20 {
		t.Fatalf("wide: %+v", out)
	}
	out, keep = layoutColumns(cols, 2+32)
	if len(out) != 3 || keep[1] != 2 || keep[2] != 3 {
		t.Fatalf("narrow drops b first: keep %v", keep)
	}
	_, keep = layoutColumns(cols, 2+21)
	if len(keep) != 2 || keep[0] != 0 || keep[1] != 2 {
		t.Fatalf("narrower drops d next: keep %v", keep)
	}
}

// TestDayChart: the limit sits on its row, minutes without data stay
// blank, and a plan is drawn apart from the measured curve.
func TestDayChart(t *testing.T) {
	st := newStyles(asciiRenderer())
	vals := make([]float64, 1440)
	for i := range vals {
		vals[i] = 500
		if i >= 720 {
			vals[i] = math.NaN()
		}
	}
	c := dayChart{series: []chartSeries{{vals: vals}}, limit: 1000, st: &st}
	lines := c.render(60, 12)
	if len(lines) != 12 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		if width(l) != 60 {
			t.Fatalf("line %d is %d wide", i, width(l))
		}
	}
	plot := strings.Join(lines[1:10], "\n")
	if !strings.Contains(plot, "┄") {
		t.Fatal("no limit line")
	}
	var curveRow string
	for _, l := range lines[1:10] {
		if strings.ContainsAny(l, "⣀⠤⠒⠉") {
			curveRow = l
		}
	}
	r := []rune(curveRow)
	braille := func(s []rune) int {
		n := 0
		for _, x := range s {
			if x >= 0x2800 && x <= 0x28ff {
				n++
			}
		}
		return n
	}
	// The y axis takes a few cells; the data covers the first half only.
	if left, right := braille(r[:len(r)/2]), braille(r[len(r)/2+3:]); left < 20 || right != 0 {
		t.Fatalf("curve cells left %d right %d in %q", left, right, curveRow)
	}
	if !strings.Contains(lines[len(lines)-1], "24") && !strings.Contains(lines[len(lines)-2], "24") {
		t.Fatal("no hour labels")
	}
}

// TestFastTyping: keys that arrive in one read ("3G", "/s:ch") act one by
// one, as typed.
func TestFastTyping(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3G")})
	if p := m.page(); p.view != viewChargers || p.cursor != 95 {
		t.Fatalf("after \"3G\": view %d cursor %d", p.view, p.cursor)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/s:fa")})
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if p := m.page(); p.filter != "s:fa" || m.rowCount(p) != 1 {
		t.Fatalf("after \"/s:fa\": filter %q rows %d", p.filter, m.rowCount(p))
	}
}

func TestHeaderModes(t *testing.T) {
	fx := demo(t)
	tests := []struct {
		name string
		mode feeds.Mode
		ctl  any
		want []string
	}{
		{"live, wall clock in the site's zone", feeds.ModeLive, nil, []string{"● LIVE  " + fixedNow.In(fx.snap.Location).Format("2006-01-02") + " 18:42:00", "feed ● up"}},
		{"replay paused", feeds.ModeReplay, &fakeControl{now: fixedNow.Add(-time.Hour), speed: 8, paused: true},
			[]string{"◆ REPLAY 8×  " + fixedNow.Add(-time.Hour).In(fx.snap.Location).Format("2006-01-02") + " 17:42:00 ❚❚ PAUSED"}},
		{"simulation without control shows the snapshot clock", feeds.ModeSimulation, struct{}{}, []string{"◆ SIMULATION  " + fixedNow.In(fx.snap.Location).Format("2006-01-02") + " 18:42:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _ := testOptions(fx, "")
			opts.Mode, opts.Control = tt.mode, tt.ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			// The fixture is a simulated day; here its hello says live.
			snap := *fx.snap
			snap.FeedMode = feeds.ModeLive
			m.Update(SnapshotMsg{Snapshot: &snap})
			h := m.headerLine()
			for _, w := range tt.want {
				if !strings.Contains(h, w) {
					t.Errorf("header lacks %q:\n%s", w, h)
				}
			}
			if width(h) != 160 {
				t.Errorf("header is %d cells", width(h))
			}
		})
	}
}

// TestSimulatedFeedOnLiveDesk: a desk opened on a websocket feed (told
// LIVE) whose hello says it is a simulation shows SIMULATION and the feed's
// data clock, the clock alarms, charts and the event form run on, not the
// wall clock hours away; a feed whose hello says live keeps LIVE and the
// wall clock.
func TestSimulatedFeedOnLiveDesk(t *testing.T) {
	fx := demo(t)
	dataAt := fixedNow.Add(-4*time.Hour - 12*time.Minute)
	loc := fx.snap.Location
	for _, tt := range []struct {
		feedMode feeds.Mode
		want     string
		not      string
	}{
		{feeds.ModeSimulation, "◆ SIMULATION  " + dataAt.In(loc).Format("2006-01-02 15:04:05"), "LIVE"},
		{feeds.ModeReplay, "◆ REPLAY  " + dataAt.In(loc).Format("2006-01-02 15:04:05"), "LIVE"},
		{feeds.ModeLive, "● LIVE  " + wallNow().In(loc).Format("2006-01-02 15:04:05"), "SIMULATION"},
		{"", "● LIVE  " + wallNow().In(loc).Format("2006-01-02 15:04:05"), "SIMULATION"},
	} {
		t.Run(string(tt.feedMode), func(t *testing.T) {
			opts, _ := testOptions(fx, "")
			opts.Mode, opts.Control = feeds.ModeLive, nil
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			snap := *fx.snap
			snap.At, snap.FeedMode = dataAt, tt.feedMode
			m.Update(SnapshotMsg{Snapshot: &snap})
			h := m.headerLine()
			if !strings.Contains(h, tt.want) || strings.Contains(h, tt.not) {
				t.Errorf("header %q: want %q, not %q", h, tt.want, tt.not)
			}
		})
	}
}

// TestFeedSpeedInHeader: a desk on a simulator's or a replay's --feed
// shows the speed the feed says its clock runs at (Snapshot.FeedSpeed,
// docs/protocol.md "Clock") beside the dated clock, as a desk running the
// simulation itself does: its header said "◆ SIMULATION  14:30:00", with
// neither. A feed that has not said (an older server) shows no speed, and
// a live one none whatever it says.
func TestFeedSpeedInHeader(t *testing.T) {
	fx := demo(t)
	dataAt := fixedNow.Add(-4*time.Hour - 12*time.Minute)
	day := dataAt.In(fx.snap.Location).Format("2006-01-02 15:04:05")
	for _, tt := range []struct {
		feedMode feeds.Mode
		speed    float64
		want     string
	}{
		{feeds.ModeSimulation, 120, "◆ SIMULATION 120×  " + day},
		{feeds.ModeReplay, 0.5, "◆ REPLAY 0.5×  " + day},
		{feeds.ModeSimulation, 0, "◆ SIMULATION  " + day},
		{feeds.ModeLive, 60, "● LIVE  " + wallNow().In(fx.snap.Location).Format("2006-01-02 15:04:05")},
	} {
		opts, _ := testOptions(fx, "")
		opts.Mode, opts.Control = feeds.ModeLive, nil
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		snap := *fx.snap
		snap.At, snap.FeedMode, snap.FeedSpeed = dataAt, tt.feedMode, tt.speed
		m.Update(SnapshotMsg{Snapshot: &snap})
		if h := m.headerLine(); !strings.Contains(h, tt.want) {
			t.Errorf("%s at %g: header %q, want %q", tt.feedMode, tt.speed, h, tt.want)
		}
	}
}

func TestWaitingForFeed(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Now: wallNow})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	got := m.View()
	checkScreen(t, got, 80, 24)
	if !strings.Contains(got, "waiting for the feed…") || !strings.Contains(got, "feed ○ no data") {
		t.Fatalf("before the first snapshot:\n%s", got)
	}
	press(m, "23?X4/xE:feeder F01E") // nothing to act on: no panic, still a full frame
	checkScreen(t, m.View(), 80, 24)
}

func TestCheckLang(t *testing.T) {
	for _, ok := range []string{"", "en", "zh-CN"} {
		if err := CheckLang(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"zh", "fr", "EN"} {
		if err := CheckLang(bad); !errors.Is(err, ErrUnknownLang) || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestHostileNames: control characters in names from the feed do not
// break the layout.
func TestHostileNames(t *testing.T) {
	fx := newFixture(t, 12, 8, false)
	fx.clock = fixedNow.Add(time.Second)
	fx.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR\n99", Kind: feeds.EventShed, Scope: "F01",
		Start: fixedNow, End: fixedNow.Add(time.Hour), KW: 10, Source: "line\nbreak\r\x07"})
	s := fx.fleet.Snapshot()
	found := false
	for _, e := range s.Events {
		found = found || e.ID == "DR\n99"
	}
	if !found {
		t.Skipf("the Fleet rejects control characters (%s): nothing hostile reaches the desk", s.Stats.LastReject)
	}
	opts, _ := testOptions(fx, "")
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m.Update(SnapshotMsg{Snapshot: s})
	m.setFlash("two\nlines", true)
	for _, script := range []string{"", "5", "5E"} {
		press(m, script)
		checkScreen(t, m.View(), 120, 30)
	}
}

func TestTrendText(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	for _, tt := range []struct {
		d    float64
		want string
	}{{2.04, "rising 2.0%/10 min"}, {-3.26, "falling 3.3%/10 min"}, {0.2, "steady"}, {math.NaN(), "trend unknown"}} {
		if got := m.trendText(tt.d); got != tt.want {
			t.Errorf("trendText(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestSessionsShareAlarms: two sessions on one engine (as over SSH) — an
// acknowledgement by one operator shows in the other's list, by name.
func TestSessionsShareAlarms(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	ana := New(opts)
	opts.Operator, opts.Lang = "bo", "zh-CN"
	bo := New(opts)
	for _, m := range []*Model{ana, bo} {
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		press(m, "4")
	}
	press(ana, "a") // F07, first in the list
	got := bo.View()
	shown := false
	for _, l := range strings.Split(got, "\n") {
		shown = shown || (strings.Contains(l, "F07") && strings.Contains(l, "已确认") && strings.Contains(l, "ana"))
	}
	if !shown {
		t.Fatalf("bo's list does not show ana's acknowledgement of F07:\n%s", got)
	}
	if a, _ := opts.Alarms.Board().Find("loading/F07"); a.AckedBy != "ana" {
		t.Fatalf("acked by %q", a.AckedBy)
	}
}

// TestDayChartExport: a curve that goes negative (V2G export) gets a y
// range below zero with a negative label, rather than being cut at zero.
func TestDayChartExport(t *testing.T) {
	st := newStyles(asciiRenderer())
	vals := make([]float64, 1440)
	for i := range vals {
		vals[i] = 800 * math.Sin(float64(i)/1440*2*math.Pi) // -800 .. 800 kW
	}
	lines := dayChart{series: []chartSeries{{vals: vals}}, limit: 1000, st: &st}.render(60, 14)
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "-500┤") && !strings.Contains(all, "-400┤") && !strings.Contains(all, "-800┤") {
		t.Fatalf("no negative label:\n%s", all)
	}
	// The lowest plot row holds part of the curve: the trough is drawn.
	bottom := lines[len(lines)-4]
	if !strings.ContainsAny(bottom, "⣀⡀⢀⠤⠒⠉⠁⠈⠑⠊⠔⠢⡠⢄") {
		t.Fatalf("trough not drawn on the bottom row %q:\n%s", bottom, all)
	}
}

// TestKeysFollowTheScreenNotTheLastFrame: which keys act depends on the
// screen the state is on, not on the last frame drawn. Keys typed faster
// than the screen redraws ("4" then "a", one message) must work: the ack
// applies on the alarms view even though the last frame was the overview,
// where a does nothing.
func TestKeysFollowTheScreenNotTheLastFrame(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	m.View() // the overview drawn, as the program would
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4a")})
	if a, _ := m.alarms.Board().Find("loading/F07"); a.State == alarm.StateUnack {
		t.Fatalf("\"4a\" typed in one go did not acknowledge the top alarm: %+v", a)
	}
}

// TestShelvedFeederIsNotOK: shelving a feeder's overload alarm silences
// it, not the overload: the feeder list shows it as shelved, in the alarm's
// colour, never as "✓ OK".
func TestShelvedFeederIsNotOK(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	if err := m.alarms.Shelve("loading/F07", "ana", "planned works", time.Hour); err != nil {
		t.Fatal(err)
	}
	m.Update(SnapshotMsg{Snapshot: m.latest})
	press(m, "2")
	var row string
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, "│ ▸ F07") || strings.Contains(l, "│   F07") {
			row = l
		}
	}
	if row == "" || strings.Contains(row, "OK") || !strings.Contains(row, "▲ SHELVED") {
		t.Fatalf("F07's row %q, want ▲ SHELVED and no OK", row)
	}
}

// TestAckTwiceActsOnEach: a, a acknowledges the alarm under the cursor and
// then the next one, which the cursor moved on to (the first sorts below the
// unacknowledged); a on the alarm just acknowledged says it is, and a on a
// shelved alarm says it is shelved, not "already acknowledged".
func TestAckTwiceActsOnEach(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	before := m.alarms.Board().Counts.Unack
	press(m, "4")
	first, _ := m.selectedAlarm(m.page())
	press(m, "aa")
	if n := m.alarms.Board().Counts.Unack; n != before-2 {
		t.Fatalf("aa acknowledged %d alarms, want 2", before-n)
	}
	m.followAlarm(first)
	press(m, "a")
	if !strings.Contains(m.View(), "already acknowledged") {
		t.Error("a on an acknowledged alarm did not say it was already acknowledged")
	}
	id, _ := m.selectedAlarm(m.page())
	if err := m.alarms.Shelve(id, "ana", "works", time.Hour); err != nil {
		t.Fatal(err)
	}
	m.followAlarm(id)
	press(m, "a")
	if !strings.Contains(m.View(), "a shelved alarm is not acknowledged: u unshelves it") {
		t.Errorf("a on a shelved alarm:\n%s", m.View())
	}
}

// TestShelveWithoutReasonKeepsThePrompt: enter on an empty reason used to
// close the prompt, so the reason typed next was read as keys (in the
// audit "maintenance" opened the DR form with n and proposed an event with
// enter). The prompt now stays open and says why.
func TestShelveWithoutReasonKeepsThePrompt(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "4xE")
	if m.input != inputShelve {
		t.Fatalf("after enter on an empty reason the prompt is %v, want the shelve prompt", m.input)
	}
	if v := m.View(); !strings.Contains(v, "shelving needs a reason · esc cancels") {
		t.Errorf("no reason given for keeping the prompt:\n%s", v)
	}
	press(m, "maintenance")
	if m.input != inputShelve || string(m.text) != "maintenance" {
		t.Fatalf("typing the reason: prompt %v text %q", m.input, string(m.text))
	}
	press(m, "E")
	if n := m.alarms.Board().Counts.Shelved; n != 1 {
		t.Errorf("%d alarms shelved, want 1", n)
	}
	if len(m.dr) != 0 || m.input != inputNone {
		t.Errorf("DR events %d, prompt %v: want none and closed", len(m.dr), m.input)
	}
}

// TestLongErrorShowsAt80: an error too long to sit beside the key help
// takes the footer line rather than vanish (it did at 80 columns); too
// long for the line, it takes a second, broken between words, so that its
// end is read: cut to one line it lost the remedy ("… ask for e…").
func TestLongErrorShowsAt80(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	const msg = `event "OP-2": invalid event: an import cap needs kw >= 0 (got -500); ask for export with a negative cap`
	m.setFlash(msg, true)
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	foot := lines[len(lines)-2:]
	for _, l := range foot {
		if width(l) != 80 {
			t.Errorf("footer line %q is %d wide, want 80", l, width(l))
		}
	}
	got := strings.Join(strings.Fields(strings.Join(foot, " ")), " ")
	if got != "✕ "+msg {
		t.Errorf("footer %q, want the whole error %q over two lines", foot, "✕ "+msg)
	}
	if !strings.HasPrefix(foot[0], " ✕ event") || !strings.HasPrefix(foot[1], "   ") {
		t.Errorf("footer %q: want the mark first and the rest under the text", foot)
	}
}

// TestHeaderKeepsFeedHealth: when the header is short of room (frozen at
// 80 columns, or 64 wide), the site's name goes before the feed's health.
func TestHeaderKeepsFeedHealth(t *testing.T) {
	for _, w := range []int{80, 64} {
		m, _, _ := newTestModel(t, "", w, 24)
		press(m, "f")
		head := strings.Split(m.View(), "\n")[0]
		if !strings.Contains(head, "● up") || !strings.Contains(head, "FROZEN") {
			t.Errorf("%d wide, frozen: header %q, want the feed's health and FROZEN", w, head)
		}
	}
}

// TestHelpScrolls: in a short terminal the help is taller than the screen;
// it says so and scrolls to its end (at 80x24 with the DR keys it was cut
// off at "Commands (:)").
func TestHelpScrolls(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 18)
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "j/k scroll") || strings.Contains(v, "Status is glyph and word") {
		t.Fatalf("first page of help:\n%s", v)
	}
	press(m, "G")
	if v := m.View(); !strings.Contains(v, "Status is glyph and word") || !strings.Contains(v, ":quit") {
		t.Fatalf("last page of help:\n%s", v)
	}
}

// TestSpeedLadder: > and < step through round speeds (halving from 1200
// gave 0.5859375x) and say so at either end.
func TestSpeedLadder(t *testing.T) {
	m, _, ctl := newTestModel(t, "", 160, 45)
	run := func(key string) {
		_, cmd := m.Update(keys(key)[0])
		if cmd != nil {
			m.Update(cmd())
		}
	}
	var got []string
	for range 12 {
		run("<")
		got = append(got, speedText(ctl.Speed()))
	}
	want := "30× 20× 10× 5× 2× 1× 0.5× 0.5× 0.5× 0.5× 0.5× 0.5×"
	if strings.Join(got, " ") != want {
		t.Errorf("< from 60×: %s, want %s", strings.Join(got, " "), want)
	}
	if !strings.Contains(m.View(), "speed 0.5×: already the slowest") {
		t.Error("no word at the slowest speed")
	}
	run(">")
	if ctl.Speed() != 1 {
		t.Errorf("> from 0.5×: %v", ctl.Speed())
	}
}

// TestChargerCommandTrail: :charger opens the charger under its own
// feeder, whatever was open (from F01 the trail named F01 for a charger
// on another feeder).
func TestChargerCommandTrail(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	var id, feeder string
	for i := 0; i < m.snap.NumChargers(); i++ {
		if c := m.snap.ChargerAt(i); c.Feeder != "F01" {
			id, feeder = c.ID, c.Feeder
			break
		}
	}
	press(m, "2")
	m.Update(tea.KeyMsg{Type: tea.KeyEnter}) // F01 (the list starts sorted by name)
	if got := m.crumbs(); !strings.Contains(got, "F01") {
		t.Fatalf("after enter on the feeder list: %q", got)
	}
	press(m, ":charger "+id)
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if got, want := m.crumbs(), "Feeders › "+feeder+" › "+id; got != want {
		t.Errorf("trail %q, want %q", got, want)
	}
}

// TestEmptyListOffersNoRowKeys: a list with no rows (here filtered empty)
// offers no key that acts on a row: a, x and enter did nothing there.
func TestEmptyListOffersNoRowKeys(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "4")
	if foot := lastLine(m.View()); !strings.Contains(foot, "a ack") || !strings.Contains(foot, "enter") {
		t.Fatalf("alarms with rows: footer %q", foot)
	}
	press(m, "/nothing-matches")
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if foot := lastLine(m.View()); strings.Contains(foot, "a ack") || strings.Contains(foot, "x shelve") || strings.Contains(foot, "enter") {
		t.Errorf("empty alarm list: footer %q offers row keys", foot)
	}
	// It says why it is empty, the filter; it said "✓ OK no alarms" with
	// seven standing.
	if v := m.View(); !strings.Contains(v, "none · filter nothing-matches") || strings.Contains(v, "no alarms") ||
		!strings.Contains(v, `no alarm matches the filter "nothing-matches" (esc clears it)`) {
		t.Errorf("the alarm list filtered to nothing:\n%s", v)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

// TestQuietFeedRateIsZero: a feed with no frame for a whole rate window
// (a paused replay publishes no new snapshot) reads 0 frames per second,
// not the rate from before the pause.
func TestQuietFeedRateIsZero(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	snap := *m.latest
	snap.Stats.FramesPerSec = 832
	snap.Stats.LastFrame = m.now().Add(-41 * time.Second)
	m.Update(SnapshotMsg{Snapshot: &snap})
	head := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(head, " 0 fr/s") || strings.Contains(head, "832") {
		t.Errorf("header %q, want 0 fr/s", head)
	}
}

// TestSortSkipsHiddenColumns: at 80 columns s cycles only through the
// columns shown; the third press sorted by flex kW, which is not.
func TestSortSkipsHiddenColumns(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	press(m, "2")
	for range 2 * numFeederSorts {
		press(m, "s")
		if p := m.page(); !m.sortShown(p, p.sortCol) {
			t.Fatalf("sorted by %d, a column the 80-column layout hides", feederSortCol[p.sortCol])
		}
	}
}

// TestChartLegendShortens: a legend too wide for its line loses its last
// items, not all of them (at 100x30 the overview lost even its import
// limit).
func TestChartLegendShortens(t *testing.T) {
	m, _, _ := newTestModel(t, "", 100, 30)
	v := m.View()
	if !strings.Contains(v, "measured") {
		t.Errorf("overview at 100x30 has no legend:\n%s", v)
	}
}

// TestShortChartHasAScale: a chart two rows high labels its top row with
// the top of the scale; with "0" alone the load line read as zero.
func TestShortChartHasAScale(t *testing.T) {
	m, _, _ := newTestModel(t, "", 64, 18)
	labelled := 0
	for _, l := range strings.Split(m.View(), "\n")[3:8] {
		if strings.Contains(l, "┤") {
			labelled++
		}
	}
	if labelled < 2 {
		t.Errorf("the overview chart at 64x18 has %d labelled rows, want 2:\n%s", labelled, m.View())
	}
}

// TestReturnedLoadingSaysWas: a returned loading alarm's value is from
// when it was active; the list says "was", not the feeder's loading now.
func TestReturnedLoadingSaysWas(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	a := alarm.Alarm{Kind: alarm.KindLoading, Source: "F10", Value: 115, Active: true}
	if got := m.alarmText(a); !strings.Contains(got, "F10 loading") || strings.Contains(got, "was") {
		t.Errorf("active: %q", got)
	}
	a.Active = false
	if got := m.alarmText(a); !strings.Contains(got, "F10 loading was") || !strings.Contains(got, "115%") {
		t.Errorf("returned: %q, want F10 loading was 115%%", got)
	}
}

// TestSortArrowFits: every sort order's column heading shows its arrow,
// in both layouts and languages; "load kW ▼" was cut to "load kW…",
// hiding which way the rows go.
func TestSortArrowFits(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, sz.w, sz.h)
			press(m, "2")
			for i := range 2 * numFeederSorts {
				press(m, "s")
				if i >= numFeederSorts {
					press(m, "r")
				}
				if p := m.page(); p.sortCol == 0 && !p.desc {
					continue // topology order: no arrow
				}
				head := strings.Split(m.View(), "\n")[3]
				if !strings.Contains(head, "▲") && !strings.Contains(head, "▼") || strings.Contains(head, "…") {
					t.Errorf("%q %dx%d sort %d: heading %q lacks its arrow", lang, sz.w, sz.h, m.page().sortCol, head)
				}
			}
		}
	}
}

// TestChargerDetailUnits: the charger page gives every power its unit;
// the setpoint read "0.0" under a power line in kW.
func TestChargerDetailUnits(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "3E") // CP-0001: discharging at its -11 kW setpoint, acked
	v := m.View()
	for _, want := range []string{"power             −11.0 kW", "setpoint          −11.0 kW", "last ack          ✓ accepted −11.0 kW 18:15"} {
		if !strings.Contains(v, want) {
			t.Errorf("charger page lacks %q:\n%s", want, v)
		}
	}
}

// TestActionSummaryIsASentence: what the other operators read after the
// operator's name was the journal's kind and id ("ana alarm_ack
// loading/F11"); it is a sentence in the operator's language.
//
// The journal's summary is English whatever the actor reads; each session
// that is told words the announcement in its own language.
func TestActionSummaryIsASentence(t *testing.T) {
	en := []string{"acknowledged ▲ HIGH F07 loading 118%", "shelved ▲ HIGH F07 loading 118% (works)", "unshelved ▲ HIGH F07 loading 118%"}
	zh := []string{"已确认 ▲ 高 F07 负载率 118%", "已搁置 ▲ 高 F07 负载率 118% (works)", "已取消搁置 ▲ 高 F07 负载率 118%"}
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		opts, _ := testOptions(fx, lang)
		var got []string
		var said []Announcement
		opts.Act = func(_ string, a Announcement, _ map[string]any) error {
			got = append(got, a.English)
			said = append(said, a)
			return nil
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		press(m, "4")
		f07, _ := m.selectedAlarm(m.page()) // F07, first
		press(m, "a")                       // the cursor moves on to the next
		m.followAlarm(f07)                  // back to F07
		press(m, "x")                       // shelve it
		press(m, "works")
		press(m, "E")
		press(m, "u")
		if strings.Join(got, "\n") != strings.Join(en, "\n") {
			t.Errorf("%q: journal summaries\n%q\nwant\n%q", lang, got, en)
		}
		for _, other := range []struct {
			lang string
			want []string
		}{{"en", en}, {"zh-CN", zh}} {
			o, _, _ := newTestModel(t, other.lang, 160, 45)
			for i, a := range said {
				if s, ok := o.Tell("ana", a); !ok || s != "ana "+other.want[i] {
					t.Errorf("%q told %q: %q, want %q", lang, other.lang, s, "ana "+other.want[i])
				}
			}
		}
	}
}

// TestHeaderKeepsOperator: at 80 columns the header dropped the operator
// and role of an SSH session altogether; the site's name goes first, then
// the role, and the name stays (with the feed's health).
func TestHeaderKeepsOperator(t *testing.T) {
	for _, tc := range []struct {
		w      int
		frozen bool
		want   string
	}{
		{80, false, "ana (dispatcher) +2"},
		{80, true, "ana +2"},
		{64, false, "ana +2"},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		opts.Online = func() []string { return []string{"ana (dispatcher)", "bo (viewer)", "cy (admin)"} }
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		if tc.frozen {
			press(m, "f")
		}
		head := strings.Split(m.View(), "\n")[0]
		if !strings.Contains(head, tc.want) || !strings.Contains(head, "● up") {
			t.Errorf("%d wide, frozen %t: header %q, want %q and the feed's health", tc.w, tc.frozen, head, tc.want)
		}
	}
}

// An alarm another operator acknowledged a moment ago is not acknowledged
// again: the desk says so, and neither journals nor announces it as this
// operator's acknowledgement (the others were told "omar acknowledged …").
func TestAckOfAnAckedAlarmIsNotAnnounced(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	var acted []string
	m.opts.Act = func(_ string, a Announcement, _ map[string]any) error {
		acted = append(acted, a.English)
		return nil
	}
	press(m, "4")
	id, _ := m.selectedAlarm(m.page())
	if err := m.alarms.Ack(id, "ana"); err != nil { // another desk
		t.Fatal(err)
	}
	m.followAlarm(id)
	press(m, "a")
	if len(acted) != 0 {
		t.Errorf("announced %q for an alarm already acknowledged", acted)
	}
	if !strings.Contains(m.View(), "already acknowledged") {
		t.Error("the desk does not say the alarm was already acknowledged")
	}
}

// TestScenarioEndedHeader: at the end of the scenario day the header says
// so, with the time, in place of a link DOWN, in every width.
func TestScenarioEndedHeader(t *testing.T) {
	fx := demo(t)
	snap := *fx.snap
	end := fixedNow.Add(5*time.Hour + 18*time.Minute).Truncate(24 * time.Hour) // any midnight
	snap.Stats.Connected, snap.Stats.Ended, snap.Stats.EndedAt = false, true, end
	for _, w := range []int{160, 100, 80, 64} {
		m, _, _ := newTestModel(t, "", w, 30)
		m.Update(SnapshotMsg{Snapshot: &snap})
		h := m.headerLine()
		want := "scenario ended " + end.In(snap.Location).Format("15:04")
		if !strings.Contains(h, want) || strings.Contains(h, "DOWN") {
			t.Errorf("width %d: header %q; want %q and no DOWN", w, h, want)
		}
		if width(h) != w {
			t.Errorf("width %d: header is %d cells", w, width(h))
		}
	}
}

// TestEndedDayKeepsItsChart: a simulated day ends at midnight, the first
// instant of the next day; once the source has ended, the "today" charts
// still show the day that was played, not the empty day that begins.
func TestEndedDayKeepsItsChart(t *testing.T) {
	fx := demo(t)
	snap := *fx.snap
	loc := snap.Location
	midnight := dayStart(snap.At, loc).Add(24 * time.Hour)
	snap.At = midnight
	measured := func(ended bool) int {
		s := snap
		s.Stats.Ended, s.Stats.EndedAt = ended, midnight
		m, _, _ := newTestModel(t, "", 160, 45)
		m.Update(SnapshotMsg{Snapshot: &s})
		n := 0
		for _, v := range m.systemChart().series[0].vals {
			if !math.IsNaN(v) {
				n++
			}
		}
		return n
	}
	if n := measured(true); n == 0 {
		t.Errorf("ended at %s: the chart shows no measured minute of the day played", midnight)
	}
	if n := measured(false); n != 0 {
		t.Errorf("still running at %s: the chart shows %d measured minutes of a day that has just begun", midnight, n)
	}
}

// TestClockKeysOnAFeedSayWhy: on a live feed (no clock to steer) space and
// > did nothing at all, while :pause answered "this feed cannot pause" and
// ? listed them; they say why, and the footer still does not offer them.
func TestClockKeysOnAFeedSayWhy(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	opts.Control, opts.Mode = nil, feeds.ModeLive
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	if foot := lastLine(m.View()); strings.Contains(foot, "space") || strings.Contains(foot, "faster") {
		t.Errorf("the footer offers clock keys on a live feed: %q", foot)
	}
	for key, want := range map[string]string{" ": "this feed cannot pause", ">": "this feed has no speed", "<": "this feed has no speed"} {
		press(m, key)
		if foot := lastLine(m.View()); !strings.Contains(foot, want) {
			t.Errorf("%q on a live feed: footer %q, want %q", key, foot, want)
		}
		m.flash = ""
	}
}
