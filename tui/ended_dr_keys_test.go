package tui

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestDRKeysSayEndedFirst: after the day had ended, a DR key pressed where
// it had nothing to act on gave its own reason ("d: no DR event here to
// plan — DR events are on 5"), as if another page could still dispatch,
// where p in an empty triage already said the day had ended. Every DR key
// now says, in this order: the day has ended; to a viewer, that it is not
// theirs (d excepted: a viewer may make an event's first plan); then its
// own reason. English and zh-CN, 160x45 and 80x24.
func TestDRKeysSayEndedFirst(t *testing.T) {
	const ended, viewer = "the scenario has ended: nothing more can be dispatched", "viewers cannot do that"
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			for _, c := range []struct {
				role  string
				ended bool
			}{{RoleDispatcher, true}, {RoleViewer, true}, {RoleViewer, false}, {RoleDispatcher, false}} {
				fx := demo(t)
				ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Sender: &recordingSender{refuse: map[string]string{}},
					Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
				if err != nil {
					t.Fatal(err)
				}
				ctl.Step(context.Background())
				if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
					t.Fatal(err)
				}
				opts, _ := testOptions(fx, lang)
				opts.Dispatch, opts.Role = ctl, c.role
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				snap := *fx.snap
				snap.Stats.Ended = c.ended
				if c.ended {
					snap.Stats.EndedAt = snap.At
				}
				m.Update(SnapshotMsg{Snapshot: &snap})
				for _, k := range []struct {
					script, own string // keys to a page where the last does nothing, its own reason
				}{
					{"1d", "d: no DR event here to plan — DR events are on 5"},
					{"1c", "c: no DR event here to decline or cancel — DR events are on 5"},
					{"1e", "e: nothing to edit on this page — DR events are on 5"},
					{"1p", "p: nothing to propose on this page — triage (t) suggests DR events"},
					{"3En", "n: a new DR event starts from a list, triage or a feeder's page"},
					{"5Ex", "x: only an event handing its chargers back can be extended"},
				} {
					runKeys(m, "XXX"+k.script)
					want := k.own
					switch {
					case c.ended:
						want = ended
					case c.role == RoleViewer && !strings.HasSuffix(k.script, "d"):
						want = viewer
					}
					want = m.tr.t(want)
					if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, want) {
						t.Errorf("%s %v %s ended=%v: %q says %q, want %q", lang, size, c.role, c.ended, k.script, strings.TrimSpace(foot), want)
					}
				}
			}
		}
	}
}
