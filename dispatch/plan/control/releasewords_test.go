package control

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestReleaseWordsAreOneSource: the journal's notice of a forced release
// and of an extension read as they did, and a desk's, worded by the same
// functions with its own words, has the time left; every sentence goes
// through Words.T (a desk translating ReleaseFormats leaves no English).
// The desk kept its own copy of each sentence beside the journal's.
func TestReleaseWordsAreOneSource(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := time.Date(2024, 1, 18, 1, 0, 0, 0, loc)
	check := HandBack{Scope: "F10", PeakKW: 2058, PeakAt: at.Add(-15 * time.Minute), LimitKW: 1510}
	if got, want := ReleaseDueText(at, 4*time.Hour, check),
		"chargers will be released at 01:00 (the 4 h hand-back limit), though charging would take F10 to 2,058 kW (136%) at 00:45 (limit 1,510 kW)"; got != want {
		t.Errorf("journal notice %q, want %q", got, want)
	}
	if got, want := ExtendText(JournalWords(), time.Hour, at.Add(time.Hour), at),
		"hand-back extended by 1 h: chargers will be released at 02:00 at the latest (was 01:00)"; got != want {
		t.Errorf("journal extension %q, want %q", got, want)
	}
	desk := ReleaseDue{At: at, Hold: 4 * time.Hour, HandBack: check, Now: at.Add(-24*time.Minute - time.Second)}
	if got, want := desk.Text(JournalWords()), "chargers will be released at 01:00 (in 25 min), though charging would take F10 to 2,058 kW (136%) at 00:45 (limit 1,510 kW)"; got != want {
		t.Errorf("desk notice %q, want %q", got, want)
	}
	desk.Now, desk.HandBack = at, HandBack{}
	if got, want := desk.Text(JournalWords()), "chargers released at 01:00"; got != want {
		t.Errorf("desk notice at the release, no check: %q, want %q", got, want)
	}

	// Every sentence through T: marked, none left bare.
	words := JournalWords()
	known := map[string]bool{}
	for _, f := range append(ReleaseFormats(), WhyFormats()...) {
		known[f] = true
	}
	words.T = func(s string) string {
		if !known[s] {
			t.Errorf("T(%q): not in ReleaseFormats or WhyFormats", s)
		}
		return "«" + s + "»"
	}
	system := HandBack{Scope: feeds.ScopeSystem, PeakKW: 4100, PeakAt: at, LimitKW: 4000}
	for _, s := range []string{
		ReleaseDue{At: at, Hold: 4 * time.Hour, HandBack: system}.Text(words),
		ReleaseDue{At: at, Hold: 4 * time.Hour, HandBack: system, Now: at.Add(-time.Minute)}.Text(words),
		ReleaseDue{At: at, Now: at}.Text(words),
		ExtendText(words, time.Hour, at, time.Time{}),
		ExtendText(words, time.Hour, at, at.Add(-time.Hour)),
	} {
		if !strings.HasPrefix(s, "«") {
			t.Errorf("%q: a sentence not handed to T", s)
		}
	}
}
