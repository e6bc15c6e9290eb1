package main

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// writeIDs journals, around now, a setpoint and its result for "old"
// (expired an hour before now), "live" (valid for an hour after now) and a
// setpoint without a result, "cut" (a restart cut it off).
func writeIDs(t *testing.T, path string, now time.Time) {
	t.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	kw := 3.0
	for _, sp := range []struct {
		id     string
		until  time.Time
		result bool
	}{{"old", now.Add(-time.Hour), true}, {"live", now.Add(time.Hour), true}, {"cut", now.Add(time.Hour), false}} {
		from := sp.until.Add(-15 * time.Minute)
		recs := []adapters.Record{{TS: from, Kind: adapters.RecSetpoint, Charger: "CP-1", Setpoint: sp.id, KW: &kw, RequestedKW: &kw, ValidFrom: &from, ValidUntil: &sp.until}}
		if sp.result {
			recs = append(recs, adapters.Record{TS: from, Kind: adapters.RecResult, Charger: "CP-1", Setpoint: sp.id, Status: adapters.StatusAccepted, AppliedKW: &kw})
		}
		if err := j.Append(recs...); err != nil {
			t.Fatal(err)
		}
	}
}

// remembered says which of writeIDs' ids j answers a re-send of.
func remembered(j *adapters.Journal) map[string]bool {
	got := map[string]bool{}
	for _, id := range []string{"old", "live", "cut"} {
		if _, ok := j.Outcome(id); ok {
			got[id] = true
		}
	}
	return got
}

// TestDeskJournalKeepsWhatTheDeskNeeds: a simulated desk's journal keeps
// the ids its guard, on the simulator's clock, can be asked to re-send
// (the expired one forgotten as read, the cut-off one reported); a live
// feed's desk, which cannot send, keeps none.
func TestDeskJournalKeepsWhatTheDeskNeeds(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	simIn, err := openIngest(ingestOptions{scenario: "demo", start: "16:00", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	feedIn, err := openIngest(ingestOptions{feed: "ws://127.0.0.1:1/feed"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   ingest
		want map[string]bool
	}{
		{"simulated", simIn, map[string]bool{"live": true, "cut": true}},
		{"live feed", feedIn, map[string]bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			writeIDs(t, path, simIn.sim.Now())
			j, err := openSimJournal(path, deskJournalOptions(tc.in), quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			got := remembered(j)
			if len(got) != len(tc.want) {
				t.Errorf("remembers %v; want %v", got, tc.want)
			}
			for id := range tc.want {
				if !got[id] {
					t.Errorf("%s forgotten; want %v remembered", id, tc.want)
				}
			}
			if r, ok := j.Outcome("cut"); ok && r.Status != adapters.StatusFailed {
				t.Errorf("cut-off setpoint: %+v, want failed (outcome unknown)", r)
			}
		})
	}
}

// TestScenarioDispatchJournalKeepsWhatItsGuardKeeps: `dispatch --scenario`
// opens its journal keeping what its guard on the simulator's clock keeps,
// not every id of the file.
func TestScenarioDispatchJournalKeepsWhatItsGuardKeeps(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	in, err := openIngest(ingestOptions{scenario: "demo", start: "16:00", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	writeIDs(t, path, in.sim.Now())
	j, err := openGuardJournal(path, simGuardOptions(in.sim, quiet), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if got := remembered(j); len(got) != 2 || !got["live"] || !got["cut"] {
		t.Errorf("remembers %v; want live and cut (old expired by the simulator's clock)", got)
	}
}
