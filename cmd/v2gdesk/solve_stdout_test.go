package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

// brokenWriter fails every write, as stdout does on a full disk
// (`> /dev/full`) or a closed pipe.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// writeDocExample writes the Problem of docs/dispatch.md to dir.
func writeDocExample(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "small.json")
	if err := os.WriteFile(path, []byte(docProblem(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSolveSummaryWriteFailureIsExit1: a summary that cannot be written is
// exit 1 with the reason, as --json already was. It was exit 0 with
// nothing on stdout and nothing on stderr (`v2gdesk solve ... > /dev/full`).
func TestSolveSummaryWriteFailureIsExit1(t *testing.T) {
	path := writeDocExample(t, t.TempDir())
	for _, args := range [][]string{{"--problem", path}, {"--problem", path, "--json"}} {
		var e bytes.Buffer
		code := runSolve(context.Background(), args, brokenWriter{}, &e)
		if code != 1 || !strings.Contains(e.String(), "write stdout") || !strings.Contains(e.String(), "no space left") {
			t.Errorf("%q: exit %d, stderr %q, want 1 and the write error", args, code, e.String())
		}
	}
}

// TestSolveInterruptedSaysSo: Ctrl-C during a solve says what
// docs/dispatch.md says ("interrupted: nothing written", exit 1) and leaves
// no --out or --mps file. It said "dispatch: solve: context canceled".
func TestSolveInterruptedSaysSo(t *testing.T) {
	dir := t.TempDir()
	path := writeDocExample(t, dir)
	out, mps := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.mps")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := runSolve(ctx, []string{"--problem", path, "--out", out, "--mps", mps}, &o, &e)
	if code != 1 || !strings.Contains(e.String(), "interrupted: nothing written") {
		t.Errorf("exit %d, stderr %q, want 1 and interrupted: nothing written", code, e.String())
	}
	if strings.Contains(e.String(), "context canceled") && !strings.Contains(e.String(), "interrupted") {
		t.Errorf("stderr %q gives the solver's words, not the page's", e.String())
	}
	if o.Len() != 0 {
		t.Errorf("stdout %q after the interrupt", o.String())
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		t.Errorf("the directory holds %d entries, want only small.json", len(ents))
	}
}

// TestSolveSummaryFitsIn80Columns: every line of the summary fits an
// 80-column terminal with a fleet's magnitudes (a billion in each cost and
// slack). The costs and slack lines were 97 columns for a 100,000-EV
// instance and wrapped.
func TestSolveSummaryFitsIn80Columns(t *testing.T) {
	const big = 1234567890.12
	p := &dispatch.Problem{SlotMinutes: 1, Slots: 1440, Start: "2024-02-04T00:00:00+08:00",
		EVs: make([]dispatch.EV, 100000), Feeders: make([]dispatch.Feeder, 10000)}
	r := &dispatch.Result{Status: dispatch.StatusTimeLimit, Objective: big, LowerBound: big, Gap: 0.123456,
		Costs:    dispatch.Costs{Energy: big, Degradation: big, Unmet: big, Overload: big, Caps: big},
		SystemKW: []float64{big}, SystemSlack: []float64{big * 60},
		Feeders:    []dispatch.LoadResult{{KW: []float64{big}, ImportSlack: []float64{big * 60}, ExportSlack: []float64{big * 60}}},
		Caps:       []dispatch.SlackResult{{SlackKW: []float64{big * 60}}},
		EVs:        make([]dispatch.EVResult, 100000),
		Iterations: 12345, SolveSeconds: 12345.678, MaxViolation: 1.2345e-7}
	for i := range r.EVs {
		r.EVs[i].UnmetKWh = big / 1e5
	}
	out := string(summary("p.json", p, r))
	for _, want := range []string{"energy 1234567890.12", "caps 1234567890.12", "feeder export 1234567890.12", "system 1234567890.12", "(kW or kWh)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("%d columns: %q", n, line)
		}
	}
}

// TestSolveProblemThatCannotBeRead: a --problem that cannot be read (a
// directory, a missing file) is named as the --problem file that could not
// be read, not as an invalid problem ("adir: invalid problem: read adir: is
// a directory").
func TestSolveProblemThatCannotBeRead(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{dir, filepath.Join(dir, "missing.json")} {
		code, _, stderr := solveCmd("--problem", path)
		if code != 1 || !strings.Contains(stderr, "--problem") || !strings.Contains(stderr, path) || strings.Contains(stderr, "invalid problem") {
			t.Errorf("--problem %s: exit %d, stderr %q, want 1 naming --problem and the path, not an invalid problem", path, code, stderr)
		}
	}
}

// TestSolveSummaryCountsInTheSingular: one slot or one EV is not "1 slots"
// or "0 of 1 EVs".
func TestSolveSummaryCountsInTheSingular(t *testing.T) {
	p := &dispatch.Problem{SlotMinutes: 15, Slots: 1, EVs: make([]dispatch.EV, 1), Feeders: make([]dispatch.Feeder, 1)}
	r := &dispatch.Result{EVs: make([]dispatch.EVResult, 1), SystemKW: []float64{1}}
	out := string(summary("p.json", p, r))
	for _, want := range []string{"1 EV, 1 feeder, 1 slot of 15 min", "0 of 1 EV short of target"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

// TestSolveInvalidProblemShowsTheFirstErrors: a problem with an error in
// every EV prints the first 20 and how many more there are, not one line
// for each of 100,000 EVs that scrolls the first out of sight.
func TestSolveInvalidProblemShowsTheFirstErrors(t *testing.T) {
	p := dispatch.Generate(dispatch.GenOptions{EVs: 500, Feeders: 2, Slots: 24, Seed: 1})
	for i := range p.EVs {
		p.EVs[i].ChargeEfficiency = 2
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := solveCmd("--problem", path)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 21 {
		t.Fatalf("exit %d, %d lines, want 1 and 21:\n%s", code, len(lines), stderr)
	}
	if !strings.Contains(lines[0], `invalid problem: evs[0] `) ||
		!strings.Contains(lines[19], `evs[19] `) ||
		!strings.Contains(lines[20], "and 480 more errors (500 in all; the first 20 are above)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "v2gdesk solve: "+path+": ") {
			t.Errorf("line %q lacks the frame", l)
		}
	}
	// Twenty or fewer are all printed.
	p.EVs = p.EVs[:20]
	b, _ = json.Marshal(p)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, stderr := solveCmd("--problem", path); strings.Count(stderr, "\n") != 20 || strings.Contains(stderr, "more errors") {
		t.Errorf("20 errors printed as:\n%s", stderr)
	}
}

// TestSolveGenerateRefusesWhatSolveWould: flags that give an instance
// solve would refuse (2,000 feeders of 1,440 slots: 33 GB of blocks) are
// exit 2 naming them, and nothing is written. The instance was written,
// exit 0, and only solving it said it was too large.
func TestSolveGenerateRefusesWhatSolveWould(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.json")
	code, stdout, stderr := solveCmd("--generate", "2", "--feeders", "2000", "--slots", "1440", "--caps", "0", "--out", out)
	if code != 2 || !strings.Contains(stderr, "--generate 2 --feeders 2000 --slots 1440: solve would refuse this instance") ||
		!strings.Contains(stderr, "more than the 2 GB allowed") {
		t.Errorf("exit %d, stderr %.300q", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %.100q", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--out %s written (%v)", out, err)
	}
}
