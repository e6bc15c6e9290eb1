package alarm

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestCatchUpLogInSiteTime: the catch-up's log line gives its span and
// each condition in the site's time, as the alarms page and the journal
// do; the times came in UTC (a feed's data, the simulator's clock) and the
// line read 04:21 for F10's warning of 12:21 at a site in Asia/Shanghai.
func TestCatchUpLogInSiteTime(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	e := NewEngine(Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	utc := func(h, m int) time.Time { return time.Date(2024, 1, 17, h, m, 0, 0, time.UTC) }
	e.logCatchUp(CatchUp{N: 1, From: utc(4, 0), To: utc(8, 0), Missed: []Missed{
		{Kind: KindLoading, Source: "F10", Severity: SevWarn, First: utc(4, 21), Last: utc(6, 59), Value: 97},
	}}, shanghai)
	for _, want := range []string{"from=2024-01-17T12:00:00+08:00", "to=2024-01-17T16:00:00+08:00", "loading/F10 WARN 12:21..14:59 97"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("log %q lacks %q", logged.String(), want)
		}
	}
	logged.Reset()
	e.logCatchUp(CatchUp{N: 2, From: utc(4, 0), To: utc(8, 0)}, nil)
	if !strings.Contains(logged.String(), "from=2024-01-17T04:00:00Z") {
		t.Errorf("log %q: without a zone, want UTC", logged.String())
	}
}
