package sshd

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// linesModel shows fixed lines and counts what it is sent.
type linesModel struct {
	lines []string
	got   []tea.Msg
}

func (m *linesModel) Init() tea.Cmd { return nil }
func (m *linesModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.got = append(m.got, msg)
	return m, nil
}
func (m *linesModel) View() string { return strings.Join(m.lines, "\n") }

func TestFrameNotices(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	inner := &linesModel{lines: []string{"header", "body", "footer keys"}}
	f := newFrame(inner, 7, LangEN, r, 0)
	f.Update(tea.WindowSizeMsg{Width: 20, Height: 3})
	other := Present{ID: 8, Operator: Operator{Name: "omar", Role: RoleDispatcher}}
	self := Present{ID: 7, Operator: Operator{Name: "dana", Role: RoleDispatcher}}

	steps := []struct {
		name string
		msg  tea.Msg
		want string // the last line of the view
	}{
		{"no notice", nil, "footer keys"},
		{"own action shows nothing", ActionMsg{By: self, Summary: "sent DR-17"}, "footer keys"},
		{"another operator's action", ActionMsg{By: other, Summary: "acknowledged F07"}, " omar acknowledged …"},
		{"fade of an old notice does nothing", clearNoticeMsg{seq: 0}, " omar acknowledged …"},
		{"fade", clearNoticeMsg{seq: 1}, "footer keys"},
		{"sticky warning", NoticeMsg{Text: "closing", Warn: true, Sticky: true}, " closing "},
		{"fade leaves sticky", clearNoticeMsg{seq: 2}, " closing "},
		{"key clears sticky", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}, "footer keys"},
		{"the key's answer has had its time", answerOverMsg{seq: 1}, "footer keys"},
		{"first presence sets the scene", PresenceMsg{Operators: []Operator{self.Operator}}, "footer keys"},
		{"someone joins", PresenceMsg{Operators: []Operator{{Name: "ana", Role: RoleAdmin}, self.Operator}}, " ana (admin) joined…"},
		{"same people", PresenceMsg{Operators: []Operator{{Name: "ana", Role: RoleAdmin}, self.Operator}}, " ana (admin) joined…"},
		{"someone leaves", PresenceMsg{Operators: []Operator{self.Operator}}, " ana (admin) left ·…"},
		// The key's answer is on the dashboard's bottom line (a refusal,
		// "this feed cannot seek"): for 8 s after someone joined, an
		// operator's own refusals were hidden under the notice.
		{"a key clears another's notice", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":")}, "footer keys"},
	}
	for _, st := range steps {
		if st.msg != nil {
			f.Update(st.msg)
		}
		v := ansi.Strip(f.View())
		lines := strings.Split(v, "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: view has %d lines, want 3 (the frame must not change the size):\n%s", st.name, len(lines), v)
		}
		if got := lines[2]; got != st.want {
			t.Errorf("%s: last line %q, want %q", st.name, got, st.want)
		}
	}
	// The dashboard saw the size, both actions and the key, but no notices.
	var actions, keys, notices int
	for _, m := range inner.got {
		switch m.(type) {
		case ActionMsg:
			actions++
		case tea.KeyMsg:
			keys++
		case NoticeMsg, clearNoticeMsg:
			notices++
		}
	}
	if actions != 2 || keys != 2 || notices != 0 {
		t.Errorf("inner model got %d actions, %d keys, %d notices; want 2, 2, 0", actions, keys, notices)
	}
}

// TestFrameShutdownNoticeWins: once the shutdown notice is up, nothing
// takes it down before the session ends: not the idle warning's countdown
// (posted every second while it is up), the notice of a key answering it,
// another operator's action, someone leaving, a fade or a key. After
// SIGTERM an idle session showed its idle countdown in its place.
func TestFrameShutdownNoticeWins(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	inner := &linesModel{lines: []string{"header", "body", "footer keys"}}
	f := newFrame(inner, 7, LangEN, r, time.Minute)
	f.Update(tea.WindowSizeMsg{Width: 80, Height: 3})
	self := Operator{Name: "dana", Role: RoleDispatcher}
	omar := Present{ID: 8, Operator: Operator{Name: "omar", Role: RoleDispatcher}}
	f.Update(PresenceMsg{Operators: []Operator{omar.Operator, self}})
	f.Update(NoticeMsg{Text: idleWarning(LangEN, 58*time.Second), Warn: true, Sticky: true})
	last := func() string {
		lines := strings.Split(ansi.Strip(f.View()), "\n")
		return lines[len(lines)-1]
	}
	if got := last(); !strings.Contains(got, "this session closes in 58 s") {
		t.Fatalf("idle warning not shown: %q", got)
	}
	reason := func(string) string { return "the desk is shutting down" }
	shutdown := NoticeMsg{Say: shutdownNotice(reason, 10*time.Second), Warn: true, Sticky: true, Closing: true}
	const want = " disconnecting in 10 s: the desk is shutting down "
	if _, cmd := f.Update(shutdown); cmd != nil {
		t.Errorf("the shutdown notice set a fade")
	}
	if got := last(); got != want {
		t.Fatalf("after the shutdown notice: %q, want %q", got, want)
	}
	for _, st := range []struct {
		name string
		msg  tea.Msg
	}{
		{"idle countdown", NoticeMsg{Text: idleWarning(LangEN, 57*time.Second), Warn: true, Sticky: true}},
		{"key answering the idle warning", NoticeMsg{Text: say(LangEN, idleAnswered)}},
		{"another operator's action", ActionMsg{By: omar, Summary: "acknowledged F07"}},
		{"someone leaves", PresenceMsg{Operators: []Operator{self}}},
		{"fade", clearNoticeMsg{seq: f.seq}},
		{"key", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}},
	} {
		f.Update(st.msg)
		if got := last(); got != want {
			t.Errorf("after %s: last line %q, want %q", st.name, got, want)
		}
	}
	// The dashboard still gets what is its own.
	var keys, actions int
	for _, m := range inner.got {
		switch m.(type) {
		case tea.KeyMsg:
			keys++
		case ActionMsg:
			actions++
		}
	}
	if keys != 1 || actions != 1 {
		t.Errorf("inner model got %d keys, %d actions; want 1, 1", keys, actions)
	}
}

func TestDarkBackground(t *testing.T) {
	for in, want := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;7": false, "7;default;0": true, "junk": true, "0;x": true} {
		if got := darkBackground(in); got != want {
			t.Errorf("COLORFGBG=%q: dark=%v, want %v", in, got, want)
		}
	}
}

// panicky panics in the step it is told to.
type panicky struct{ in string }

func (m *panicky) Init() tea.Cmd {
	if m.in == "init" {
		panic("init bug")
	}
	return nil
}

func (m *panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok && m.in == "update" {
		panic("update bug")
	}
	return m, nil
}

func (m *panicky) View() string {
	if m.in == "view" {
		panic("view bug")
	}
	return "ok"
}

func TestFrameRecoversFromDashboardPanics(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	for _, where := range []string{"init", "update", "view"} {
		t.Run(where, func(t *testing.T) {
			var got []string
			f := newFrame(&panicky{in: where}, 1, LangEN, r, 0)
			f.onPanic = func(v any, stack []byte) {
				got = append(got, fmt.Sprint(v))
				if !strings.Contains(string(stack), "panicky") {
					t.Errorf("stack does not show the panicking model:\n%s", stack)
				}
			}
			cmd := f.Init()
			next, ucmd := f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
			// The model Bubble Tea draws next: nil after a panic in
			// Update, and its View panicked again ("Caught panic" on the
			// desk's standard output, outside the log).
			if next != tea.Model(f) {
				t.Errorf("Update after the panic returned %#v, want the frame", next)
			}
			v := f.View()
			if len(got) != 1 || got[0] != where+" bug" {
				t.Fatalf("onPanic got %v, want one %q", got, where+" bug")
			}
			if where != "view" {
				quit := cmd
				if where == "update" {
					quit = ucmd
				}
				if quit == nil {
					t.Fatal("no command after the panic, want tea.Quit")
				}
				if _, ok := quit().(tea.QuitMsg); !ok {
					t.Errorf("command after the panic is not tea.Quit")
				}
				if v != "" {
					t.Errorf("a crashed frame shows %q", v)
				}
			}
			// After a crash the frame only quits.
			if _, c := f.Update(tea.KeyMsg{}); c == nil {
				t.Errorf("a crashed frame does not quit")
			}
		})
	}
}

// TestShutdownNoticeKeepsCountdown: at 80 columns the shutdown notice keeps
// when the session is disconnected, in either language, however long the
// reason (serve names the DR events it cancels); it read "the desk is
// shutting down; DR events in force stop being steered and their cha…" and
// the countdown was cut off. It then kept the countdown but was still cut
// ("… DR events in force stop being…"): which events, and what becomes of
// their chargers, was lost. Too long for the bottom line, it wraps over the
// dashboard's last lines, whole, the countdown first.
func TestShutdownNoticeKeepsCountdown(t *testing.T) {
	reason := func(lang string) string {
		if lang == LangZhCN {
			return "控制台正在关闭; 正在执行的需求响应事件停止调控, 其充电桩将被释放: T-F10-1825, T-F06-1840"
		}
		return "the desk is shutting down; DR events in force stop being steered and their chargers are released: T-F10-1825, T-F06-1840"
	}
	for _, tt := range []struct{ lang, want string }{
		{LangEN, " disconnecting in 10 s: the desk is shutting down"},
		{LangZhCN, " 10 秒后断开连接: 控制台正在关闭"},
	} {
		r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
		f := newFrame(&linesModel{lines: []string{"header", "body 1", "body 2", "body 3", "footer keys"}}, 7, tt.lang, r, 0)
		f.Update(tea.WindowSizeMsg{Width: 80, Height: 5})
		f.Update(NoticeMsg{Say: shutdownNotice(reason, 10*time.Second), Warn: true, Sticky: true, Closing: true})
		lines := strings.Split(ansi.Strip(f.View()), "\n")
		if len(lines) != 5 {
			t.Fatalf("%s: the view has %d lines, want 5", tt.lang, len(lines))
		}
		// The notice's lines are the ones the dashboard no longer shows.
		var notice []string
		for _, l := range lines {
			if !strings.HasPrefix(l, "header") && !strings.HasPrefix(l, "body") {
				notice = append(notice, l)
			}
			if w := ansi.StringWidth(l); w > 80 {
				t.Errorf("%s: line %q is %d cells, over 80", tt.lang, l, w)
			}
		}
		if len(notice) < 2 || !strings.HasPrefix(notice[0], tt.want) {
			t.Fatalf("%s: notice %q, want it to begin %q and wrap", tt.lang, notice, tt.want)
		}
		whole := shutdownNotice(reason, 10*time.Second)(tt.lang)
		joined := strings.Join(notice, "")
		if strings.Contains(joined, "…") || strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(whole, " ", "") {
			t.Errorf("%s: notice %q, want all of %q", tt.lang, notice, whole)
		}
	}
}
