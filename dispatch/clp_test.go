package dispatch

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// needCLP returns the clp binary (see needSolver).
func needCLP(t testing.TB) string {
	t.Helper()
	return needSolver(t, "clp", "coinor-clp")
}

// needSolver returns the LP solver binary name, skipping the test when it
// is missing outside CI and failing it inside CI, where .ci/run installs
// it from the Debian package pkg.
func needSolver(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found in CI (apt-get install %s): %v", name, pkg, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return path
}

// writeMPSFile writes p as free MPS into the test's temporary directory
// and returns the file's path and that directory.
func writeMPSFile(t testing.TB, p *Problem) (path, dir string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "p.mps")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteMPS(f, p); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, dir
}

var clpObjective = regexp.MustCompile(`(?m)^Optimal objective\s+(\S+)`)

// clpSolve writes p as MPS, solves it with CLP's dual simplex and returns
// the objective (from stdout, which prints 10 significant digits where
// the solution file prints 8) and the column values by name.
func clpSolve(t testing.TB, clp string, p *Problem) (float64, map[string]float64) {
	t.Helper()
	mps, dir := writeMPSFile(t, p)
	sol := filepath.Join(dir, "sol.txt")
	out, err := exec.Command(clp, mps, "-dualsimplex", "-solution", sol).CombinedOutput()
	if err != nil {
		t.Fatalf("clp: %v\n%s", err, out)
	}
	m := clpObjective.FindSubmatch(out)
	if m == nil {
		t.Fatalf("clp did not report an optimal objective:\n%s", out)
	}
	obj, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("clp objective %q: %v", m[1], err)
	}
	return obj, readCLPSolution(t, sol)
}

// readCLPSolution parses CLP's solution file: a status line, then one
// line per column "index name value reduced-cost".
func readCLPSolution(t testing.TB, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vals := map[string]float64{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if first {
			first = false
			if len(fs) == 0 || fs[0] != "Optimal" {
				t.Fatalf("clp solution status line %q", sc.Text())
			}
			continue
		}
		if len(fs) != 4 {
			t.Fatalf("clp solution line %q: want 4 fields", sc.Text())
		}
		v, err := strconv.ParseFloat(fs[2], 64)
		if err != nil {
			t.Fatalf("clp solution line %q: %v", sc.Text(), err)
		}
		vals[fs[1]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vals
}

type clpCase struct {
	name string
	gen  GenOptions
	edit func(p *Problem)
}

// problem is the case's instance: generated, then edited.
func (c clpCase) problem() *Problem {
	p := Generate(c.gen)
	if c.edit != nil {
		c.edit(p)
	}
	return p
}

func clpCases() []clpCase {
	var cs []clpCase
	sizes := []int{5, 12, 30, 60, 120, 300}
	slots := []int{24, 48, 96}
	add := func(kind string, i int, g GenOptions, edit func(*Problem)) {
		g.EVs = sizes[i%len(sizes)]
		g.Slots = slots[i%len(slots)]
		g.Feeders = 1 + i%3
		g.Seed = uint64(100 + i)
		cs = append(cs, clpCase{fmt.Sprintf("%s/%d-evs/%d-slots/seed-%d", kind, g.EVs, g.Slots, g.Seed), g, edit})
	}
	for i := 0; i < 6; i++ {
		add("charging-only", i, GenOptions{Tightness: 0.3}, nil)
		add("tight-feeders", i+1, GenOptions{Tightness: 0.97, SystemLimit: true, MinEfficiency: 0.9}, nil)
		add("v2g-losses", i+2, GenOptions{V2GShare: 0.6, MinEfficiency: 0.85, Tightness: 0.6, Caps: 1}, nil)
		add("caps-need-slack", i+3, GenOptions{V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, Caps: 3},
			func(p *Problem) {
				// Caps far below the base load cannot be met by any
				// schedule: only their slack makes the LP feasible.
				for j := range p.Caps {
					p.Caps[j].MaxKW *= 0.2
				}
			})
		add("export-caps", i+4, GenOptions{V2GShare: 0.8, MinEfficiency: 0.9, Tightness: 0.5, Caps: 2, NegativeCaps: 2, SystemLimit: true}, nil)
		add("wear-caps", i+5, GenOptions{V2GShare: 1, WearShare: 0.8, MinEfficiency: 0.88, Tightness: 0.7, Caps: 2, NegativeCaps: 1}, nil)
	}
	return cs
}

func TestSolveMatchesCLP(t *testing.T) {
	clp := needCLP(t)
	cases := clpCases()
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.problem()
			r, err := Solve(context.Background(), p, Options{Gap: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			want, cols := clpSolve(t, clp, p)
			if d := math.Abs(r.Objective-want) / math.Max(1, math.Abs(want)); d > 1e-6 {
				t.Errorf("objective %.10g, clp %.10g (relative difference %.2g)", r.Objective, want, d)
			}
			if r.MaxViolation > 1e-6 {
				t.Errorf("hard-bound violation %g kW", r.MaxViolation)
			}
			if r.LowerBound > want*(1+1e-9)+1e-9 {
				t.Errorf("lower bound %.10g above clp's optimum %.10g: not a bound", r.LowerBound, want)
			}
			if r.Status != StatusOptimal && r.Status != StatusWithinGap {
				t.Errorf("status %s", r.Status)
			}
			// CLP's schedule priced by our evaluator must cost what CLP
			// says: the MPS and evaluate state the same model.
			s := schedule{charge: make([][]float64, len(p.EVs)), discharge: make([][]float64, len(p.EVs))}
			for i, ev := range p.EVs {
				for tt := ev.Arrive; tt < ev.Depart; tt++ {
					s.charge[i] = append(s.charge[i], cols[fmt.Sprintf("c%d_%d", i, tt)])
					s.discharge[i] = append(s.discharge[i], cols[fmt.Sprintf("g%d_%d", i, tt)])
				}
			}
			if got := evaluate(p, s).Objective; math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("clp's schedule evaluates to %.10g, clp says %.10g", got, want)
			}
		})
	}
}
