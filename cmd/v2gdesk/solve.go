package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters/atomicfile"
	"github.com/v2gdesk/v2gdesk/dispatch"
)

// The generator's bounds: ten times the largest benchmark instance, so a
// mistyped count is a usage error, not an out-of-memory crash.
const (
	maxGenerate   = 1_000_000
	maxGenFeeders = 10_000
	maxGenCaps    = 1_000
)

// runSolve is `v2gdesk solve`: the dispatch optimiser on a Problem file,
// or (with --generate) a seeded instance generator. It returns the exit
// code: 0 done, 1 runtime error, 2 usage error.
func runSolve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	problem := fs.String("problem", "", "Problem JSON `FILE` to solve")
	out := fs.String("out", "", "write the full Result JSON (or, with --generate, the Problem JSON) to `FILE`")
	mps := fs.String("mps", "", "also write the LP in free MPS to `FILE` (for CLP, GLPK, HiGHS)")
	gap := fs.Float64("gap", 1e-4, "stop at this certified relative gap")
	timeLimit := durationFlag(fs, "time-limit", 0, "return the best schedule found within this `duration` (0 = none)")
	asJSON := fs.Bool("json", false, "print the full Result JSON instead of a summary")
	generate := fs.Int("generate", 0, "write a seeded instance with `N` EVs instead of solving")
	feeders := fs.Int("feeders", 10, "feeders of a generated instance")
	seed := fs.Uint64("seed", 1, "seed of a generated instance")
	slots := fs.Int("slots", 96, "slots of a generated instance (15 min each for 96)")
	v2g := fs.Float64("v2g", 0.3, "share of bidirectional EVs in a generated instance")
	tight := fs.Float64("tightness", 0.8, "feeder tightness of a generated instance, from 0 up to (not including) 1")
	caps := fs.Int("caps", 4, "DR caps in a generated instance")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk solve --problem FILE [--out FILE] [--mps FILE] [--gap 1e-4] [--time-limit D] [--json]
       v2gdesk solve --generate N [--feeders F] [--seed S] [--slots T] [--v2g X] [--tightness X] [--caps N] [--out FILE] [--mps FILE]

Solves a Problem JSON file with the dispatch optimiser and prints a summary (the full Result JSON
with --json); --generate writes a seeded instance instead. docs/dispatch.md has the model and formats.
Exit 0 with a result (its status says how good), 1 when a file cannot be read or written, the
problem is invalid or the solve fails, 2 for a bad command line.
`)
	}
	if err := parseFlags(fs, args, said, stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintln(stderr, say(said, "v2gdesk solve: %s", say(said, format, a...)))
		fmt.Fprintln(stderr, seeHelp(fs, said))
		return 2
	}
	// A file flag given an empty name (--out "$OUT" with OUT unset) was
	// read as not given: no file was written, and exit 0 said all was well.
	var emptyFile string
	fs.Visit(func(f *flag.Flag) {
		if emptyFile == "" && (f.Name == "problem" || f.Name == "out" || f.Name == "mps") && f.Value.String() == "" {
			emptyFile = f.Name
		}
	})
	switch {
	case emptyFile != "":
		return usage("--%s \"\": want a file name", emptyFile)
	case fs.NArg() > 0 && meantFlag(fs, fs.Arg(0)) != "":
		return usage("unexpected argument %q; did you mean --%s %s?", fs.Arg(0), meantFlag(fs, fs.Arg(0)), fs.Arg(0))
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case *generate < 0 || *problem == "" && generateGiven(fs) && *generate == 0:
		// --generate 0 read "give exactly one of --problem or --generate"
		// to an operator who had given exactly one.
		return usage("--generate %d: want a positive number of EVs", *generate)
	case (*problem == "") == !generateGiven(fs):
		// Given is what counts: --problem with --generate 0 solved the
		// problem as if --generate were not there.
		return usage("give exactly one of --problem FILE or --generate N")
	case !(*gap > 0 && *gap < 1):
		return usage("--gap %v: want a number in (0,1)", *gap)
	case timeLimit.d < 0:
		return usage("--time-limit %v: want a positive duration, or 0 for none", timeLimit)
	case *feeders <= 0:
		return usage("--feeders %d: want a positive number", *feeders)
	case *slots <= 0:
		return usage("--slots %d: want a positive number", *slots)
	case *caps < 0:
		return usage("--caps %d: want 0 or more", *caps)
	// Each bound names its own flag: one message for all four left the
	// reader to find which was wrong.
	case *generate > maxGenerate:
		return usage("--generate %d: want at most %d EVs", *generate, maxGenerate)
	case *feeders > maxGenFeeders:
		return usage("--feeders %d: want at most %d", *feeders, maxGenFeeders)
	case *slots > 24*60:
		return usage("--slots %d: want at most 1440 (one-minute slots)", *slots)
	case *caps > maxGenCaps:
		return usage("--caps %d: want at most %d", *caps, maxGenCaps)
	case !(*v2g >= 0 && *v2g <= 1):
		return usage("--v2g %v: want a share from 0 to 1", *v2g)
	case !(*tight >= 0 && *tight < 1):
		return usage("--tightness %v: want a number from 0 up to (not including) 1", *tight)
	}

	genOnly := map[string]bool{"feeders": true, "seed": true, "slots": true, "v2g": true, "tightness": true, "caps": true}
	solveOnly := map[string]bool{"gap": true, "time-limit": true, "json": true}
	var misplaced string
	fs.Visit(func(f *flag.Flag) {
		if misplaced == "" && (*generate > 0 && solveOnly[f.Name] || *problem != "" && genOnly[f.Name]) {
			misplaced = f.Name
		}
	})
	switch {
	case misplaced != "" && *generate > 0:
		return usage("--%s goes with --problem, not --generate", misplaced)
	case misplaced != "":
		return usage("--%s goes with --generate, not --problem", misplaced)
	case *out != "" && *mps != "" && samePath(*out, *mps):
		return usage("--out and --mps name the same file %s", *out)
	case *problem != "" && *out != "" && sameFile(*problem, *out):
		return usage("--out %s is the --problem file: the Result would replace the Problem; give another --out", *out)
	case *problem != "" && *mps != "" && sameFile(*problem, *mps):
		return usage("--mps %s is the --problem file: the MPS would replace the Problem; give another --mps", *mps)
	}

	// The outputs are created first, so a bad path fails before any work,
	// and put in place only once all are written: a failure leaves no
	// half-written file and no clobbered old one.
	var outF, mpsF *atomicfile.File
	defer func() { outF.Abort(); mpsF.Abort() }()
	fail := func(err error) int {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk solve", "finish", err))
		return 1
	}
	// failed is fail at a step an operator reads in their language.
	failed := func(doing string, err error) int {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk solve", doing, err))
		return 1
	}
	var err error
	if *out != "" {
		example := "result.json"
		if generateGiven(fs) {
			example = "problem.json"
		}
		if outF, err = createOut("out", *out, example); err != nil {
			return failed("create the --out file", err)
		}
	}
	if *mps != "" {
		if mpsF, err = createOut("mps", *mps, "problem.mps"); err != nil {
			return failed("create the --mps file", err)
		}
	}
	commit := func() error {
		// Ctrl-C during the last write leaves nothing half-done.
		if err := interrupted(ctx); err != nil {
			return err
		}
		for _, f := range []*atomicfile.File{outF, mpsF} {
			if f != nil {
				if err := f.Commit(); err != nil {
					return err
				}
			}
		}
		return nil
	}

	// Generating and writing do not look at ctx themselves: every write
	// does, so Ctrl-C stops a large instance or MPS file within a buffer.
	stdout = ctxWriter{ctx, stdout}
	var outW io.Writer
	if outF != nil {
		outW = ctxWriter{ctx, outF}
	}
	if *generate > 0 {
		p := dispatch.Generate(dispatch.GenOptions{EVs: *generate, Feeders: *feeders, Slots: *slots, Seed: *seed,
			V2GShare: *v2g, MinEfficiency: 0.9, Tightness: *tight, Caps: *caps, NegativeCaps: min(1, *caps/4),
			WearShare: 0.3, SystemLimit: true})
		if err := interrupted(ctx); err != nil {
			return fail(err)
		}
		// An instance solve would refuse (--feeders 2000 --slots 1440 asks
		// for 33 GB of blocks) is not written: it was, with exit 0.
		if err := p.Validate(); err != nil {
			return usage("--generate %d --feeders %d --slots %d: solve would refuse this instance: %v", *generate, *feeders, *slots, err)
		}
		if outF != nil {
			if err := writeJSON(outW, p); err != nil {
				return fail(explain(ctx, outF, err))
			}
		} else if err := writeJSON(stdout, p); err != nil {
			return fail(explain(ctx, nil, fmt.Errorf("write stdout: %w", err)))
		}
		if err := writeMPS(ctx, mpsF, p); err != nil {
			return fail(err)
		}
		if err := commit(); err != nil {
			return fail(err)
		}
		return 0
	}

	p, err := readProblem(*problem)
	if err != nil {
		return failed("read the --problem file", err)
	}
	res, err := dispatch.Solve(ctx, p, dispatch.Options{Gap: *gap, TimeLimit: timeLimit.d})
	if err != nil {
		// Ctrl-C is said as the page says it (exit 1, "interrupted:
		// nothing written"), not as the solver's "context canceled".
		if ierr := interrupted(ctx); ierr != nil {
			return fail(ierr)
		}
		return failed("solve the problem", fmt.Errorf("%s: %w", *problem, err))
	}
	if err := writeMPS(ctx, mpsF, p); err != nil {
		return fail(err)
	}
	if outF != nil {
		if err := writeJSON(outW, res); err != nil {
			return fail(explain(ctx, outF, err))
		}
	}
	if err := commit(); err != nil {
		return fail(err)
	}
	if *asJSON {
		if err := writeJSON(stdout, res); err != nil {
			return fail(explain(ctx, nil, fmt.Errorf("write stdout: %w", err)))
		}
		return 0
	}
	// A summary that cannot be written is not a result: exit 1, as for
	// --json (stdout a full disk or a closed pipe).
	if _, err := stdout.Write(summary(*problem, p, res)); err != nil {
		return fail(explain(ctx, nil, fmt.Errorf("write stdout: %w", err)))
	}
	return 0
}

// readProblem decodes the Problem file path. A file that cannot be opened,
// a directory or a device is said to be that, naming --problem, not an "invalid
// problem". The file is not read whole first: DecodeProblem keeps its own
// copy, and a second one of a large instance is memory for nothing.
func readProblem(path string) (*dispatch.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--problem: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, fmt.Errorf("--problem: %w", err)
	} else if fi.IsDir() {
		return nil, fmt.Errorf("--problem %s: a directory, not a Problem JSON file", path)
	} else if fi.Mode()&os.ModeDevice != 0 {
		// /dev/zero was read until memory ran out. A pipe (/dev/stdin
		// from a pipe or a file) is still read.
		return nil, fmt.Errorf("--problem %s: a device, not a Problem JSON file", path)
	}
	p, err := dispatch.DecodeProblem(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, fewerErrors(err, maxShownErrors))
	}
	return p, nil
}

// maxShownErrors is how many of an invalid problem's errors are printed:
// a generator's bug made one for every EV, 100,000 lines that scrolled the
// first out of sight.
const maxShownErrors = 20

// fewerErrors keeps the first n of the errors DecodeProblem joined, and
// says how many more there are; err is returned as it is otherwise.
func fewerErrors(err error, n int) error {
	outer, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	parts := outer.Unwrap()
	if len(parts) != 2 || parts[0] != dispatch.ErrInvalid {
		return err
	}
	joined, ok := parts[1].(interface{ Unwrap() []error })
	if !ok || len(joined.Unwrap()) <= n {
		return err
	}
	all := joined.Unwrap()
	shown := append(slices.Clip(all[:n]), fmt.Errorf("and %d more errors (%d in all; the first %d are above)", len(all)-n, len(all), n))
	return fmt.Errorf("%w: %w", dispatch.ErrInvalid, errors.Join(shown...))
}

// writeJSON writes v to w as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// writeMPS writes p's LP in free MPS to f, when there is one, stopping
// when ctx is done.
func writeMPS(ctx context.Context, f *atomicfile.File, p *dispatch.Problem) error {
	if f == nil {
		return nil
	}
	if err := dispatch.WriteMPS(ctxWriter{ctx, f}, p); err != nil {
		return explain(ctx, f, err)
	}
	return nil
}

// ctxWriter refuses every write once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(b []byte) (int, error) {
	if err := interrupted(c.ctx); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}

// interrupted says so when ctx is done (Ctrl-C or SIGTERM).
func interrupted(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: nothing written (%w)", err)
	}
	return nil
}

// explain is the message for a failed write to f (nil: stdout): the
// interruption when there was one, else what f says about err.
func explain(ctx context.Context, f *atomicfile.File, err error) error {
	if ierr := interrupted(ctx); ierr != nil {
		return ierr
	}
	if f == nil {
		return err
	}
	return f.Explain(err)
}

// summary is what a dispatcher checks first: did it solve, what it costs,
// who is short, where the grid is overloaded. It is made whole before it
// is written, so one write says whether it got out.
func summary(file string, p *dispatch.Problem, r *dispatch.Result) []byte {
	var w bytes.Buffer
	dt := p.Hours()
	fmt.Fprintf(&w, "problem    %s: %s, %s, %s of %d min\n", file, plural(len(p.EVs), "EV", "EVs"), plural(len(p.Feeders), "feeder", "feeders"), plural(p.Slots, "slot", "slots"), p.SlotMinutes)
	fmt.Fprintf(&w, "status     %s, certified gap %.2g\n", r.Status, r.Gap)
	fmt.Fprintf(&w, "objective  %.4f (lower bound %.4f)\n", r.Objective, r.LowerBound)
	c := r.Costs
	// Two lines each for the costs and the slack: on one they ran past 80
	// columns at a fleet's magnitudes and wrapped in a narrow terminal.
	fmt.Fprintf(&w, "costs      energy %.2f, degradation %.2f, unmet %.2f\n", c.Energy, c.Degradation, c.Unmet)
	fmt.Fprintf(&w, "           overload %.2f, caps %.2f\n", c.Overload, c.Caps)
	short, unmet := 0, 0.0
	for _, ev := range r.EVs {
		if ev.UnmetKWh > 1e-6 {
			short++
			unmet += ev.UnmetKWh
		}
	}
	fmt.Fprintf(&w, "unmet      %d of %s short of target, %.2f kWh in total\n", short, plural(len(r.EVs), "EV", "EVs"), unmet)
	peak, at := math.Inf(-1), 0
	for t, v := range r.SystemKW {
		if v > peak {
			peak, at = v, t
		}
	}
	if len(r.SystemKW) > 0 {
		fmt.Fprintf(&w, "peak       system %.2f kW in slot %d (%s)\n", peak, at, clock(p, at))
	}
	imp, exp := 0.0, 0.0
	for _, f := range r.Feeders {
		for t := range f.KW {
			imp += f.ImportSlack[t] * dt
			exp += f.ExportSlack[t] * dt
		}
	}
	sys, capE := 0.0, 0.0
	for _, v := range r.SystemSlack {
		sys += v * dt
	}
	for _, cp := range r.Caps {
		for _, v := range cp.SlackKW {
			capE += v * dt
		}
	}
	fmt.Fprintf(&w, "slack kWh  feeder import %.2f, feeder export %.2f\n", imp, exp)
	fmt.Fprintf(&w, "           system %.2f, caps %.2f\n", sys, capE)
	// A power bound is in kW, an SoC or wear bound in kWh.
	fmt.Fprintf(&w, "hard bound largest violation %.2g (kW or kWh)\n", r.MaxViolation)
	fmt.Fprintf(&w, "solve      %d iterations, %.3f s\n", r.Iterations, r.SolveSeconds)
	return w.Bytes()
}

// clock names slot t by its start time when the problem has one.
func clock(p *dispatch.Problem, t int) string {
	start, err := time.Parse(time.RFC3339, p.Start)
	if err != nil {
		return fmt.Sprintf("+%d min", t*p.SlotMinutes)
	}
	return start.Add(time.Duration(t*p.SlotMinutes) * time.Minute).Format("15:04")
}

// sameFile reports whether a and b name the same file: the same path, or
// two paths (a link among them) to one existing file. An output is renamed
// into place over its path, so one naming the input would replace it.
func sameFile(a, b string) bool {
	if samePath(a, b) {
		return true
	}
	ai, err1 := os.Stat(a)
	bi, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ai, bi)
}

// samePath reports whether a and b name the same file (after cleaning
// and making them absolute; links are not followed).
func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// generateGiven reports whether --generate was on the command line: its
// default, 0, means not given.
func generateGiven(fs *flag.FlagSet) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == "generate" })
	return found
}
