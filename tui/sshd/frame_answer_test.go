package sshd

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestNoticeLeavesTheKeysAnswer: a notice that comes right after the
// operator's key (another dispatcher confirming the same event, someone
// joining) is drawn above the footer, where the dashboard answers that key,
// not over it. Over it, omar's "c again to cancel OP-1" went unseen for as
// long as the question lasts, and a second c, pressed because the first
// seemed to do nothing, cancelled the event unasked. Once the answer has
// had its time, notices cover the footer again.
func TestNoticeLeavesTheKeysAnswer(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	inner := &linesModel{lines: []string{"header", "body 1", "body 2", "c again to cancel OP-1"}}
	f := newFrame(inner, 7, LangEN, r, 0)
	f.Update(tea.WindowSizeMsg{Width: 40, Height: 4})
	ana := Present{ID: 8, Operator: Operator{Name: "ana", Role: RoleDispatcher}}
	view := func() []string { return strings.Split(ansi.Strip(f.View()), "\n") }

	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	f.Update(ActionMsg{By: ana, Summary: "cancelled OP-1"})
	got := view()
	if len(got) != 4 {
		t.Fatalf("view has %d lines, want 4 (the frame must not change the size):\n%s", len(got), strings.Join(got, "\n"))
	}
	if got[3] != "c again to cancel OP-1" {
		t.Errorf("the footer reads %q, want the answer to the key, %q", got[3], "c again to cancel OP-1")
	}
	if got[2] != " ana cancelled OP-1 " {
		t.Errorf("the line above the footer reads %q, want the notice %q", got[2], " ana cancelled OP-1 ")
	}
	if got[0] != "header" || got[1] != "body 1" {
		t.Errorf("the notice covered more than its line: %q", got)
	}

	// An older key's end does not end a newer key's time.
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	f.Update(answerOverMsg{seq: 1})
	f.Update(ActionMsg{By: ana, Summary: "proposed OP-2"})
	if got := view(); got[3] != "c again to cancel OP-1" || got[2] != " ana proposed OP-2 " {
		t.Errorf("after an older key's end: %q, want the notice above the answer", got)
	}

	f.Update(answerOverMsg{seq: 2})
	f.Update(ActionMsg{By: ana, Summary: "declined OP-2"})
	// After the proposal still shown, not over it (TestActionsAtOnceBothRead).
	if got := view(); got[3] != " ana proposed OP-2 · ana declined OP-2 " || got[2] != "body 2" {
		t.Errorf("with no key to answer: %q, want the notice over the footer", got)
	}
}
