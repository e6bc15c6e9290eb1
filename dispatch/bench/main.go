// Command bench measures the dispatch optimiser on generated instances of
// N EVs x 96 slots with F feeders and, in the same run, CLP's dual simplex
// on the same instances exported as MPS.
//
//	go run ./dispatch/bench                        # N = 1000,10000,100000; F = 10,100
//	go run ./dispatch/bench -n 1000 -f 10 -clp=false
//
// Each instance is solved in a fresh child process, so that its peak
// resident memory (VmHWM) is its own and its first solve pays for a cold
// heap, as a dispatcher's first plan of the day does. The child then solves
// it again up to -runs times in all (while that takes under -warm-budget),
// with the same dispatch.Solver, as a desk that re-plans every few minutes
// does (its controller keeps one, with the memory of its last solve), and
// the table gives the median of those warm solves too: this VM's timings
// vary by 10 % and more from run to run. CLP is skipped above -clp-max EVs
// because it takes minutes there; the table says so.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

type measure struct {
	EVs     int `json:"evs"`
	Feeders int `json:"feeders"`
	Vars    int `json:"vars"`
	// Seconds is the first solve in the process; Warm the median of the
	// WarmRuns solves after it (0 when there were none).
	Seconds   float64 `json:"seconds"`
	Warm      float64 `json:"warm_seconds"`
	WarmRuns  int     `json:"warm_runs"`
	PeakMB    float64 `json:"peak_mb"`
	Gap       float64 `json:"gap"`
	Status    string  `json:"status"`
	Iters     int     `json:"iterations"`
	Objective float64 `json:"objective"`
	MPS       string  `json:"mps,omitempty"`
}

func instance(n, f int) *dispatch.Problem {
	return dispatch.Generate(dispatch.GenOptions{EVs: n, Feeders: f, Slots: 96, Seed: 2024,
		V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.3,
		SystemLimit: true})
}

func main() {
	one := flag.String("one", "", "internal: solve one instance `N,F` and print JSON")
	mpsDir := flag.String("mps-dir", "", "internal: write the instance's MPS here")
	ns := flag.String("n", "1000,10000,100000", "EV counts")
	fs := flag.String("f", "10,100", "feeder counts")
	gap := flag.Float64("gap", 1e-4, "certified relative gap")
	clp := flag.Bool("clp", true, "also run CLP (dual simplex) on each instance")
	clpMax := flag.Int("clp-max", 10000, "skip CLP above this many EVs")
	runs := flag.Int("runs", 7, "solves per instance: the first in a fresh process, then warm ones")
	budget := flag.Duration("warm-budget", 5*time.Second, "no further warm solve once the solves of an instance took this long")
	flag.Parse()
	if *one != "" {
		if err := child(*one, *mpsDir, *gap, *runs, *budget); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	clpPath := ""
	if *clp {
		p, err := exec.LookPath("clp")
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: clp not found; run with -clp=false or apt-get install coinor-clp")
			os.Exit(1)
		}
		clpPath = p
	}
	tmp, err := os.MkdirTemp("", "dispatch-bench")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
	host, _ := os.Hostname()
	fmt.Printf("dispatch benchmark %s, %s, %d CPUs (GOMAXPROCS %d), %s/%s, %s, gap %.0e\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version(), *gap)
	fmt.Println("| EVs x slots | feeders | LP columns | v2gdesk, warm Solver (median of) | v2gdesk, first solve | peak RSS | certified gap | iterations | CLP dual simplex | CLP / v2gdesk first solve | objective vs CLP |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, n := range ints(*ns) {
		for _, f := range ints(*fs) {
			withCLP := clpPath != "" && n <= *clpMax
			dir := ""
			if withCLP {
				dir = tmp
			}
			m, err := runChild(n, f, dir, *gap, *runs, *budget)
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
			clpCol, ratio, diff := "skipped (too slow)", "", ""
			if clpPath == "" {
				clpCol = "not run"
			}
			if withCLP {
				secs, obj, err := runCLP(clpPath, m.MPS)
				os.Remove(m.MPS)
				if err != nil {
					clpCol = "failed: " + err.Error()
				} else {
					clpCol = fmt.Sprintf("%.2f s", secs)
					ratio = fmt.Sprintf("%.0fx", secs/m.Seconds)
					diff = fmt.Sprintf("%.1e", (m.Objective-obj)/math.Max(1, math.Abs(obj)))
				}
			}
			warm := "not run"
			if m.WarmRuns > 0 {
				warm = fmt.Sprintf("%.3f s (%d)", m.Warm, m.WarmRuns)
			}
			fmt.Printf("| %d x 96 | %d | %d | %s | %.3f s | %.0f MB | %.1e (%s) | %d | %s | %s | %s |\n",
				n, f, m.Vars, warm, m.Seconds, m.PeakMB, m.Gap, m.Status, m.Iters, clpCol, ratio, diff)
		}
	}
}

func ints(s string) []int {
	var r []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "bench: bad count %q\n", f)
			os.Exit(2)
		}
		r = append(r, v)
	}
	return r
}

func runChild(n, f int, dir string, gap float64, runs int, budget time.Duration) (*measure, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-one", fmt.Sprintf("%d,%d", n, f), "-gap", fmt.Sprint(gap),
		"-runs", fmt.Sprint(runs), "-warm-budget", budget.String()}
	if dir != "" {
		args = append(args, "-mps-dir", dir)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%d EVs, %d feeders: %w", n, f, err)
	}
	var m measure
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("%d EVs, %d feeders: %w", n, f, err)
	}
	return &m, nil
}

// child solves one instance, first in a fresh process and then warm; the
// times cover Solve only, the peak memory the whole process up to the end
// of the first solve (generation included, so it is an upper bound).
func child(spec, dir string, gap float64, runs int, budget time.Duration) error {
	var n, f int
	if _, err := fmt.Sscanf(spec, "%d,%d", &n, &f); err != nil {
		return fmt.Errorf("-one %q: %w", spec, err)
	}
	p := instance(n, f)
	m := measure{EVs: n, Feeders: f}
	if dir != "" {
		m.MPS = filepath.Join(dir, fmt.Sprintf("n%d-f%d.mps", n, f))
		file, err := os.Create(m.MPS)
		if err != nil {
			return err
		}
		if err := dispatch.WriteMPS(file, p); err != nil {
			return err
		}
		if err := file.Close(); err != nil {
			return err
		}
	}
	for _, ev := range p.EVs {
		m.Vars += 3*(ev.Depart-ev.Arrive) + 1
	}
	// The first solve is from fresh memory, as dispatch.Solve's always is;
	// the warm ones reuse it.
	var sv dispatch.Solver
	start := time.Now()
	r, err := sv.Solve(context.Background(), p, dispatch.Options{Gap: gap})
	if err != nil {
		return err
	}
	m.Seconds = time.Since(start).Seconds()
	m.Gap, m.Status, m.Iters, m.Objective = r.Gap, string(r.Status), r.Iterations, r.Objective
	m.PeakMB = peakMB()
	var warm []float64
	spent := m.Seconds
	for len(warm)+1 < runs && spent < budget.Seconds() {
		// The last solve's garbage goes first, as it would between two
		// plans of a desk.
		runtime.GC()
		start := time.Now()
		if _, err := sv.Solve(context.Background(), p, dispatch.Options{Gap: gap}); err != nil {
			return err
		}
		warm = append(warm, time.Since(start).Seconds())
		spent += warm[len(warm)-1]
	}
	if len(warm) > 0 {
		slices.Sort(warm)
		m.Warm, m.WarmRuns = warm[len(warm)/2], len(warm)
	}
	return json.NewEncoder(os.Stdout).Encode(m)
}

func peakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return math.NaN()
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return math.NaN()
}

var clpTime = regexp.MustCompile(`Optimal objective\s+(\S+)\s+-\s+\d+\s+iterations\s+time\s+(\S+)`)

// runCLP returns CLP's own solve time (it excludes reading the MPS, which
// favours CLP) and objective.
func runCLP(clp, mps string) (secs, obj float64, err error) {
	out, err := exec.Command(clp, mps, "-dualsimplex").CombinedOutput()
	if err != nil {
		return 0, 0, err
	}
	m := clpTime.FindSubmatch(out)
	if m == nil {
		return 0, 0, fmt.Errorf("no optimal objective in clp output")
	}
	obj, err = strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return 0, 0, fmt.Errorf("clp objective %q: %w", m[1], err)
	}
	secs, err = strconv.ParseFloat(strings.TrimRight(string(m[2]), ","), 64)
	if err != nil {
		return 0, 0, fmt.Errorf("clp time %q: %w", m[2], err)
	}
	return secs, obj, nil
}
