package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Triage's "until 00:42" and the errors "it ends at …" and "already ended
// at …" read as the desk's today when the time was on another day: they
// carry the day mark the event titles have (eventSpan).
func TestTimesOnAnotherDayAreMarked(t *testing.T) {
	start := fixedNow.Truncate(time.Hour)
	// Three hours long: within triage's longest cap (suggestMaxLength),
	// so its own end shows.
	late := feeds.EventFrame{ID: "T-F07-1842", Kind: feeds.EventImportCap, Scope: "F07", KW: 3600, Start: fixedNow.Add(3 * time.Hour), End: fixedNow.Add(6 * time.Hour)}
	for _, c := range []struct {
		lang                                 string
		suggest, beyond, ended, invalidEnded string
	}{
		{"", "until 00:42 (+1 d)", "", "", ""},
		{"zh-CN", "直到 00:42 (+1 天)", "于 20:42 (+1 天) 结束", "已于 22:42 (−1 天) 结束", "已于 22:42 (−1 天) 结束 (车队时间 18:42)"},
	} {
		m, fx, _ := newTestModel(t, c.lang, 160, 45)
		// On a live feed: a simulated day ends at midnight, and a cap
		// past it says so instead (TestTriageSuggestionEndsWithTheDay).
		live := *fx.snap
		live.FeedMode = feeds.ModeLive
		m.opts.Mode = feeds.ModeLive
		m.Update(SnapshotMsg{Snapshot: &live})
		m.suggest = map[string]suggestion{"F07": {at: fixedNow, s: &control.Suggestion{Event: late, Pct: 95, Chargers: 4, ReduceKW: 40}}}
		if sg := ansi.Strip(strings.Join(m.suggestionLines("F07"), "\n")); !strings.Contains(sg, c.suggest) {
			t.Errorf("%q: triage's suggestion lacks %q:\n%s", c.lang, c.suggest, sg)
		}
		if c.lang == "" {
			continue // English errors are the planner's own, with dates
		}
		for _, e := range []struct {
			err  error
			want string
		}{
			{&plan.EventError{Event: "DR-1", Problem: plan.EventBeyondHorizon, Start: start, End: fixedNow.Add(26 * time.Hour), Ahead: 26 * time.Hour}, c.beyond},
			{&plan.EventError{Event: "DR-1", Problem: plan.EventAlreadyEnded, Start: start.Add(-24 * time.Hour), End: fixedNow.Add(-20 * time.Hour)}, c.ended},
			{&control.InvalidEventError{Event: "DR-1", Problem: control.InvalidEnded, Start: start.Add(-24 * time.Hour), End: fixedNow.Add(-20 * time.Hour), At: fixedNow}, c.invalidEnded},
		} {
			if got := m.drErrText(e.err); !strings.Contains(got, e.want) {
				t.Errorf("%q: %v reads %q, want %q in it", c.lang, e.err, got, e.want)
			}
		}
	}
}
