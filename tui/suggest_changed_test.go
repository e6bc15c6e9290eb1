package tui

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriagePProposesWhatWasRead: on a running clock triage plans its
// suggestion again every fleet minute; a dispatcher read "until 22:56",
// pressed p, and proposed an event ending 22:43 planned in between. A p
// within suggestReadTime of the offer changing proposes nothing and says
// what changed and why; the next p proposes the offer as it reads. A p
// long after the change, or after a new plan of the same offer, proposes
// at once. In English and zh-CN, at 160 and 80 columns.
func TestTriagePProposesWhatWasRead(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, w := range []int{160, 80} {
			fx := demo(t)
			ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			wall := wallNow()
			opts, _ := testOptions(fx, lang)
			opts.Role, opts.Dispatch, opts.Now = RoleDispatcher, ctl, func() time.Time { return wall }
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			press(m, "t")
			at := fx.snap.At
			offer := func(end time.Duration) *control.Suggestion {
				return &control.Suggestion{Pct: 95, Chargers: 5, ReduceKW: 77,
					Event: feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F07", Start: at, End: at.Add(end), KW: 3800}}
			}
			read, now := offer(2*time.Hour+14*time.Minute), offer(time.Hour+time.Minute)
			m.Update(suggestMsg{feeder: "F07", at: at, s: read})
			wall = wall.Add(20 * time.Second)
			m.Update(suggestMsg{feeder: "F07", at: at.Add(time.Minute), s: now})
			wall = wall.Add(time.Second)

			_, cmd := m.Update(keys("p")[0])
			if cmd != nil {
				t.Errorf("%q %d: p a second after the offer changed proposes it", lang, w)
			}
			foot := ansi.Strip(lastLine(m.View()))
			for _, want := range []string{hhmm(at.Add(time.Hour+time.Minute), m.loc()), hhmm(at.Add(2*time.Hour+14*time.Minute), m.loc())} {
				if !strings.Contains(foot, want) {
					t.Errorf("%q %d: p after the change says %q, want the offer now and before it (%s)", lang, w, foot, want)
				}
			}
			if width(foot) > w {
				t.Errorf("%q %d: the footer is %d cells wide: %q", lang, w, width(foot), foot)
			}
			// The next p proposes the offer as it reads now.
			if end := proposedEnd(t, m); !end.Equal(now.Event.End) {
				t.Errorf("%q %d: the second p proposed an event ending %s, want %s", lang, w, end, now.Event.End)
			}

			// A new plan of the same offer, long after a change: p proposes at once.
			m2 := New(opts)
			m2.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			m2.Update(SnapshotMsg{Snapshot: fx.snap})
			press(m2, "t")
			m2.Update(suggestMsg{feeder: "F07", at: at, s: read})
			m2.Update(suggestMsg{feeder: "F07", at: at, s: now})
			wall = wall.Add(suggestReadTime)
			same := *now
			same.Chargers, same.ReduceKW = 6, 80
			m2.Update(suggestMsg{feeder: "F07", at: at.Add(time.Minute), s: &same})
			if end := proposedEnd(t, m2); !end.Equal(now.Event.End) {
				t.Errorf("%q %d: p %s after the change proposed an event ending %s, want %s at once", lang, w, suggestReadTime, end, now.Event.End)
			}
		}
	}
}

// TestTriageHoldsTheEndItShows: on the demo day at 60x the suggested
// cap's end crept a minute every fleet minute ("until 23:31", "23:33",
// "23:34"), so the line never held still to be read, and every p came
// just after a change. A new plan moving the end less than
// suggestHoldDrift keeps the end on the line, which p proposes at once;
// its other figures are the new plan's.
func TestTriageHoldsTheEndItShows(t *testing.T) {
	fx := demo(t)
	ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	wall := wallNow()
	opts, _ := testOptions(fx, "")
	opts.Role, opts.Dispatch, opts.Now = RoleDispatcher, ctl, func() time.Time { return wall }
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	press(m, "t")
	at := fx.snap.At
	read := &control.Suggestion{Pct: 95, Chargers: 5, ReduceKW: 77,
		Event: feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F07", Start: at, End: at.Add(2*time.Hour + 14*time.Minute), KW: 3800}}
	m.Update(suggestMsg{feeder: "F07", at: at, s: read})
	for i := 1; i <= 3; i++ {
		wall = wall.Add(time.Second)
		next := *read
		next.Event.Start, next.Event.End, next.Chargers = at.Add(time.Duration(i)*time.Minute), read.Event.End.Add(time.Duration(2*i)*time.Minute), 5+i
		m.Update(suggestMsg{feeder: "F07", at: next.Event.Start, s: &next})
	}
	screen := ansi.Strip(m.View())
	if want := "until " + hhmm(read.Event.End, m.loc()) + " → 8 chargers"; !strings.Contains(screen, want) {
		t.Errorf("after three plans moving the end 2 min each, the line does not read %q:\n%s", want, screen)
	}
	if end := proposedEnd(t, m); !end.Equal(read.Event.End) {
		t.Errorf("p proposed an event ending %s, want the end read, %s", end, read.Event.End)
	}
}

// proposedEnd presses p on m and returns the end of the event it proposed.
func proposedEnd(t *testing.T, m *Model) time.Time {
	t.Helper()
	_, cmd := m.Update(keys("p")[0])
	if cmd == nil {
		t.Fatalf("p proposed nothing; footer %q", ansi.Strip(lastLine(m.View())))
	}
	done, ok := cmd().(drDoneMsg)
	if !ok || done.err != nil || done.open == "" {
		t.Fatalf("p did not propose: %+v", done)
	}
	v, ok := m.opts.Dispatch.(*control.Controller).Event(done.open)
	if !ok {
		t.Fatalf("%s is not known to the controller", done.open)
	}
	return v.Event.End
}
