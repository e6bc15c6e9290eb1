package sshd

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestLeaveFollowsTheActionBeforeIt: ana presses enter on OP-2 and her
// ssh dies just after. Her confirm is announced, and within milliseconds
// her leaving: the leave's notice replaced the confirm's before a frame
// was drawn, and omar read only "ana (dispatcher) left", not that OP-2's
// setpoints went out on her behalf. A join or leave that comes while
// another operator's action is shown now follows it on the line; one
// after the action's notice has gone (faded, or taken down by a key)
// reads alone, as before.
func TestLeaveFollowsTheActionBeforeIt(t *testing.T) {
	omar := Present{ID: 1, Operator: Operator{Name: "omar", Role: RoleDispatcher}}
	ana := Present{ID: 2, Operator: Operator{Name: "ana", Role: RoleDispatcher}}
	both := PresenceMsg{Operators: []Operator{ana.Operator, omar.Operator}}
	alone := PresenceMsg{Operators: []Operator{omar.Operator}}
	confirmed := ActionMsg{By: ana, Kind: "notice", Summary: "confirmed and sent OP-2 (import cap F02 ≤ 1,501 kW 18:00–20:00)"}
	const said = " ana confirmed and sent OP-2 (import cap F02 ≤ 1,501 kW 18:00–20:00)"
	const left = "ana (dispatcher) left · online: omar"
	for _, tc := range []struct {
		name    string
		width   int
		between tea.Msg // between the confirm and the leave
		want    []string
		dont    string
	}{
		{"leave just after the confirm", 160, nil, []string{said + " · " + left + " "}, ""},
		{"at 80 columns the confirm comes first", 80, nil, []string{said}, ""},
		{"confirm faded first", 160, clearNoticeMsg{seq: 1}, []string{" " + left + " "}, "OP-2"},
		{"a key took the confirm down", 160, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}, []string{left}, "OP-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
			f := newFrame(&linesModel{lines: []string{"header", "body", "footer keys"}}, omar.ID, LangEN, r, 0)
			f.Update(tea.WindowSizeMsg{Width: tc.width, Height: 3})
			f.Update(both) // sets the scene
			f.Update(confirmed)
			if tc.between != nil {
				f.Update(tc.between)
			}
			f.Update(alone)
			// On the last line; above the footer after a key, whose
			// answer the footer holds.
			view := ansi.Strip(f.View())
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("the view lacks %q:\n%s", w, view)
				}
			}
			if tc.dont != "" && strings.Contains(view, tc.dont) {
				t.Errorf("the view holds %q:\n%s", tc.dont, view)
			}
		})
	}
}
