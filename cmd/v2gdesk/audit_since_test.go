package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditSinceSaysWhatIsWrong: a time typed without its offset
// ("2026-11-27T22:00:00", as a desk's clock reads) was refused as "neither
// an RFC 3339 time nor a duration", as if it were no time at all. It now
// says the offset is what is missing and how to write it; anything else
// is refused with an example of each form.
func TestAuditSinceSaysWhatIsWrong(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(journal, []byte(`{"seq":1,"ts":"2026-11-27T22:39:50Z","kind":"login","operator":"ana"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ since, want string }{
		{"2026-11-27T22:00:00", `v2gdesk audit: --since "2026-11-27T22:00:00" has no UTC offset: add one (2026-11-27T22:00:00Z for UTC, 2026-11-27T22:00:00+08:00 for Asia/Shanghai)`},
		{"yesterday", `v2gdesk audit: --since "yesterday" is neither an RFC 3339 time (2026-11-27T22:00:00Z) nor a duration back from now (2h)`},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"audit", "--journal", journal, "--since", c.since}, &out, &errb)
		if code != exitUsage || strings.TrimSpace(errb.String()) != c.want || out.Len() != 0 {
			t.Errorf("--since %s: exit %d, stdout %q, stderr %q; want %d and %q", c.since, code, out.String(), errb.String(), exitUsage, c.want)
		}
	}
}
