package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

func solveCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runSolve(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestSolveUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--problem", "a.json", "--generate", "5"},
		{"--problem", "a.json", "extra"},
		{"--problem", "a.json", "--gap", "0"},
		{"--problem", "a.json", "--gap", "2"},
		{"--problem", "a.json", "--time-limit", "-1s"},
		{"--problem", "a.json", "--time-limit", "soon"},
		{"--generate", "-3"},
		{"--generate", "5", "--feeders", "0"},
		{"--generate", "1", "--feeders", "2000000000"}, // was an out-of-memory crash
		{"--generate", "5", "--slots", "100000"},
		{"--problem", "a.json", "--feeders", "3"}, // a generator flag, silently ignored before
		{"--generate", "5", "--gap", "1e-6"},
		{"--generate", "5", "--out", "x", "--mps", "./x"}, // the JSON was overwritten by the MPS
		{"--no-such-flag"},
	} {
		code, _, stderr := solveCmd(args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr, "Usage: v2gdesk solve") && !strings.Contains(stderr, "flag") {
			t.Errorf("%q: stderr %q has no usage", args, stderr)
		}
	}
}

func TestSolveRuntimeErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"slot_minutes": 0, "slots": 2, "price": [1, 2], "degradation_cost": 0, "unmet_penalty": 1, "feeders": [], "evs": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "evs.csv")
	if err := os.WriteFile(csv, []byte("id,arrive,depart\nEV1,0,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		want []string
	}{
		{filepath.Join(dir, "missing.json"), []string{"missing.json", "no such file"}},
		{bad, []string{"bad.json", "slot_minutes: 0 is not positive", "feeders: at least one feeder"}},
		{csv, []string{"evs.csv: invalid problem: not a Problem JSON document", `it starts with "id,arrive,depart"`, "at byte 1 (line 1, column 1)"}},
	} {
		code, _, stderr := solveCmd("--problem", c.file)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", c.file, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", c.file, stderr, w)
			}
		}
	}
}

func TestSolveGenerateThenSolve(t *testing.T) {
	dir := t.TempDir()
	prob, mps, res := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.mps"), filepath.Join(dir, "r.json")
	if code, _, stderr := solveCmd("--generate", "30", "--feeders", "3", "--seed", "4", "--out", prob, "--mps", mps); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(mps)
	if err != nil || !bytes.HasPrefix(b, []byte("NAME dispatch\n")) {
		t.Fatalf("mps: %v, %.40q", err, b)
	}
	code, stdout, stderr := solveCmd("--problem", prob, "--out", res, "--gap", "1e-6")
	if code != 0 {
		t.Fatalf("solve: exit %d: %s", code, stderr)
	}
	for _, w := range []string{"30 EVs, 3 feeders, 96 slots", "status     ", "certified gap", "objective", "hard bound largest violation"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, stdout)
		}
	}
	var r dispatch.Result
	b, err = os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.EVs) != 30 || r.Gap > 1e-6 || (r.Status != dispatch.StatusOptimal && r.Status != dispatch.StatusWithinGap) {
		t.Errorf("result: %d EVs, gap %g, status %s", len(r.EVs), r.Gap, r.Status)
	}
	code, stdout, _ = solveCmd("--problem", prob, "--json")
	var r2 dispatch.Result
	if code != 0 || json.Unmarshal([]byte(stdout), &r2) != nil || len(r2.EVs) != 30 || len(r2.SystemKW) != 96 {
		t.Errorf("--json: exit %d, output %.80q", code, stdout)
	}
}

// TestSolveOutputsAllOrNothing: a failing solve leaves no output, keeps an
// old one intact and leaves no temporary file; a bad output path fails
// before the solve, without writing the other output.
func TestSolveOutputsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"slot_minutes": 0, "slots": 2, "price": [1, 2], "degradation_cost": 0, "unmet_penalty": 1, "feeders": [], "evs": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mps := filepath.Join(dir, "p.mps")
	if code, _, stderr := solveCmd("--problem", bad, "--out", old, "--mps", mps); code != 1 {
		t.Fatalf("invalid problem: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(old); err != nil || string(b) != "keep me\n" {
		t.Errorf("the old --out file became %q (%v)", b, err)
	}
	prob := filepath.Join(dir, "p.json")
	if code, _, stderr := solveCmd("--generate", "5", "--out", prob); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	code, _, stderr := solveCmd("--problem", prob, "--mps", mps, "--out", filepath.Join(dir, "no", "r.json"))
	if code != 1 || !strings.Contains(stderr, filepath.Join(dir, "no", "r.json")) {
		t.Errorf("--out in a missing directory: exit %d, stderr %q", code, stderr)
	}
	// The flag, the value, what is wrong and what to give: it said only
	// "DIR is a directory".
	if code, _, stderr := solveCmd("--problem", prob, "--out", dir); code != 1 || stderr != "v2gdesk solve: --out "+dir+": a directory, want a file to write; e.g. --out "+filepath.Join(dir, "result.json")+"\n" {
		t.Errorf("--out onto a directory: exit %d, stderr %q", code, stderr)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "bad.json old.json p.json" {
		t.Errorf("the directory holds %q, want only bad.json old.json p.json: no MPS, no temporary file", names)
	}
}

func TestSolveHelp(t *testing.T) {
	code, stdout, _ := solveCmd("--help")
	if code != 0 || !strings.Contains(stdout, "--generate N") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

// TestSolveHelpStatesTheTightnessBound: the help said "0..1", yet 1 is
// refused (a feeder with no headroom at all); the help says the bound the
// check enforces.
func TestSolveHelpStatesTheTightnessBound(t *testing.T) {
	_, help, _ := solveCmd("--help")
	if !strings.Contains(help, "tightness of a generated instance, from 0 up to (not including) 1") {
		t.Errorf("--help does not say that --tightness stays under 1:\n%s", help)
	}
	if strings.Contains(help, "0..1") {
		t.Errorf("--help still says 0..1:\n%s", help)
	}
	if code, _, _ := solveCmd("--generate", "5", "--tightness", "1"); code != 2 {
		t.Errorf("--tightness 1: exit %d, want 2", code)
	}
	if code, _, stderr := solveCmd("--generate", "5", "--tightness", "0.99", "--slots", "4", "--feeders", "1"); code != 0 {
		t.Errorf("--tightness 0.99: exit %d, want 0; stderr %q", code, stderr)
	}
}

// TestSolveErrorSaysEachThingOnce: the message named the problem twice and
// the decoding step besides ("problem F: invalid problem: decode problem:").
func TestSolveErrorSaysEachThingOnce(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, body, want string }{
		{"unknown.json", `{"slot_minutes": 15, "slots": 2, "price": [1, 2], "feeders": [], "evs": [], "x": 1}`,
			`: invalid problem: at byte 77 (line 1, column 77): the problem: unknown field "x"`},
		{"trailing.json", `{"slot_minutes": 15, "slots": 1, "price": [1], "feeders": [{"id": "F", "import_limit_kw": 1}], "evs": []} {}`,
			": invalid problem: trailing data after the problem object"},
		{"invalid.json", `{"slot_minutes": 0, "slots": 2, "price": [1, 2], "degradation_cost": 0, "unmet_penalty": 1, "feeders": [], "evs": []}`,
			": invalid problem: slot_minutes: 0 is not positive"},
	} {
		f := filepath.Join(dir, c.name)
		if err := os.WriteFile(f, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := solveCmd("--problem", f)
		first := strings.SplitN(stderr, "\n", 2)[0]
		if want := "v2gdesk solve: " + f + c.want; code != 1 || first != want {
			t.Errorf("%s: exit %d, first line %q, want %q", c.name, code, first, want)
		}
	}
}

// TestSolveGenerateStopsOnInterrupt: Ctrl-C (a cancelled context) stops
// --generate and leaves neither output nor a temporary file, and keeps an
// old file. It was ignored: 300,000 EVs went on for 67 s after Ctrl-C,
// wrote a 3.4 GB MPS and exited 0.
func TestSolveGenerateStopsOnInterrupt(t *testing.T) {
	dir := t.TempDir()
	prob, mps := filepath.Join(dir, "p.json"), filepath.Join(dir, "p.mps")
	if err := os.WriteFile(prob, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"--generate", "20", "--out", prob, "--mps", mps},
		{"--generate", "20", "--mps", mps},
	} {
		var o, e bytes.Buffer
		code := runSolve(ctx, args, &o, &e)
		if code != 1 || !strings.Contains(e.String(), "interrupted") {
			t.Errorf("%q: exit %d, stderr %q, want 1 and interrupted", args, code, e.String())
		}
		if o.Len() != 0 {
			t.Errorf("%q: wrote %d bytes to stdout after the interrupt", args, o.Len())
		}
	}
	if b, err := os.ReadFile(prob); err != nil || string(b) != "keep me\n" {
		t.Errorf("the old --out file became %.40q (%v)", b, err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("the directory holds %q, want only p.json", names)
	}
}

// TestSolveNegativeTimeLimitSaysZeroIsNone: --time-limit 0 is "none" (the
// flag's help and docs/dispatch.md), so the refusal of a negative one says
// so; it said "want a positive duration", as if 0 were refused too.
func TestSolveNegativeTimeLimitSaysZeroIsNone(t *testing.T) {
	code, _, stderr := solveCmd("--problem", "a.json", "--time-limit", "-1s")
	if code != 2 || !strings.Contains(stderr, "--time-limit -1s: want a positive duration, or 0 for none") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestSolveGenerateFlagErrorsNameTheFlag: a generator flag out of range is
// named with the value given. The message named three flags at once
// ("--feeders, --slots must be positive and --caps not negative") and left
// the reader to find which one was wrong.
func TestSolveGenerateFlagErrorsNameTheFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--generate", "5", "--feeders", "0"}, "v2gdesk solve: --feeders 0: want a positive number\n"},
		{[]string{"--generate", "5", "--slots", "-2"}, "v2gdesk solve: --slots -2: want a positive number\n"},
		{[]string{"--generate", "5", "--caps", "-1"}, "v2gdesk solve: --caps -1: want 0 or more\n"},
		{[]string{"--generate", "5", "--v2g", "1.5"}, "v2gdesk solve: --v2g 1.5: want a share from 0 to 1\n"},
		{[]string{"--generate", "5", "--tightness", "7"}, "v2gdesk solve: --tightness 7: want a number from 0 up to (not including) 1\n"},
		// An empty file name (--out "$OUT", OUT unset) wrote nothing, exit 0.
		{[]string{"--problem", "p.json", "--out", ""}, "v2gdesk solve: --out \"\": want a file name\n"},
		{[]string{"--problem", "p.json", "--mps="}, "v2gdesk solve: --mps \"\": want a file name\n"},
		{[]string{"--generate", "5", "--out", ""}, "v2gdesk solve: --out \"\": want a file name\n"},
		{[]string{"--problem", ""}, "v2gdesk solve: --problem \"\": want a file name\n"},
		// The upper bounds too: all four were one message.
		{[]string{"--generate", "2000000"}, "v2gdesk solve: --generate 2000000: want at most 1000000 EVs\n"},
		{[]string{"--generate", "5", "--feeders", "20000"}, "v2gdesk solve: --feeders 20000: want at most 10000\n"},
		{[]string{"--generate", "5", "--slots", "1441"}, "v2gdesk solve: --slots 1441: want at most 1440 (one-minute slots)\n"},
		{[]string{"--generate", "5", "--caps", "2000"}, "v2gdesk solve: --caps 2000: want at most 1000\n"},
	} {
		code, _, stderr := solveCmd(c.args...)
		if code != 2 || !strings.HasPrefix(stderr, c.want) {
			first, _, _ := strings.Cut(stderr, "\n")
			t.Errorf("%q: exit %d, first line %q; want 2 and %q", c.args, code, first, c.want)
		}
	}
}
