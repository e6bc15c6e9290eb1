package tui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// On a merged desk (a feed beside an OCPP central system) the merged link
// is up while any source is; the header must still say that one is down
// and which, at 160 columns, and count it at 80.
func TestHeaderNamesASourceThatIsDown(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	links := []feeds.SourceLink{
		{Name: "feed ws://scada/v1", Up: true},
		{Name: "adapter depot-ocpp", Up: false, Err: errors.New("connection reset")},
	}
	opts.Sources = func() []feeds.SourceLink { return links }
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	head := func() string { return ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0]) }
	if got := head(); !strings.Contains(got, "◐ 1 of 2 up (adapter depot-ocpp down)") {
		t.Errorf("160 columns: header does not name the source that is down:\n%s", got)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := head(); !strings.Contains(got, "◐ 1 of 2 up") || ansi.StringWidth(got) > 80 {
		t.Errorf("80 columns: header does not count the sources up, or overflows:\n%s", got)
	}
	links[1].Up = true
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	if got := head(); !strings.Contains(got, "● up") || strings.Contains(got, "of 2 up") {
		t.Errorf("every source up: header should read plainly up:\n%s", got)
	}
	links[0].Up, links[1].Up = false, false
	if got := head(); !strings.Contains(got, "○ 0 of 2 up") {
		t.Errorf("no source up:\n%s", got)
	}
}
