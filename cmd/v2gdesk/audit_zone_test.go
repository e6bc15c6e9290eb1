package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditDataTimeSaysItsZone: "by ana 23:04" on the screen was 15:04 in
// the DATA TIME column, which did not say it was UTC (only TIME did). Both
// time columns name the zone they are in.
func TestAuditDataTimeSaysItsZone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.jsonl")
	rec := `{"seq":1,"ts":"2026-11-27T01:25:00Z","data_ts":"2026-07-15T23:04:00+08:00","kind":"dispatch_confirm","operator":"ana","event":"T-F10-2304"}` + "\n"
	if err := os.WriteFile(path, []byte(rec), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tz   []string
		zone string
		data string
	}{
		{nil, "UTC", "2026-07-15 15:04:00"},
		{[]string{"--tz", "Asia/Shanghai"}, "Asia/Shanghai", "2026-07-15 23:04:00"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"audit", "--journal", path}, c.tz...), &out, &errb); code != 0 {
			t.Fatalf("audit %v: exit %d: %s", c.tz, code, errb.String())
		}
		lines := strings.Split(out.String(), "\n")
		for _, h := range []string{"  TIME (" + c.zone + ")", "DATA TIME (" + c.zone + ")"} {
			if !strings.Contains(lines[0], h) {
				t.Errorf("--tz %v: header %q lacks %q", c.tz, lines[0], h)
			}
		}
		if i := strings.Index(lines[0], "DATA TIME"); i < 0 || strings.Index(lines[1], c.data) != i {
			t.Errorf("--tz %v: data time %s not under its heading:\n%s", c.tz, c.data, out.String())
		}
	}
}
