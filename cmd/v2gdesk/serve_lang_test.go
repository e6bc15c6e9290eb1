package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// `v2gdesk serve --lang zh-CN` prints its start-up line, its *stopped*
// and the journal line after it in English, which a Chinese on-call
// engineer could take for a fault, since the local dashboard's lines
// around it follow --lang; nothing said which serve's follow. They stay
// English, as the service's log beside them is, and docs/operations.md
// now says so where --lang and the command-line language are described.
func TestServeStderrStaysEnglishAsDocumented(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "admin")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "audit.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--lang", "zh-CN", "--ssh", "127.0.0.1:0", "--users", users, "--host-key", filepath.Join(dir, "host"),
			"--feed", "ws://127.0.0.1:1/feed", "--shutdown-grace", "0s", "--journal", journal}, &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second) // a deadline is a failure, not a pace
	for !strings.Contains(errb.String(), "v2gdesk serve: listening on 127.0.0.1:") {
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a log, not synchronising
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d, want 0:\n%s", code, errb.String())
	}
	out := errb.String()
	for _, want := range []string{"v2gdesk serve: stopped\n", "v2gdesk serve: operator actions and setpoints are in the audit journal " + journal} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsFunc(out, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("stderr has Chinese, where the docs say it stays English:\n%s", out)
	}

	page := docstest.Read(t, "docs/operations.md")
	tb := page.Section(t, "## Command-line language").Table(t, "`serve` on stderr", "language")
	said := false
	for _, r := range tb.Rows {
		if strings.Contains(r[0], "*v2gdesk serve: stopped*") && strings.Contains(r[0], "listening on") && strings.HasPrefix(r[1], "English, whatever `--lang`") {
			said = true
		}
	}
	if !said {
		t.Errorf("docs/operations.md (Command-line language) does not say serve's start-up and stop lines stay English: %+v", tb.Rows)
	}
	var langRow []string
	for _, r := range page.Section(t, "## SSH desk").Rows() {
		if r[0] == "`--lang en|zh-CN`" {
			langRow = r
		}
	}
	if len(langRow) < 2 || !strings.Contains(langRow[1], "*stopped*") || !strings.Contains(langRow[1], "stays English") {
		t.Errorf("serve's --lang row does not say what stays English: %q", langRow)
	}
}
