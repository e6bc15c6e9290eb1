package main

import (
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestStartMidDayDatesAlarms: `serve --scenario demo --start 17:30`. The
// overloads on at the start began before it (F10 16:26, F11 16:33, by the
// simulator's backfilled minute history), and the on-call engineer read
// 17:30 as their first time: at 80 columns the list dropped "first" and
// kept "last" (17:30, the arrival). Every session's alarms page, English at
// 160x45 and zh-CN at 80x24, shows each one's first time from the history
// beside its last.
func TestStartMidDayDatesAlarms(t *testing.T) {
	// Without --journal the desk journals to a file of its own in the
	// temporary directory, and leaves it there: the test's, not /tmp.
	t.Setenv("TMPDIR", t.TempDir())
	quiet := slog.New(slog.DiscardHandler)
	in, err := openIngest(ingestOptions{scenario: "demo", start: "17:30", speed: 1}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	// A journal of the test's own: without one a simulated desk writes a
	// new one in the temporary directory and leaves it there.
	desk, err := startDesk(in, deskOptions{journal: filepath.Join(t.TempDir(), "audit.jsonl")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	en := catchUpSession(t, in, desk, "", 160, 45)
	zh := catchUpSession(t, in, desk, "zh-CN", 80, 24)
	untilCatchUp(t, snaps, desk, 1, en, zh)
	loc := desk.fleet.Snapshot().Location
	first := map[string]string{}
	for _, a := range desk.alarms.Board().Alarms {
		if a.Kind == alarm.KindLoading && a.Active {
			first[a.Source] = a.First.In(loc).Format("15:04")
		}
	}
	if first["F10"] != "16:26" || first["F11"] != "16:33" {
		t.Fatalf("loading alarms first %v, want F10 16:26 and F11 16:33 (from the history, not the 17:30 start)", first)
	}
	for _, tc := range []struct {
		name string
		row  *regexp.Regexp
	}{
		{"English 160x45", regexp.MustCompile(`F10 loading\s+\d+%\s+UNACK\s+16:26 17:3\d`)},
		{"zh-CN 80x24", regexp.MustCompile(`F10 负载率\s+\d+%\s+未确认\s+16:26 17:3\d`)},
	} {
		m := en
		if strings.HasPrefix(tc.name, "zh") {
			m = zh
		}
		typeKeys(m, "4")
		if screen := m.View(); !tc.row.MatchString(screen) {
			t.Errorf("%s: the alarms page lacks F10's row with first 16:26 and last 17:3x:\n%s", tc.name, screen)
		}
	}
}
