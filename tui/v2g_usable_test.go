package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestV2GBoxSaysWhatItCounts: during a link loss the V2G box read "0
// plugged" (it counts the EVs usable now: fresh, plugged, neither faulted
// nor offline) beside feeder rows giving 163 EVs (every plugged charger,
// stale or not). Where the two differ the box says how many of the plugged
// EVs it counts, in the wide box and the compact line, within its width;
// where they agree it reads as before. In English and zh-CN.
func TestV2GBoxSaysWhatItCounts(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m, fx, _ := newTestModel(t, lang, size[0], size[1])
			tr := m.tr.t
			all := 0
			for _, f := range fx.snap.Feeders {
				all += f.Plugged
			}
			// Every plugged EV usable: the box reads as it always did.
			agree := *fx.snap
			agree.V2G.Plugged = all
			m.Update(SnapshotMsg{Snapshot: &agree})
			screen := ansi.Strip(m.View())
			plain := fmt.Sprintf(tr("%s plugged"), thousands(int64(all)))
			if size[0] >= 100 {
				plain = thousands(int64(all)) + " " + tr("EVs plugged")
			}
			if !strings.Contains(screen, plain) || strings.Contains(screen, strings.Fields(strings.ReplaceAll(tr("%s usable of %s plugged"), "%s", ""))[0]) {
				t.Errorf("%q %v: every plugged EV usable, want %q and no usable count in\n%s", lang, size, plain, screen)
			}
			// The link lost: every charger stale, none usable, still plugged.
			lost := *fx.snap
			lost.V2G = feeds.V2GCapacity{}
			m.Update(SnapshotMsg{Snapshot: &lost})
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			screen = ansi.Strip(m.View())
			want := fmt.Sprintf(tr("%s usable of %s EVs plugged · %s V2G-capable"), "0", thousands(int64(all)), "0")
			if size[0] < 100 {
				want = fmt.Sprintf(tr("%s usable of %s plugged"), "0", thousands(int64(all)))
			}
			if !strings.Contains(screen, want) {
				t.Errorf("%q %v: the V2G box does not say what it counts; want %q in\n%s", lang, size, want, screen)
			}
			for _, l := range strings.Split(screen, "\n") {
				if width(l) > size[0] {
					t.Errorf("%q %v: a line is %d cells wide: %q", lang, size, width(l), l)
				}
			}
		}
	}
}
