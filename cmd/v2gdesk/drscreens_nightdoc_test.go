package main

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestNightRunbookFiguresAreTheScreens: docs/operations.md, "Overload at
// night", quotes triage's suggestion and the preview's split line at 23:15 on
// the demo day, beside their pictures. The pictures had been drawn again and
// the text still read −241 kW, 219 kW and 22 kW where the screens said −242,
// 217 and 25. Each figure the page quotes is on the screen it describes.
func TestNightRunbookFiguresAreTheScreens(t *testing.T) {
	doc := strings.Join(strings.Fields(docstest.Read(t, "docs/operations.md").Text), " ")

	d := newDRDesk(t, 23*time.Hour+15*time.Minute, tui.RoleDispatcher)
	d.keys(runes("t"))
	triage := strings.Join(strings.Fields(stripANSI(d.m.View())), " ")
	d.keys(runes("p"))
	preview := strings.Join(strings.Fields(stripANSI(d.m.View())), " ")

	for _, c := range []struct{ screen, onScreen, inDoc string }{
		{triage, "cap F10 at 95% until 00:00, the day's end (planned to 00:30) → 77 chargers, −242 kW, 1 EV short",
			"*cap F10 at 95% until 00:00, the day's end (planned to 00:30) → 77 chargers, −242 kW, 1 EV short*"},
		{preview, "of which a plan without the event (prices, limits): F10 −217 kW · the event itself: −25 kW, cost +¥0",
			"would take 217 kW off F10 now, and the cap itself 25 kW more, at no cost"},
	} {
		if !strings.Contains(c.screen, c.onScreen) {
			t.Errorf("the screen lacks %q:\n%s", c.onScreen, c.screen)
		}
		if !strings.Contains(doc, c.inDoc) {
			t.Errorf("docs/operations.md does not say %q", c.inDoc)
		}
	}
}
