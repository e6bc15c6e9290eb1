package main

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// TestCommandSingularCounts: the commands' lines counted one thing in the
// plural: "1 frames rejected", "1 chargers held on stale data", "1
// conflated set … (1 frames left out)", "none of its 1 lines is a journal
// record". With a count of one each is singular; with two, plural as
// before. (archive's and audit's are held in TestArchiveCommand, the sim's
// last line by its own tests.)
func TestCommandSingularCounts(t *testing.T) {
	onePlural := regexp.MustCompile(`\b1 (chargers|frames|lines|EVs)\b|none of its 1 |1 frame before it were`)
	file := filepath.Join(t.TempDir(), "j.jsonl")
	for n := 1; n <= 2; n++ {
		corrupt := make([]adapters.CorruptLine, n)
		for i := range corrupt {
			corrupt[i] = adapters.CorruptLine{Line: i + 1, Err: errors.New("not JSON")}
		}
		var stopped, notRead bytes.Buffer
		tellStoppedEarly(&stopped, "en", "day.v2grec", replay.Report{Stopped: true, Cause: io.ErrUnexpectedEOF, StopLine: n + 2, Frames: n})
		tellNotRead(&notRead, "en", "day.v2grec", n, time.Date(2024, 1, 17, 17, 13, 0, 0, time.UTC))
		lines := map[string]string{
			"stopped early": stopped.String(),
			"not read":      notRead.String(),
			"feed wait":     feedWaitText(feeds.FeedStats{Rejects: map[feeds.RejectReason]uint64{"no_topology": uint64(n)}, LastReject: "no_topology"}),
			"conflated":     conflatedText(sim.ServerStats{Sets: 1, Conflated: uint64(n)}),
			"chargers":      chargersText(n),
			"not a journal": notJournalWhy(file, adapters.ScanReport{Corrupt: corrupt}),
		}
		for name, s := range lines {
			if onePlural.MatchString(s) {
				t.Errorf("n=%d %s: %q counts one in the plural", n, name, s)
			}
			if n == 2 && !regexp.MustCompile(`\b2 (chargers|frames|lines)\b`).MatchString(s) {
				t.Errorf("n=2 %s: %q, want the plural", name, s)
			}
		}
	}
}
