package replay_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// fleetLines writes out what a dashboard shows of a fleet snapshot, one
// entity per line: site and totals, every feeder with its load history from
// from to to (minute by minute), the system history, every charger's latest
// frame, staleness and ack, and the events. Feed statistics are left out:
// they count what was delivered, not the state.
func fleetLines(tb testing.TB, s *feeds.Snapshot, from, to time.Time) []string {
	tb.Helper()
	from = from.Truncate(time.Minute)
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}
	out := []string{
		fmt.Sprintf("site %q topology %v mode %q at %s", s.Site, s.HaveTopology, s.FeedMode, s.At.UTC().Format(time.RFC3339)),
		fmt.Sprintf("system %+v states %v unknown %d stale %d/%d v2g %+v", s.System, s.States, s.Unknown, s.StaleChargers, s.StaleFeeders, s.V2G),
		fmt.Sprintf("system history %v", s.SystemHistory().Range(from, to)),
	}
	for _, f := range s.Feeders {
		h := f.History
		f.History = feeds.History{}
		out = append(out, fmt.Sprintf("feeder %+v", f), fmt.Sprintf("feeder %s history %v", f.ID, h.Range(from, to)))
	}
	for i := range s.NumChargers() {
		c := s.ChargerAt(i)
		out = append(out, fmt.Sprintf("charger %s seen %v stale %v last %s ack %s", c.ID, c.Seen, c.Stale, js(c.Last), js(c.LastAck)))
	}
	for _, e := range s.Events {
		out = append(out, "event "+js(e))
	}
	return out
}

// compareFleets fails tb, naming the first few differences, unless got and
// want show the same (fleetLines) from from to to.
func compareFleets(tb testing.TB, what string, got, want *feeds.Snapshot, from, to time.Time) {
	tb.Helper()
	g, w := fleetLines(tb, got, from, to), fleetLines(tb, want, from, to)
	if len(g) != len(w) {
		tb.Errorf("%s: %d lines of state, want %d", what, len(g), len(w))
	}
	shown := 0
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] && shown < 3 {
			tb.Errorf("%s: state line %d differs:\n got %.600s\nwant %.600s", what, i, g[i], w[i])
			shown++
		}
	}
}
