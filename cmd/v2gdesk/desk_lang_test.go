package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay"
)

// TestDeskLinesInItsLanguage: what the desk itself prints for a person as
// the dashboard starts or ends (no terminal, a recording quit before it
// was read to its end, the DR events quitting cancelled, the journal and
// the warnings' file it leaves, a recording that stopped early) reads in the desk's --lang: no English word but ids, figures,
// paths and the commands to type; the English desk's lines are unchanged.
func TestDeskLinesInItsLanguage(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	lines := func(lang string) map[string]string {
		out := map[string]string{}
		var b bytes.Buffer
		runDesk(context.Background(), []string{"--scenario", "demo", "--lang", lang, "--journal", filepath.Join(dir, "audit-"+lang+".jsonl")}, io.Discard, &b)
		out["no terminal"] = b.String()
		b.Reset()
		tellJournal(&b, lang, "/tmp/audit.jsonl", true)
		out["journal"] = b.String()
		b.Reset()
		tellJournal(&b, lang, "/tmp/audit.jsonl", false)
		out["journal, no sending"] = b.String()
		b.Reset()
		tellCancelled(&b, lang, []string{"T-F10-1842", "OP-1"})
		out["cancelled"] = b.String()
		b.Reset()
		log, done := fileLog(&b, lang, &slog.HandlerOptions{Level: slog.LevelWarn})
		log.Warn("feed gap")
		done()
		out["warnings"] = b.String()
		b.Reset()
		tellStoppedEarly(&b, lang, "day.v2grec", replay.Report{Stopped: true, StopLine: 7, StopOffset: 900, Cause: io.ErrUnexpectedEOF, Frames: 6})
		out["stopped early"] = b.String()
		b.Reset()
		tellNotRead(&b, lang, "day.v2grec", 5120, time.Date(2024, 1, 17, 14, 5, 0, 0, time.UTC))
		out["not read"] = b.String()
		return out
	}
	// What the Chinese lines may keep in Latin letters: the commands and
	// flags to type, paths, and the error the reader met (errors stay
	// English, as the log has them).
	keep := strings.NewReplacer("`v2gdesk status --feed URL`", "", "`v2gdesk replay FILE --headless`", "",
		"`v2gdesk audit --journal /tmp/audit.jsonl`", "", "unexpected EOF", "", "MB", "", "v2gdesk replay:", "", dir, "", "/tmp/audit.jsonl", "")
	for what, l := range lines("zh-CN") {
		if l == "" {
			t.Errorf("zh-CN %s: nothing printed", what)
			continue
		}
		if bad := untranslated(keep.Replace(l), nil); len(bad) > 0 {
			t.Errorf("zh-CN %s: English %q in %q", what, bad, l)
		}
	}
	en := lines("en")
	for what, want := range map[string]string{
		"no terminal":         "v2gdesk: the dashboard needs a terminal; for scripts use `v2gdesk status --feed URL` or `v2gdesk replay FILE --headless`\n",
		"journal":             "v2gdesk: operator actions and setpoints sent are in the audit journal /tmp/audit.jsonl (read it with `v2gdesk audit --journal /tmp/audit.jsonl`)\n",
		"journal, no sending": "v2gdesk: operator actions are in the audit journal /tmp/audit.jsonl (read it with `v2gdesk audit --journal /tmp/audit.jsonl`); this desk sends no setpoints\n",
		"cancelled":           "v2gdesk: quitting cancelled the DR events in force: T-F10-1842, OP-1 (their chargers released where the adapter can; the rest expire at their validity)\n",
		"warnings":            "v2gdesk: warnings were logged to " + dir + "/v2gdesk-",
		"stopped early":       "day.v2grec: the file stopped early at line 7 (byte 900 of the decompressed stream): unexpected EOF; the 6 frames before it were played\n",
		"not read":            "day.v2grec: the dashboard ended before the file was read to its end (5120 frames read, to 14:05); the rest was not checked\n",
	} {
		if !strings.HasPrefix(en[what], want) {
			t.Errorf("en %s: %q, want %q", what, en[what], want)
		}
	}
}
