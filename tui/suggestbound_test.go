package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageSuggestionIsBounded: on a live desk a triage suggestion ran 12
// hours, 22:32 to 10:32 the next day, as long as the forecast of the EVs
// plugged in now stayed over the cap. Triage offers at most
// suggestMaxLength, says so with the planned end beside it, and p
// proposes that bounded cap. A shorter one keeps its end. English and
// zh-CN, 160x45 and 80x24.
func TestTriageSuggestionIsBounded(t *testing.T) {
	cases := []struct{ lang, want string }{
		{"", "until 22:42, 4 h at most, then suggested anew (planned to 06:42 (+1 d))"},
		{"zh-CN", "22:42（最长 4 小时，届时重新建议；计划至 06:42 (+1 天)）"},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			for _, long := range []bool{true, false} {
				fx := demo(t)
				opts, _ := testOptions(fx, tc.lang)
				opts.Mode = feeds.ModeLive
				ctl := newDRController(t, fx, nil)
				opts.Dispatch = ctl
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				end := fx.snap.At.Add(2 * time.Hour)
				if long {
					end = fx.snap.At.Add(12 * time.Hour)
				}
				m.suggest = map[string]suggestion{"F07": {at: fx.snap.At, s: &control.Suggestion{
					Event: feeds.EventFrame{ID: "T-F07-1842", Kind: feeds.EventImportCap, Scope: "F07", Start: fx.snap.At, End: end, KW: 3800},
					Pct:   95, Chargers: 12, ReduceKW: 180,
				}}}
				runKeys(m, "t")
				s := ansi.Strip(m.View())
				flat := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
				has := strings.Contains(flat, strings.Join(strings.Fields(tc.want), " "))
				switch {
				case long && !has:
					t.Errorf("%s %dx%d: a 12 h suggestion lacks %q:\n%s", tc.lang, sz.w, sz.h, tc.want, s)
				case !long && (has || !strings.Contains(flat, "20:42")):
					t.Errorf("%s %dx%d: a 2 h suggestion lost its end 20:42 or says it was bounded:\n%s", tc.lang, sz.w, sz.h, s)
				}
				runKeys(m, "p")
				v, ok := ctl.Event("T-F07-1842")
				want := end
				if long {
					want = fx.snap.At.Add(suggestMaxLength)
				}
				if !ok || !v.Event.End.Equal(want) {
					t.Errorf("%s %dx%d: p proposed %+v (found %v), want it to end at %s", tc.lang, sz.w, sz.h, v.Event, ok, want)
				}
			}
		}
	}
}

// TestSuggestionBoundGrace: the 4-hour bound trimmed a plan ending just
// past it, "until 22:30, 4 h at most, then suggested anew (planned to
// 22:45)". A plan ending within suggestGrace past the bound is offered
// whole; one ending later is still cut to suggestMaxLength.
func TestSuggestionBoundGrace(t *testing.T) {
	start := time.Date(2026, 11, 26, 18, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		length, want time.Duration
		bounded      bool
	}{
		{2 * time.Hour, 2 * time.Hour, false},
		{4 * time.Hour, 4 * time.Hour, false},
		{4*time.Hour + 15*time.Minute, 4*time.Hour + 15*time.Minute, false},
		{5 * time.Hour, 5 * time.Hour, false},
		{5*time.Hour + 15*time.Minute, 4 * time.Hour, true},
		{12 * time.Hour, 4 * time.Hour, true},
	} {
		ev, planned := boundedSuggestion(feeds.EventFrame{Start: start, End: start.Add(tc.length)})
		if got := ev.End.Sub(start); got != tc.want {
			t.Errorf("a %v plan is offered for %v, want %v", tc.length, got, tc.want)
		}
		if tc.bounded != !planned.IsZero() || (tc.bounded && !planned.Equal(start.Add(tc.length))) {
			t.Errorf("a %v plan: planned end %v, want bounded %v with the planned end", tc.length, planned, tc.bounded)
		}
	}
}
