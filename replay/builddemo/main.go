// Command builddemo composes the embedded demo day (replay/demo) from real
// open data: feeder base loads from the Tetouan distribution-zone loads and
// EV sessions from the Norwegian residential charging dataset (see NOTICE).
//
//	go run ./replay/builddemo -data ../shared/data -out replay/demo/demo.scenario.json.gz
//
// The result is deterministic for a given -seed. docs/replay.md describes
// every choice it makes.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("builddemo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/data", "`DIR` holding the ev-sessions-norway-residential and feeder-load-tetouan-3zones folders")
	out := fs.String("out", "replay/demo/demo.scenario.json.gz", "scenario `FILE` to write")
	opts := defaultOptions()
	fs.Int64Var(&opts.Seed, "seed", opts.Seed, "random seed for every choice")
	fs.IntVar(&opts.Sessions, "sessions", opts.Sessions, "number of EV sessions")
	fs.IntVar(&opts.Feeders, "feeders", opts.Feeders, "number of feeders")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	in, err := openInputs(*data)
	if err != nil {
		fmt.Fprintf(stderr, "builddemo: %v\n", err)
		return 1
	}
	defer in.Close()
	sc, rep, err := build(in, opts, log)
	if err != nil {
		fmt.Fprintf(stderr, "builddemo: %v\n", err)
		return 1
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".scenario-*.tmp")
	if err != nil {
		fmt.Fprintf(stderr, "builddemo: %v\n", err)
		return 1
	}
	if err := sc.WriteGzip(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		fmt.Fprintf(stderr, "builddemo: write %s: %v\n", *out, err)
		return 1
	}
	tmp.Close()
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		fmt.Fprintf(stderr, "builddemo: %v\n", err)
		return 1
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		fmt.Fprintf(stderr, "builddemo: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n%s", *out, rep)
	return 0
}

// inputs are the three real data files the builder reads, with their
// paths for error messages.
type inputs struct {
	sessions, users, zones             io.ReadCloser
	sessionsPath, usersPath, zonesPath string
}

func openInputs(dir string) (*inputs, error) {
	paths := []string{
		filepath.Join(dir, "ev-sessions-norway-residential", "Dataset1_charging_reports.csv"),
		filepath.Join(dir, "ev-sessions-norway-residential", "Dataset2_user_predictions.csv"),
		filepath.Join(dir, "feeder-load-tetouan-3zones", "tetuan_city_power_consumption.csv"),
	}
	var fs []io.ReadCloser
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			for _, g := range fs {
				g.Close()
			}
			return nil, err
		}
		fs = append(fs, f)
	}
	return &inputs{sessions: fs[0], users: fs[1], zones: fs[2],
		sessionsPath: paths[0], usersPath: paths[1], zonesPath: paths[2]}, nil
}

func (in *inputs) Close() {
	in.sessions.Close()
	in.users.Close()
	in.zones.Close()
}
