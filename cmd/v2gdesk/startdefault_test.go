package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestStartHelpSaysEachCommandsDefault: serve's --start help said "the
// dashboard on the demo day: 16:00", the dashboard's default, where serve
// starts a scenario at its start (00:00 on the demo day).
func TestStartHelpSaysEachCommandsDefault(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(context.Context, []string, *bytes.Buffer, *bytes.Buffer) int
		want string
	}{
		{"dashboard", func(ctx context.Context, a []string, o, e *bytes.Buffer) int { return runDesk(ctx, a, o, e) }, "default its start (the demo day: 16:00)"},
		{"serve", func(ctx context.Context, a []string, o, e *bytes.Buffer) int { return runServe(ctx, a, o, e) }, "default its start (the demo day: 00:00)"},
	} {
		var o, e bytes.Buffer
		c.run(context.Background(), []string{"--help"}, &o, &e)
		// The words, not where the help's 80 columns break them.
		help := strings.Join(strings.Fields(o.String()+e.String()), " ")
		if !strings.Contains(help, c.want) {
			t.Errorf("%s --help lacks %q:\n%s", c.name, c.want, help)
		}
		if strings.Contains(help, "the dashboard on the demo day") {
			t.Errorf("%s --help still borrows the dashboard's default", c.name)
		}
	}
}

// TestSolveSummaryCountsInWords: "1 EVs, 1 feeders" for a one-EV problem.
func TestSolveSummaryCountsInWords(t *testing.T) {
	for n, want := range map[int]string{1: "1 EV", 3: "3 EVs"} {
		if got := plural(n, "EV", "EVs"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
	dir := t.TempDir()
	prob := dir + "/p.json"
	if code, _, stderr := solveCmd("--generate", "1", "--feeders", "1", "--slots", "8", "--out", prob); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := solveCmd("--problem", prob)
	if code != 0 {
		t.Fatalf("solve: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, ": 1 EV, 1 feeder, 8 slots") {
		t.Errorf("summary does not count in words:\n%s", stdout)
	}
}
