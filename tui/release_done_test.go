package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// The footer's notice of a forced release ("chargers will be released at 19:00 (in
// 18 min), …") goes once that release is no longer to come: the event
// ended, was cancelled, or its hand-back was extended by another desk. On
// a shared desk in a soak it still read "released at 21:58 (in 31 min)" at
// 22:06, over the page of the event that had ended at 21:58.
func TestReleaseNoticeGoesWhenNoLongerToCome(t *testing.T) {
	const notice = "DR-17: chargers will be released at 19:00 (in 18 min)"
	for _, c := range []struct {
		name   string
		change func(v *control.EventView)
	}{
		{"released", func(v *control.EventView) {
			v.State, v.Ended = control.StateEnded, v.ReleaseAt
		}},
		{"cancelled", func(v *control.EventView) { v.State = control.StateCancelled }},
		{"extended elsewhere", func(v *control.EventView) {
			v.ReleaseAt, v.ReleaseNoticeSince, v.Extended, v.ExtendedBy = v.ReleaseAt.Add(4*time.Hour), time.Time{}, 4*time.Hour, "omar"
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, d, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
			runKeys(m, "5E")
			d.set(func(v *control.EventView) { v.ReleaseNoticeSince = v.ReleaseAt.Add(-30 * time.Minute) })
			m.Update(drChangedMsg{})
			if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, notice) {
				t.Fatalf("footer after the notice: %q, want %q", foot, notice)
			}
			d.set(c.change)
			m.Update(drChangedMsg{})
			if foot := ansi.Strip(lastLine(m.View())); strings.Contains(foot, "released at 19:00") {
				t.Errorf("DR-17 %s, and the footer still says %q", c.name, foot)
			}
		})
	}
}

// A notice still to come stays until a key, whatever else changes.
func TestReleaseNoticeStaysWhileToCome(t *testing.T) {
	m, d, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
	runKeys(m, "5E")
	d.set(func(v *control.EventView) { v.ReleaseNoticeSince = v.ReleaseAt.Add(-30 * time.Minute) })
	m.Update(drChangedMsg{})
	d.set(func(v *control.EventView) { v.Replans++ })
	m.Update(drChangedMsg{})
	if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, "DR-17: chargers will be released at 19:00") {
		t.Errorf("the notice of a release still to come went: %q", foot)
	}
}

// The notice's countdown follows the clock while it is shown: at 600x on
// a shared desk it still read "(in 30 min)" 19 minutes later, the release
// 11 minutes away.
func TestReleaseNoticeCountsDown(t *testing.T) {
	m, d, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
	runKeys(m, "5E")
	d.set(func(v *control.EventView) { v.ReleaseNoticeSince = v.ReleaseAt.Add(-30 * time.Minute) })
	m.Update(drChangedMsg{})
	if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, "DR-17: chargers will be released at 19:00 (in 18 min)") {
		t.Fatalf("footer after the notice: %q", foot)
	}
	later := *m.snap
	later.At = later.At.Add(10 * time.Minute)
	m.Update(SnapshotMsg{Snapshot: &later})
	if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, "DR-17: chargers will be released at 19:00 (in 8 min)") {
		t.Errorf("ten minutes later the footer says %q, want the release in 8 min", foot)
	}
}
