package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSimQuitAfterSeek: commands piped in at once, a seek then quit, are
// all carried out before the sim stops: the stopped line is at the seek's
// target, every run. The quit used to stop the sim before it took the
// seek it had answered as done, and the sim stopped wherever it was
// (17:30, 10:00 or 19:00 from one run to the next).
func TestSimQuitAfterSeek(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"back", "seek 10:00\nquit\n", "stopped at 10:00:"},
		{"forward", "seek 19:00\nquit\n", "stopped at 19:00:"},
		{"back then forward", "seek 10:00\nseek +1h\nquit\n", "stopped at 11:00:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := runSimWith(context.Background(), []string{"--listen", "127.0.0.1:0", "--start", "17:30"},
				strings.NewReader(tc.in), false, &out, &errs)
			if code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, errs.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, tc.want) {
				t.Errorf("last line %q, want %q...; stderr:\n%s", last, tc.want, errs.String())
			}
		})
	}
}
