package alarm

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// twoFeeders is a snapshot with feeders F06 and F08 (limit 4,000 kW) at
// the loadings given.
func twoFeeders(seq uint64, at time.Time, f06, f08 float64) *feeds.Snapshot {
	s := feederSnap(seq, at, f06)
	s.Feeders[0].ID = "F06"
	s.Feeders = append(s.Feeders, feeds.FeederState{
		FeederInfo: feeds.FeederInfo{ID: "F08", ImportLimitKW: 4000},
		Seen:       true, TS: at, KW: 40 * f08, LimitKW: 4000, LoadingPct: f08,
	})
	return s
}

// TestBoardWorstFirst: two HIGH loading alarms of equal priority listed
// the newer, milder F08 101% above F06 108% (newest first among equals);
// the alarms view lists the worst first, as the overview does.
func TestBoardWorstFirst(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	e.Observe(twoFeeders(1, t0, 108, 50))
	e.Observe(twoFeeders(2, t0.Add(time.Minute), 108, 101))
	ids := func() string {
		var out []string
		for _, a := range e.Board().Alarms {
			out = append(out, a.ID)
		}
		return strings.Join(out, " ")
	}
	if got, want := ids(), "loading/F06 loading/F08"; got != want {
		t.Fatalf("board %s, want %s (worst first)", got, want)
	}
	// Equal loading: the one that has waited longest first.
	e.Observe(twoFeeders(3, t0.Add(2*time.Minute), 104, 104))
	if got, want := ids(), "loading/F06 loading/F08"; got != want {
		t.Errorf("equal loading: board %s, want %s (longest waiting first)", got, want)
	}
	// The state still comes first: an acknowledged alarm sorts below an
	// unacknowledged milder one.
	if err := e.Ack("loading/F06", "ana"); err != nil {
		t.Fatal(err)
	}
	if got, want := ids(), "loading/F08 loading/F06"; got != want {
		t.Errorf("after ack: board %s, want %s", got, want)
	}
}

// TestWorseFirstHoldsBeforeReturned: among shelved alarms (one state), a
// condition that holds sorts before one that returned to normal; lost
// telemetry leads its priority.
func TestWorseFirstHoldsBeforeReturned(t *testing.T) {
	held := Alarm{ID: "loading/F01", Kind: KindLoading, Source: "F01", Severity: SevWarn, Priority: PriorityMedium, State: StateShelved, Active: true}
	gone := Alarm{ID: "loading/F02", Kind: KindLoading, Source: "F02", Severity: SevHigh, Priority: PriorityHigh, State: StateShelved}
	if WorseFirst(held, gone) >= 0 {
		t.Errorf("shelved: the returned HIGH sorts before the holding WARN")
	}
	feed := Alarm{ID: "stale_feed/feed", Kind: KindStaleFeed, Source: "feed", Severity: SevStale, Priority: PriorityHigh, State: StateUnack, Active: true}
	high := Alarm{ID: "loading/F03", Kind: KindLoading, Source: "F03", Severity: SevHigh, Priority: PriorityHigh, State: StateUnack, Active: true, Value: 140}
	if WorseFirst(feed, high) >= 0 {
		t.Errorf("a silent feed does not lead its priority")
	}
}
