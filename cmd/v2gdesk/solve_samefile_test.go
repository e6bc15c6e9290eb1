package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An output naming the Problem file itself (by its name, another spelling
// of it, or a link to it) is a usage error, and the Problem stays as it
// was: `--out p.json` on --problem p.json replaced the Problem with the
// Result, and the instance was lost.
func TestSolveRefusesToWriteOverTheProblem(t *testing.T) {
	dir := t.TempDir()
	prob := filepath.Join(dir, "p.json")
	if code, _, stderr := solveCmd("--generate", "3", "--slots", "8", "--feeders", "2", "--caps", "0", "--out", prob); code != 0 {
		t.Fatalf("generate: exit %d, %s", code, stderr)
	}
	before, err := os.ReadFile(prob)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(prob, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"out", []string{"--out", prob}, "--out " + prob + " is the --problem file"},
		{"mps", []string{"--mps", prob}, "--mps " + prob + " is the --problem file"},
		{"out spelt another way", []string{"--out", filepath.Join(dir, ".", "x", "..", "p.json")}, "is the --problem file"},
		{"out through a link", []string{"--out", link}, "--out " + link + " is the --problem file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := solveCmd(append([]string{"--problem", prob}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tc.want)
			}
			after, err := os.ReadFile(prob)
			if err != nil || string(after) != string(before) {
				t.Errorf("the Problem file changed (%v): %.80s", err, after)
			}
		})
	}
}
