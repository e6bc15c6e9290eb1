package sshd

import (
	"slices"
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

// TestActionsAtOnceBothRead: ana confirms OP-1 and omar declines DR-17
// within one frame. The second action's notice replaced the first before
// it was drawn, and vera never read that OP-1 went out. Both are read
// now: on one line when they fit it, else the second once the first has
// gone (faded, or taken down by a key); no notice line runs past the
// width, at 80 columns or in the two lines of a footer that has them.
func TestActionsAtOnceBothRead(t *testing.T) {
	vera := Present{ID: 1, Operator: Operator{Name: "vera", Role: RoleViewer}}
	ana := Present{ID: 2, Operator: Operator{Name: "ana", Role: RoleDispatcher}}
	omar := Present{ID: 3, Operator: Operator{Name: "omar", Role: RoleDispatcher}}
	confirmed := ActionMsg{By: ana, Summary: "confirmed and sent OP-1 (import cap F02 ≤ 1,501 kW 18:00–20:00)"}
	declined := ActionMsg{By: omar, Summary: "declined DR-17 (import cap F07 ≤ 3,600 kW 18:00–21:00)"}
	const first = "ana confirmed and sent OP-1 (import cap F02 ≤ 1,501 kW 18:00–20:00)"
	const second = "omar declined DR-17 (import cap F07 ≤ 3,600 kW 18:00–21:00)"
	for _, tc := range []struct {
		name   string
		width  int
		footer int     // the dashboard's footer lines
		then   tea.Msg // what takes the first notice down; nil: both at once
	}{
		{"joined at 160 columns", 160, 1, nil},
		{"joined in a two-line footer at 80 columns", 80, 2, nil},
		{"queued at 80 columns, shown when the first fades", 80, 1, clearNoticeMsg{seq: 1}},
		{"queued at 80 columns, shown after a key", 80, 1, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
			inner := &footerModel{linesModel: linesModel{lines: []string{"header", "body 1", "body 2", "keys 1", "keys 2"}}, footer: tc.footer}
			f := newFrame(inner, vera.ID, LangEN, r, 0)
			f.Update(tea.WindowSizeMsg{Width: tc.width, Height: 5})
			f.Update(confirmed)
			f.Update(declined)
			read := func() string {
				view := ansi.Strip(f.View())
				for _, l := range strings.Split(view, "\n") {
					if w := ansi.StringWidth(l); w > tc.width {
						t.Errorf("a line of %d columns at %d: %q", w, tc.width, l)
					}
				}
				return strings.Join(strings.Fields(view), " ")
			}
			got := read()
			if tc.then == nil {
				if !strings.Contains(got, first+" · "+second) {
					t.Errorf("both actions not on the notice:\n%s", f.View())
				}
				return
			}
			if !strings.Contains(got, first) || strings.Contains(got, "…") {
				t.Errorf("the first action not shown whole first:\n%s", got)
			}
			f.Update(tc.then)
			if got := read(); !strings.Contains(got, second) {
				t.Errorf("the second action not shown once the first went:\n%s", got)
			}
		})
	}
}

// TestJoinsBehindAnActionAreOne: behind an action too long to share its
// line, sessions joining one after the other (a wallboard rack
// reconnecting) wait as one notice with the latest online list, not one
// each, shown 8 s apiece for minutes after they came.
func TestJoinsBehindAnActionAreOne(t *testing.T) {
	vera := Operator{Name: "vera", Role: RoleViewer}
	ana := Present{ID: 2, Operator: Operator{Name: "ana", Role: RoleDispatcher}}
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	f := newFrame(&linesModel{lines: []string{"header", "body", "keys"}}, 1, LangEN, r, 0)
	f.Update(tea.WindowSizeMsg{Width: 80, Height: 3})
	online := []Operator{vera, ana.Operator}
	f.Update(PresenceMsg{Operators: online}) // sets the scene
	f.Update(ActionMsg{By: ana, Summary: "confirmed and sent OP-1 (import cap F02 ≤ 1,501 kW 18:00–20:00)"})
	for _, name := range []string{"wall1", "wall2", "wall3"} {
		online = append(online, Operator{Name: name, Role: RoleViewer})
		f.Update(PresenceMsg{Operators: slices.Clone(online)})
	}
	if n := len(f.queue); n != 1 {
		t.Fatalf("%d notices wait behind the action, want the joins as one", n)
	}
	f.Update(clearNoticeMsg{seq: f.seq})
	want := "wall1 (viewer) joined, wall2 (viewer) joined, wall3 (viewer) joined · online: vera, ana, wall1, wall2, wall3"
	if got := strings.TrimSpace(f.notice.Text); got != want {
		t.Errorf("after the action: %q, want %q", got, want)
	}
	if len(f.queue) != 0 {
		t.Errorf("still queued: %+v", f.queue)
	}
}
