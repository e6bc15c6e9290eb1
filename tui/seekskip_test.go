package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestSeekPastSetpointsSaysTheEventRanUnmanaged: with a DR event in force
// whose setpoints end at 19:02, a :seek to 19:30 re-enacts 19:02-19:30
// without them (the controller plans again only at the target), and F10
// then read over its cap for no reason a presenter could see. The seek now
// says so; a seek within the setpoints' validity, or with no event in
// force, says only where it went.
func TestSeekPastSetpointsSaysTheEventRanUnmanaged(t *testing.T) {
	for _, c := range []struct {
		lang, to string
		events   int
		want     string // "" : no warning
	}{
		{"", "19:30", 1, "△ T-F10 unmanaged 19:02–19:30: setpoints expired in the skip"},
		{"zh-CN", "19:30", 1, "△ T-F10 在 19:02–19:30 未受控：设定值在跳过期间到期"},
		{"", "20:30", 1, "△ T-F10 unmanaged 19:02–20:00: setpoints expired in the skip"}, // the event ends at 20:00
		{"", "19:30", 2, "△ 2 events unmanaged from 19:02: setpoints expired in the skip"},
		{"", "19:00", 1, ""}, // within the validity
		{"", "19:30", 0, ""}, // no event in force
	} {
		m, _, ctl := newTestModel(t, c.lang, 160, 45)
		start := fixedNow.Add(-time.Hour)
		for i := range c.events {
			id := []string{"T-F10", "T-F06"}[i]
			ev := feeds.EventFrame{ID: id, Kind: feeds.EventImportCap, Scope: "F10", KW: 1435, Start: start, End: fixedNow.Add(78 * time.Minute)}
			m.dr = append(m.dr, control.EventView{Event: ev, State: control.StateActive, Decided: start,
				Progress: control.Progress{Sends: 2, Holding: 80, ValidUntil: fixedNow.Add(time.Duration(20+5*i) * time.Minute)}})
		}
		cmd := m.seek(c.to)
		if cmd == nil {
			t.Fatalf("%q seek %s: refused: %s", c.lang, c.to, m.flash)
		}
		msg, ok := cmd().(controlMsg)
		if !ok || msg.err != nil {
			t.Fatalf("%q seek %s: %#v", c.lang, c.to, msg)
		}
		if len(ctl.sought) != 1 || ctl.sought[0].In(m.loc()).Format("15:04") != c.to {
			t.Errorf("%q seek %s: the control was asked for %v", c.lang, c.to, ctl.sought)
		}
		m.Update(msg)
		footer := ansi.Strip(m.View())
		switch {
		case c.want == "" && strings.Contains(msg.text, "△"):
			t.Errorf("%q seek %s with %d events: warned %q", c.lang, c.to, c.events, msg.text)
		case c.want != "" && !strings.Contains(msg.text, c.want):
			t.Errorf("%q seek %s with %d events: %q, want %q in it", c.lang, c.to, c.events, msg.text, c.want)
		case c.want != "" && !strings.Contains(footer, c.want):
			t.Errorf("%q seek %s: the screen lacks %q:\n%s", c.lang, c.to, c.want, footer)
		}
	}
}
