package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// TestBuildReproducesCommittedDemo rebuilds the demo day from the real data
// when it is present (../shared/data beside the repository, or
// $V2GDESK_DATA) and checks the committed file is what the builder makes.
func TestBuildReproducesCommittedDemo(t *testing.T) {
	in := realInputs(t)
	sc, _, err := build(in, defaultOptions(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var built bytes.Buffer
	if err := sc.WriteGzip(&built); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "demo", "demo.scenario.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := scenario.Read(&built)
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenario.Read(bytes.NewReader(committed))
	if err != nil {
		t.Fatal(err)
	}
	var ja, jb bytes.Buffer
	a.WriteGzip(&ja)
	b.WriteGzip(&jb)
	if !bytes.Equal(ja.Bytes(), jb.Bytes()) {
		t.Fatal("the committed demo scenario differs from what builddemo makes: rerun `go run ./replay/builddemo`")
	}
}

// TestBuildNamesTheBadFile checks that a data file the builder cannot parse
// is named in the error: the three readers' errors did not say which file.
func TestBuildNamesTheBadFile(t *testing.T) {
	csv := func(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
	for _, c := range []struct {
		name string
		in   inputs
	}{
		{"sessions", inputs{sessions: csv("not;a;header\n")}},
		{"users", inputs{sessions: csv("location;user_id;session_id;plugin_time;plugout_time;connection_time;energy_session\n"),
			users: csv("not;a;header\n")}},
		{"zones", inputs{sessions: csv("location;user_id;session_id;plugin_time;plugout_time;connection_time;energy_session\n"),
			users: csv("user_id;charging_power;battery_capacity\n"), zones: csv("not,a,header\n")}},
	} {
		c.in.sessionsPath, c.in.usersPath, c.in.zonesPath = "sessions.csv", "users.csv", "zones.csv"
		_, _, err := build(&c.in, defaultOptions(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err == nil || !strings.HasPrefix(err.Error(), c.name+".csv: ") || !errors.Is(err, scenario.ErrCSV) {
			t.Errorf("%s: error %v, want it to start with %s.csv: and wrap ErrCSV", c.name, err, c.name)
		}
	}
}

// TestBuildRefusesMoreFeedersThanWeekdays: each feeder takes its base curve
// from its own Tetouan weekday, so asking for more feeders than the chosen
// months have weekdays is an error that says so. The check allowed three
// feeders a day and the loop then indexed past the days (a panic at
// -feeders 100).
func TestBuildRefusesMoreFeedersThanWeekdays(t *testing.T) {
	in := realInputs(t)
	o := defaultOptions()
	o.Feeders = 100
	_, _, err := build(in, o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "100 feeders") {
		t.Fatalf("100 feeders: err %v, want a refusal naming the feeders asked for", err)
	}
}

// realInputs opens the real data the demo is built from: ../shared/data
// beside the repository or beside the worktrees' parent, or $V2GDESK_DATA.
// Without it the test is skipped: the builder is run by hand, where the
// data is.
func realInputs(t *testing.T) *inputs {
	t.Helper()
	dirs := []string{os.Getenv("V2GDESK_DATA"), filepath.Join("..", "..", "..", "shared", "data"), filepath.Join("..", "..", "..", "..", "shared", "data")}
	var err error
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		in, oerr := openInputs(dir)
		if oerr == nil {
			t.Cleanup(func() { in.Close() })
			return in
		}
		err = oerr
	}
	t.Skipf("real data not available (%v); the builder is only run by hand", err)
	return nil
}
