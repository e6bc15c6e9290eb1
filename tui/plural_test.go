package tui

import (
	"regexp"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// onePlural finds a count of one before a plural noun: "1 setpoints",
// "1 of 1 chargers", "the 1 others".
var onePlural = regexp.MustCompile(`\b1 (of 1 )?(setpoints|chargers|EVs|feeders|lines|frames|others)\b|\b1 of \d+ feeders are\b`)

// TestSingularCounts: the desk's messages counted one thing in the plural,
// "this adapter cannot release: 1 setpoints expire at their validity",
// "1 of 3 feeders are under 90% of their limit", "the 1 others". With a
// count of one each says it in the singular; with two, in the plural as
// before. (zh-CN has no plural: both forms translate alike,
// TestTranslationsComplete.)
func TestSingularCounts(t *testing.T) {
	m, fx, _ := newTestModel(t, "", 160, 45)
	cases := func(n int) map[string]string {
		err := func(e error) string { s, _ := m.controlErrText(e); return s }
		// One feeder, n EVs plugged (a fresh slice: the fixture's is
		// shared by every test).
		wide := *fx.snap
		wide.V2G.Plugged = n
		wide.Feeders = []feeds.FeederState{{Plugged: n}}
		mw := *m
		mw.snap = &wide
		narrow := wide
		narrow.V2G.Plugged = 0
		mn := *m
		mn.snap = &narrow
		return map[string]string{
			"unsent":      err(&control.UnsentError{Plan: 2, Unsent: n, Total: n}),
			"not applied": err(&control.NotAppliedError{Plan: 2, Failed: n, Total: n}),
			"released":    err(&control.ReleaseError{Failed: n, Total: n}),
			"triage ok":   m.triageOKLines(triageUnjudged{judged: n, total: n + 2, stale: []string{"F01", "F02"}})[0],
			"cancel":      m.cancelHint("DR-1", control.Progress{Unreleasable: n, Holding: n}),
			"v2g plugged": mw.v2gPluggedWide(80),
			"v2g usable":  mn.v2gPluggedWide(80),
			"routes": m.unroutedLine(unroutedPlan{ids: []string{"CP-0001", "CP-0002"}[:n], total: n + 3, changing: 1,
				routedChanging: 1}),
		}
	}
	for name, s := range cases(1) {
		if onePlural.MatchString(s) {
			t.Errorf("%s: a count of one in the plural: %q", name, s)
		}
	}
	for name, s := range cases(2) {
		if name != "v2g usable" && name != "v2g plugged" && !regexp.MustCompile(`\b2 (of \d+ )?(setpoints|chargers|EVs|feeders|others)\b`).MatchString(s) {
			t.Errorf("%s: a count of two, want the plural: %q", name, s)
		}
	}
}
