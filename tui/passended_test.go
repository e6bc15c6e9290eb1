package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestFooterTellsOfAnEventEndedBySeekBack: the event in force when a seek
// back took the clock to before it is ended by the controller (its
// dispatch_end journalled); the footer said only the simulator's "sim
// restarted … setpoints dropped". It says, once and until a key, that the
// event ended and why, with the restart line kept beside it, whichever of
// the two the desk hears first.
func TestFooterTellsOfAnEventEndedBySeekBack(t *testing.T) {
	for _, restartFirst := range []bool{true, false} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			name := fmt.Sprintf("restart first %v, %dx%d", restartFirst, size[0], size[1])
			m, d, _ := newHandBackDesk(t, "", RoleDispatcher, size[0], size[1], false)
			screen := func() string { return ansi.Strip(m.View()) }
			restart := func() {
				snap := *m.latest
				snap.Stats.Restarts++
				snap.Stats.LastRestart = feeds.RestartSignal{At: dayStart(snap.At, snap.Location), Dropped: 12}
				m.Update(SnapshotMsg{Snapshot: &snap})
			}
			end := func() {
				d.set(func(v *control.EventView) {
					day := dayStart(v.Event.Start, v.Event.Start.Location())
					v.State, v.HandBackSince, v.ReleaseAt = control.StateEnded, time.Time{}, time.Time{}
					v.EndWhy = control.Why{Kind: control.WhyEarlierPass, From: day.Add(24 * time.Hour), At: day}
					v.Reason = v.EndWhy.String()
					v.EarlierPass = &control.EarlierPass{From: day.Add(24 * time.Hour), To: day}
				})
				m.Update(drChangedMsg{})
			}
			if restartFirst {
				restart()
				end()
			} else {
				end()
				restart()
			}
			s := screen()
			if !strings.Contains(s, "DR-17 ended") || !strings.Contains(strings.Join(strings.Fields(s), " "), "an earlier pass of the day") {
				t.Errorf("%s: no word that DR-17 was ended by the seek back:\n%s", name, s)
			}
			if !strings.Contains(s, "12 setpoint") {
				t.Errorf("%s: the simulator's restart line is gone:\n%s", name, s)
			}
			m.Update(drChangedMsg{})
			m.Update(SnapshotMsg{Snapshot: m.latest})
			if s := screen(); strings.Count(s, "DR-17 ended") != 1 {
				t.Errorf("%s: a refresh later the notice is not there once:\n%s", name, s)
			}
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'1'}})
			m.Update(drChangedMsg{})
			if s := screen(); strings.Contains(s, "DR-17 ended") {
				t.Errorf("%s: told again after a key:\n%s", name, s)
			}
		}
	}
}
