package dispatch

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var glpkObjective = regexp.MustCompile(`(?m)^Objective:\s+\S+ = (\S+) \(MINimum\)`)

// TestSolveMatchesGLPK: a second, independent LP solver reads the same MPS
// export (GLPK's simplex, where the CLP cross-check uses CLP's dual
// simplex): one instance of each kind TestSolveMatchesCLP covers, the
// smaller ones, as GLPK is slower. GLPK prints the objective to 10
// significant digits.
func TestSolveMatchesGLPK(t *testing.T) {
	glpsol := needSolver(t, "glpsol", "glpk-utils")
	seen := map[string]bool{}
	for _, c := range clpCases() {
		kind, _, _ := strings.Cut(c.name, "/")
		if seen[kind] || c.gen.EVs > 60 {
			continue
		}
		seen[kind] = true
		t.Run(c.name, func(t *testing.T) {
			p := c.problem()
			r, err := Solve(context.Background(), p, Options{Gap: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			mps, dir := writeMPSFile(t, p)
			report := filepath.Join(dir, "p.out")
			if out, err := exec.Command(glpsol, "--freemps", mps, "-o", report).CombinedOutput(); err != nil {
				t.Fatalf("glpsol: %v\n%s", err, out)
			}
			text, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(text), "Status:     OPTIMAL") {
				t.Fatalf("glpsol did not find an optimum:\n%.600s", text)
			}
			m := glpkObjective.FindSubmatch(text)
			if m == nil {
				t.Fatalf("no objective in glpsol's report:\n%.600s", text)
			}
			want, err := strconv.ParseFloat(string(m[1]), 64)
			if err != nil {
				t.Fatalf("glpsol objective %q: %v", m[1], err)
			}
			if d := math.Abs(r.Objective-want) / math.Max(1, math.Abs(want)); d > 1e-6 {
				t.Errorf("objective %.10g, glpk %.10g (relative difference %.2g)", r.Objective, want, d)
			}
			if r.LowerBound > want*(1+1e-9)+1e-9 {
				t.Errorf("lower bound %.10g above glpk's optimum %.10g: not a bound", r.LowerBound, want)
			}
		})
	}
	if len(seen) != 6 {
		t.Errorf("%d kinds cross-checked, want all 6", len(seen))
	}
}
