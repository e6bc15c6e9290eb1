package sshd

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestSecondSessionUnderANameIsAnnounced: presence counts by name, so a
// second SSH session as ana changed nothing in the list of names and was
// not announced. The count is: joined again, closed, in both languages.
func TestSecondSessionUnderANameIsAnnounced(t *testing.T) {
	ana := Operator{Name: "ana", Role: RoleDispatcher}
	bo := Operator{Name: "bo", Role: RoleViewer}
	for _, tc := range []struct {
		lang            string
		again, closed   string
		joinedTwoAtOnce string
	}{
		{LangEN, "ana (dispatcher) joined again (2 sessions) · online: ana (2 sessions), bo",
			"ana (dispatcher) closed a session (1 open) · online: ana, bo",
			"ana (dispatcher) joined (2 sessions) · online: ana (2 sessions), bo"},
		{LangZhCN, "ana (调度员) 再次加入 (2 个会话) · 在线: ana (2 个会话), bo",
			"ana (调度员) 关闭了一个会话 (仍有 1 个) · 在线: ana, bo",
			"ana (调度员) 已加入 (2 个会话) · 在线: ana (2 个会话), bo"},
	} {
		r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
		f := newFrame(&linesModel{lines: []string{"header", "footer keys"}}, 7, tc.lang, r, time.Hour)
		f.Update(tea.WindowSizeMsg{Width: 160, Height: 2})
		last := func() string {
			lines := strings.Split(ansi.Strip(f.View()), "\n")
			return strings.TrimSpace(lines[len(lines)-1])
		}
		f.Update(PresenceMsg{Operators: []Operator{ana, bo}, PerName: map[string]int{"ana": 1, "bo": 1}, Seq: 1})
		f.Update(PresenceMsg{Operators: []Operator{ana, bo}, PerName: map[string]int{"ana": 2, "bo": 1}, Seq: 2})
		if got := last(); got != tc.again {
			t.Errorf("%s: second session: %q, want %q", tc.lang, got, tc.again)
		}
		f.Update(PresenceMsg{Operators: []Operator{ana, bo}, PerName: map[string]int{"ana": 1, "bo": 1}, Seq: 3})
		if got := last(); got != tc.closed {
			t.Errorf("%s: one closed: %q, want %q", tc.lang, got, tc.closed)
		}
		f.Update(PresenceMsg{Operators: []Operator{bo}, PerName: map[string]int{"bo": 1}, Seq: 4})
		f.Update(PresenceMsg{Operators: []Operator{ana, bo}, PerName: map[string]int{"ana": 2, "bo": 1}, Seq: 5})
		if got := last(); got != tc.joinedTwoAtOnce {
			t.Errorf("%s: two at once: %q, want %q", tc.lang, got, tc.joinedTwoAtOnce)
		}
	}

	p := NewPresence()
	p.Join(ana, "a", time.Time{})
	p.Join(ana, "b", time.Time{})
	p.Join(bo, "c", time.Time{})
	if got := p.SessionsPerName(); got["ana"] != 2 || got["bo"] != 1 || len(got) != 2 {
		t.Errorf("SessionsPerName = %v, want ana 2, bo 1", got)
	}
}
