package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestDamagedRecordingSaysSoOnScreen: a replay of a damaged recording told
// the operator nothing until the dashboard ended (the details go to stderr
// then). From the start the footer says what the file held back, in one
// line that fits, in the session's language, until the first key; the
// header marks the replay as damaged for as long as it plays.
func TestDamagedRecordingSaysSoOnScreen(t *testing.T) {
	damage := &RecordingDamage{File: "day.v2grec", Skipped: 3, TimeJumps: 2, StopLine: 812}
	for _, tt := range []struct {
		lang   string
		w, h   int
		note   []string // in the footer, in this order
		header string
	}{
		{"en", 160, 45, []string{"⚠ day.v2grec: 3 lines skipped, 2 time jumps, the file stopped early at line 812 — details on exit"}, "⚠ damaged file"},
		{"en", 80, 24, []string{"⚠ day.v2grec: 3 skipped, 2 time jumps, stopped at line 812 — details on exit"}, "⚠ damaged file"},
		{"zh-CN", 160, 45, []string{"⚠ day.v2grec：跳过 3 行，时间跳变 2 处，文件在第 812 行提前结束 — 退出时列出详情"}, "⚠ 文件受损"},
		{"zh-CN", 80, 24, []string{"⚠ day.v2grec：跳过 3 行，时间跳变 2 处，止于第 812 行 — 退出时列出详情"}, "⚠ 文件受损"},
	} {
		m, _ := replayDesk(t, tt.lang, tt.w, tt.h, damage)
		screen := ansi.Strip(m.View())
		lines := strings.Split(screen, "\n")
		for i, l := range lines {
			if w := width(l); w > tt.w {
				t.Errorf("%s %dx%d: line %d is %d cells wide: %q", tt.lang, tt.w, tt.h, i+1, w, l)
			}
		}
		foot := lastLine(screen)
		at := 0
		for _, n := range tt.note {
			i := strings.Index(foot[at:], n)
			if i < 0 {
				t.Errorf("%s %dx%d: footer %q, want %q", tt.lang, tt.w, tt.h, foot, n)
				break
			}
			at += i + len(n)
		}
		if !strings.Contains(lines[0], tt.header) {
			t.Errorf("%s %dx%d: header %q, want %q", tt.lang, tt.w, tt.h, lines[0], tt.header)
		}

		runKeys(m, "2") // any key: the note has been seen
		screen = ansi.Strip(m.View())
		if foot := lastLine(screen); strings.Contains(foot, "day.v2grec") {
			t.Errorf("%s %dx%d: after a key the footer still says %q", tt.lang, tt.w, tt.h, foot)
		}
		if first := strings.Split(screen, "\n")[0]; !strings.Contains(first, tt.header) {
			t.Errorf("%s %dx%d: after a key the header %q lost %q", tt.lang, tt.w, tt.h, first, tt.header)
		}
	}

	// Paused and frozen at 80 columns the badge is long: the marker
	// shortens to its glyph before the feed's health goes.
	m, ctl := replayDesk(t, "en", 80, 24, damage)
	ctl.Pause()
	runKeys(m, "f")
	head := strings.Split(ansi.Strip(m.View()), "\n")[0]
	if !strings.Contains(head, "FROZEN") || !strings.Contains(head, "PAUSED") || !strings.Contains(head, "● up") || !strings.Contains(head, "⚠") {
		t.Errorf("paused and frozen at 80 columns: header %q, want PAUSED, FROZEN, ⚠ and the feed's health", head)
	}

	// A whole file: neither the note nor the marker.
	for _, d := range []*RecordingDamage{nil, {File: "day.v2grec"}} {
		m, _ := replayDesk(t, "en", 80, 24, d)
		if screen := ansi.Strip(m.View()); strings.Contains(screen, "day.v2grec") || strings.Contains(screen, "damaged") {
			t.Errorf("a whole file (%+v) is reported damaged:\n%s", d, screen)
		}
	}
}

// TestDamageNoteForms: the figures a note can hold, each worded, and the
// note never wider than it is given.
func TestDamageNoteForms(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Damage: &RecordingDamage{File: "day.v2grec", Skipped: 1}})
	if got := m.damageNote(200); got != "day.v2grec: 1 line skipped — details on exit" {
		t.Errorf("one line: %q", got)
	}
	m.opts.Damage = &RecordingDamage{File: "day.v2grec", Skipped: 14, CorruptSkipped: 12, TimeJumps: 1, StopLine: 900, StopCorrupt: true}
	if got := m.damageNote(200); got != "day.v2grec: 14 lines skipped (12 corrupt), 1 time jump, corrupt from line 900 — details on exit" {
		t.Errorf("corrupt: %q", got)
	}
	// The header's member alone failed its check: no line was skipped,
	// and the file is corrupt all the same (v2gdesk replay exits 1).
	m.opts.Damage = &RecordingDamage{File: "day.v2grec", CorruptMembers: 1}
	if got := m.damageNote(200); got != "day.v2grec: 1 gzip check failed — details on exit" {
		t.Errorf("header member: %q", got)
	}
	m.opts.Damage = &RecordingDamage{File: "day.v2grec", Skipped: 1, CorruptMembers: 2}
	if got := m.damageNote(200); got != "day.v2grec: 1 line skipped, 2 gzip checks failed — details on exit" {
		t.Errorf("header member and a bad line: %q", got)
	}
	for w := 10; w < 120; w++ {
		if got := m.damageNote(w); width(got) > w {
			t.Fatalf("width %d: %q is %d cells", w, got, width(got))
		}
	}
}

// TestDamageNoteNamesLostTopology: a file whose hello went with a damaged
// gzip member plays with every measurement rejected (no_topology) and the
// screens empty; the note said only "13 lines skipped (13 corrupt)". It
// names the hello's line first, in both languages and at both sizes.
func TestDamageNoteNamesLostTopology(t *testing.T) {
	damage := &RecordingDamage{File: "day.v2grec", Skipped: 13, CorruptSkipped: 13, CorruptMembers: 1, TopologyLine: 2}
	checkDamageNotes(t, damage, []damageNoteCase{
		{"en", 160, 45, "⚠ day.v2grec: topology lost with damaged line 2, 13 lines skipped (13 corrupt) — details on exit"},
		{"en", 80, 24, "⚠ day.v2grec: no topology (line 2), 13 skipped (13 corrupt) — details on exit"},
		{"zh-CN", 160, 45, "⚠ day.v2grec：拓扑随损坏的第 2 行丢失，跳过 13 行 (13 行已损坏) — 退出时列出详情"},
		{"zh-CN", 80, 24, "⚠ day.v2grec：无拓扑 (第 2 行)，跳过 13 行 (损坏 13)"},
	})
	m := New(Options{Renderer: asciiRenderer(), Damage: &RecordingDamage{File: "day.v2grec", TopologyLine: 2}})
	if !m.opts.Damage.Damaged() {
		t.Error("a lost topology alone is not told as damage")
	}
	if got := m.damageNote(200); got != "day.v2grec: topology lost with damaged line 2 — details on exit" {
		t.Errorf("topology alone: %q", got)
	}
}

// TestDamageNoteNamesHeaderTopology: the hello went with a damaged member
// and the header's copy played in its place: the screens fill, and the note
// says where their topology came from.
func TestDamageNoteNamesHeaderTopology(t *testing.T) {
	damage := &RecordingDamage{File: "day.v2grec", Skipped: 13, CorruptSkipped: 13, CorruptMembers: 1, HeaderTopologyLine: 2}
	checkDamageNotes(t, damage, []damageNoteCase{
		{"en", 160, 45, "⚠ day.v2grec: topology taken from the file's header (its hello at line 2 was damaged), 13 lines skipped (13 corrupt) — details on exit"},
		{"en", 80, 24, "⚠ day.v2grec: topology from header (line 2), 13 skipped (13 corrupt)"},
		{"zh-CN", 160, 45, "⚠ day.v2grec：拓扑取自文件头 (第 2 行的 hello 已损坏)，跳过 13 行 (13 行已损坏) — 退出时列出详情"},
		{"zh-CN", 80, 24, "⚠ day.v2grec：拓扑取自文件头 (第 2 行)，跳过 13 行 (损坏 13)"},
	})
}

// damageNoteCase is a damage note as the footer shows it, in lang at w x h.
type damageNoteCase struct {
	lang string
	w, h int
	note string
}

// checkDamageNotes wants each case's note on the footer of a desk replaying
// a recording that held back damage, and no line wider than the screen.
func checkDamageNotes(t *testing.T, damage *RecordingDamage, cases []damageNoteCase) {
	t.Helper()
	for _, tt := range cases {
		m, _ := replayDesk(t, tt.lang, tt.w, tt.h, damage)
		screen := ansi.Strip(m.View())
		if foot := lastLine(screen); !strings.Contains(foot, tt.note) {
			t.Errorf("%s %dx%d: footer %q, want %q", tt.lang, tt.w, tt.h, foot, tt.note)
		}
		for i, l := range strings.Split(screen, "\n") {
			if w := width(l); w > tt.w {
				t.Errorf("%s %dx%d: line %d is %d cells wide: %q", tt.lang, tt.w, tt.h, i+1, w, l)
			}
		}
	}
}

// replayDesk is the dashboard on the demo fixture at w x h, in lang,
// replaying a recording whose reading held back d.
func replayDesk(t *testing.T, lang string, w, h int, d *RecordingDamage) (*Model, *fakeControl) {
	t.Helper()
	fx := demo(t)
	opts, ctl := testOptions(fx, lang)
	opts.Mode, opts.Damage = feeds.ModeReplay, d
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m, ctl
}
