package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestStatusJudgesTheMinuteUnderWayByTheLatestFigure: F1 seen at 102.5 %
// in one minute and at 98.5 % in the next is ▲ HIGH, whether status looks
// in that minute or in the first seconds of the one after, before any
// figure of it has come. It read the minute under way as a minute without
// data, which reset the level: △ WARN once a minute had turned
// (TestStatusJudgesAsTheDesk failed so when the wall clock's minute turned
// between its feed's figures and its --json run).
func TestStatusJudgesTheMinuteUnderWayByTheLatestFigure(t *testing.T) {
	m0 := time.Date(2024, 2, 4, 10, 0, 0, 0, time.UTC)
	feeder := func(id string, at time.Time, kw float64) string {
		return fmt.Sprintf(`{"v":1,"type":"feeder","id":%q,"ts":%q,"kw":%g}`, id, at.Format(time.RFC3339), kw)
	}
	batch := []byte(batchOf(testHello,
		feeder("F1", m0.Add(-time.Minute), 410), // 102.5 %
		feeder("F2", m0.Add(-time.Minute), 98.5),
		feeder("F1", m0.Add(20*time.Second), 394), // 98.5 %
	))
	for _, look := range []time.Duration{30 * time.Second, time.Minute + 100*time.Millisecond, 2*time.Minute + 59*time.Second} {
		now := m0.Add(look)
		clock := func() time.Time { return now }
		fl := feeds.NewFleet(feeds.FleetOptions{Clock: clock, Wall: clock})
		fl.HandleFrame(batch)
		rep := newStatusReport("ws://test/feed", time.Second, fl.Snapshot())
		if len(rep.Feeders) != 2 {
			t.Fatalf("at %s: %d feeders, want 2", now.Format("15:04:05.000"), len(rep.Feeders))
		}
		if f1 := rep.Feeders[0]; f1.Level != "HIGH" || f1.DeskMayHold != "" {
			t.Errorf("at %s: F1 seen at 102.5 %% then 98.5 %%: level %q, desk may hold %q; want HIGH, as the desk holds it",
				now.Format("15:04:05.000"), f1.Level, f1.DeskMayHold)
		}
		if f2 := rep.Feeders[1]; f2.Level != "WARN" || f2.DeskMayHold != "HIGH" {
			t.Errorf("at %s: F2 seen only at 98.5 %%: level %q, desk may hold %q; want WARN, HIGH",
				now.Format("15:04:05.000"), f2.Level, f2.DeskMayHold)
		}
	}
}

// TestMinutesUpTo: the history's minutes up to the latest figure's own,
// none when the figure is older than the history.
func TestMinutesUpTo(t *testing.T) {
	at := time.Date(2024, 2, 4, 10, 0, 0, 0, time.UTC)
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return at }})
	fl.HandleFrame([]byte(testHello))
	h := fl.Snapshot().Feeders[0].History
	last := h.Start().Add(time.Duration(h.Len()-1) * time.Minute)
	for _, tt := range []struct {
		ts   time.Time
		want int
	}{
		{h.Start().Add(-time.Second), 0},
		{h.Start(), 1},
		{h.Start().Add(59 * time.Second), 1},
		{h.Start().Add(time.Minute), 2},
		{last.Add(-time.Second), h.Len() - 1},
		{last.Add(30 * time.Second), h.Len()},
		{last.Add(time.Hour), h.Len()}, // ahead of the clock: the whole history
	} {
		if got := minutesUpTo(h, tt.ts); got != tt.want {
			t.Errorf("minutesUpTo(history from %s, %s) = %d, want %d", h.Start().Format(time.RFC3339), tt.ts.Format(time.RFC3339), got, tt.want)
		}
	}
}
