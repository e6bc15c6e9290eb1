package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestLocalOperatorNameTranslated: the local desk names nobody, so its
// operator is "local"; a zh-CN desk showed that English word as who
// acknowledged an alarm and who proposed an event. On screen it is in the
// desk's language; the alarm engine and the DR workflow (and so the
// journal) keep "local".
func TestLocalOperatorNameTranslated(t *testing.T) {
	for _, tc := range []struct{ lang, name string }{
		{"", "local"},
		{"zh-CN", "本地"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			name := fmt.Sprintf("%s %dx%d", tc.lang, sz[0], sz[1])
			fx := demo(t)
			ctl := newDRController(t, fx, nil)
			ev := feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F07", Start: fx.snap.At, End: fx.snap.At.Add(60 * 60e9), KW: 3000}
			opts, _ := testOptions(fx, tc.lang)
			opts.Operator, opts.Dispatch = "", ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			if _, err := ctl.Propose(ev, control.OriginOperator, m.actor()); err != nil {
				t.Fatal(err)
			}
			m.Update(drChangedMsg{})

			pressViewing(m, "4a") // acknowledge the worst alarm, F07's
			if a, ok := m.alarms.Board().Find("loading/F07"); !ok || a.AckedBy != "local" {
				t.Fatalf("%s: F07's alarm acknowledged by %q, want the record to keep \"local\"", name, a.AckedBy)
			}
			screens := map[string]string{"alarms": ansi.Strip(m.View())}
			pressViewing(m, "5")
			screens["events"] = ansi.Strip(m.View())
			for view, screen := range screens {
				if tc.lang != "" && strings.Contains(screen, "local") {
					t.Errorf("%s %s: \"local\" on a zh-CN screen:\n%s", name, view, screen)
				}
				if view == "events" && sz[0] < 160 {
					continue // no proposer column at 80
				}
				var row string
				for _, l := range strings.Split(screen, "\n") {
					if strings.Contains(l, "F07") && strings.Contains(l, tc.name) {
						row = l
					}
				}
				if row == "" {
					t.Errorf("%s %s: F07's row does not name the operator %q:\n%s", name, view, tc.name, screen)
				}
			}
		}
	}
}
