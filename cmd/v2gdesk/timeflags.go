package main

import (
	"errors"
	"flag"
	"io"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// parseInterspersed parses args with fs allowing positional arguments among
// the flags (`replay FILE --speed 60`), and returns the positional ones;
// --help prints on help.
func parseInterspersed(fs *flag.FlagSet, args []string, lang string, help io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, lang, help); err != nil {
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
		return nil, errorf("%s is a recording; to play a recording: v2gdesk replay %s", name, name)
	}
	// ReadFile's error names the file; callers add the flag.
	return scenario.ReadFile(name)
}

// givenDuration is a duration flag that keeps the text it was given, so a
// refusal quotes what was typed: "--for -5m", where the flag package's
// duration read back "-5m0s". It is a flag.Getter of a time.Duration, so a
// value it cannot read gets flagValueHint's line like any duration flag.
type givenDuration struct {
	d    time.Duration
	text string
}

// durationFlag defines a givenDuration flag on fs with default def.
func durationFlag(fs *flag.FlagSet, name string, def time.Duration, usage string) *givenDuration {
	g := &givenDuration{d: def}
	fs.Var(g, name, usage)
	return g
}

// Set implements flag.Value.
func (g *givenDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("parse error") // the flag package's word for its own durations
	}
	g.d, g.text = d, s
	return nil
}

// String implements flag.Value: the text given, else the default.
func (g *givenDuration) String() string {
	if g == nil {
		return ""
	}
	if g.text != "" {
		return g.text
	}
	return g.d.String()
}

// Get implements flag.Getter.
func (g *givenDuration) Get() any { return g.d }
