package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// parseInterspersed parses args with fs allowing positional arguments among
// the flags (`replay FILE --speed 60`), and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// clockOn returns the time hhmm ("16:00") on the day of ref, in ref's zone.
func clockOn(ref time.Time, hhmm string) (time.Time, error) {
	m, err := scenario.ParseClock(hhmm)
	if err != nil {
		return time.Time{}, err
	}
	y, mo, d := ref.Date()
	return time.Date(y, mo, d, m/60, m%60, 0, 0, ref.Location()), nil
}

// loadScenario returns the embedded demo day for "demo", else the scenario
// file at name (JSON, gzip-compressed or not).
func loadScenario(name string) (*scenario.Scenario, error) {
	if name == "demo" {
		return demo.Scenario()
	}
	if isRecording(name) {
		// Read as a scenario it fails on the header's "unknown field".
		return nil, fmt.Errorf("%s is a recording; %s", name, playHint(name))
	}
	// ReadFile's error names the file; callers add the flag.
	return scenario.ReadFile(name)
}
