package alarm

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// bigCatchUp is a seek over an evening of n chargers that each lost
// communication for a while, and three feeders overloaded.
func bigCatchUp(n int) CatchUp {
	from := time.Date(2024, 1, 17, 16, 0, 0, 0, time.UTC)
	c := CatchUp{N: 1, From: from, To: from.Add(4 * time.Hour)}
	for _, f := range []string{"F06", "F08", "F10"} {
		c.Missed = append(c.Missed, Missed{Kind: KindLoading, Source: f, Feeder: f, Severity: SevHigh,
			Value: 115, First: from.Add(10 * time.Minute), Last: from.Add(40 * time.Minute)})
	}
	for i := range n {
		c.Missed = append(c.Missed, Missed{Kind: KindCommLost, Source: fmt.Sprintf("CP-%06d", i+1), Feeder: "F01",
			Severity: SevHigh, First: from.Add(time.Hour), Last: from.Add(2 * time.Hour)})
	}
	return c
}

// At 100,000 EVs a catch-up misses as many comm_lost conditions: the log
// line named each and ran to about 7 MB. It now counts them by kind and
// names the first MaxListed, then how many more.
func TestCatchUpLogLineIsCapped(t *testing.T) {
	var logged bytes.Buffer
	e := NewEngine(Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	e.logCatchUp(bigCatchUp(100_000), time.UTC)
	line := logged.String()
	if strings.Count(line, "\n") != 1 {
		t.Fatalf("logged %d lines, want one", strings.Count(line, "\n"))
	}
	t.Logf("log line of 100,003 conditions: %d bytes", len(line))
	if len(line) > 4096 {
		t.Fatalf("the catch-up's log line is %d bytes, want at most 4096 (it starts %.200q)", len(line), line)
	}
	for _, want := range []string{
		`counts="comm_lost 100000, loading 3"`,
		"loading/F06 HIGH 16:10..16:40 115",
		"comm_lost/CP-000017 HIGH 17:00..18:00 0; and 99983 more",
		"overloads=3 feeders=F06,F08,F10",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q\nwants %q", line, want)
		}
	}
	if strings.Contains(line, "CP-000018") {
		t.Errorf("log line names CP-000018, past the first %d conditions: %q", MaxListed, line)
	}
}

// A small catch-up is named whole, as before: no "and N more".
func TestCatchUpDigestSmallNamesEach(t *testing.T) {
	c := bigCatchUp(2)
	d := c.Digest(nil, 0)
	want := "loading/F06 HIGH 16:10..16:40 115; loading/F08 HIGH 16:10..16:40 115; loading/F10 HIGH 16:10..16:40 115; " +
		"comm_lost/CP-000001 HIGH 17:00..18:00 0; comm_lost/CP-000002 HIGH 17:00..18:00 0"
	if d.Listed != want || d.More != 0 || d.Counts != "comm_lost 2, loading 3" {
		t.Errorf("digest %+v, want listed %q, counts \"comm_lost 2, loading 3\", no more", d, want)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	if d := c.Digest(shanghai, 1); d.Listed != "loading/F06 HIGH 00:10..00:40 115; and 4 more" || d.More != 4 {
		t.Errorf("digest in +08:00 naming one: %+v, want \"loading/F06 HIGH 00:10..00:40 115; and 4 more\"", d)
	}
}

// The feeders an overload was on are capped too: a site of hundreds.
func TestListIDsCaps(t *testing.T) {
	if got := ListIDs([]string{"F1", "F2", "F3"}, 2); got != "F1,F2 and 1 more" {
		t.Errorf("ListIDs(3, 2) = %q, want \"F1,F2 and 1 more\"", got)
	}
	if got := ListIDs([]string{"F1", "F2"}, 2); got != "F1,F2" {
		t.Errorf("ListIDs(2, 2) = %q, want \"F1,F2\"", got)
	}
}
