package sshd

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestFrameIgnoresStalePresence: sessions joining at once each broadcast
// who is online, and a list made before the other's join could arrive
// after it. The frame shows no list older than one it has shown: the stale
// one told the operator that omar, online, had left, and cy's join after
// it read "cy joined, omar joined", which TestSessionsReadTheirOwnLanguage
// waited 30 s for in vain under load.
func TestFrameIgnoresStalePresence(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	inner := &linesModel{lines: []string{"header", "body", "footer keys"}}
	f := newFrame(inner, 1, LangEN, r, 0)
	f.Update(PresenceMsg{Operators: []Operator{{Name: "ana", Role: RoleDispatcher}}, Seq: 1})
	ana, cy, omar := Operator{Name: "ana", Role: RoleDispatcher}, Operator{Name: "cy", Role: RoleDispatcher}, Operator{Name: "omar", Role: RoleDispatcher}
	f.Update(PresenceMsg{Operators: []Operator{ana, omar}, Seq: 3}) // omar's join
	f.Update(PresenceMsg{Operators: []Operator{ana}, Seq: 2})       // made before it, posted after
	if v := ansi.Strip(f.View()); strings.Contains(v, "left") {
		t.Errorf("a stale list is shown as a leave:\n%s", v)
	}
	f.Update(PresenceMsg{Operators: []Operator{ana, cy, omar}, Seq: 4})
	if got, want := lastViewLine(f), " cy (dispatcher) joined · online: ana, cy, omar "; got != want {
		t.Errorf("cy's join reads %q, want %q", got, want)
	}
	presences := 0
	for _, m := range inner.got {
		if _, ok := m.(PresenceMsg); ok {
			presences++
		}
	}
	if presences != 3 {
		t.Errorf("the dashboard got %d presence lists, want 3 (not the stale one)", presences)
	}
}

func lastViewLine(f *frame) string {
	lines := strings.Split(ansi.Strip(f.View()), "\n")
	return lines[len(lines)-1]
}
