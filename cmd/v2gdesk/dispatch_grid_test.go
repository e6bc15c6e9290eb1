package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestDispatchPreviewRowsOnTheSlotGrid: a preview made at 17:42 listed
// 17:42, 17:57, 18:12, … while the desk re-plans on the quarter hours (the
// first plan starts at the current minute, the next at 17:45). The rows are
// now, then the quarter hours.
func TestDispatchPreviewRowsOnTheSlotGrid(t *testing.T) {
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, []byte(`{"v":1,"type":"event","id":"DR-42","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T17:42:00+08:00","end":"2024-01-17T18:30:00+08:00","kw":600}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", ev)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	var rows []string
	for _, m := range regexp.MustCompile(`(?m)^  (\d\d:\d\d)  `).FindAllStringSubmatch(out, -1) {
		rows = append(rows, m[1])
	}
	if want := []string{"17:42", "17:45", "18:00", "18:15", "18:30", "18:45"}; !slices.Equal(rows, want) {
		t.Errorf("preview rows %v, want %v:\n%s", rows, want, out)
	}
	// The cap column covers the window's rows only: 18:30 is after it.
	if !regexp.MustCompile(`(?m)^  18:15 .* 600$`).MatchString(out) || !regexp.MustCompile(`(?m)^  18:30 .* –$`).MatchString(out) {
		t.Errorf("cap column not on the window's rows:\n%s", out)
	}
}

// TestDispatchPreviewMarksRowsAfterMidnight: an overnight event's rows
// read 23:45, 00:00, 00:15 with no sign the last are the next day's, where
// its title says "23:30–00:30 (+1 d)". They carry the same mark, and the
// header's columns move with the wider time column.
func TestDispatchPreviewMarksRowsAfterMidnight(t *testing.T) {
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, []byte(`{"v":1,"type":"event","id":"DR-90","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T23:30:00+08:00","end":"2024-01-18T00:30:00+08:00","kw":600}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", ev)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	var rows []string
	for _, m := range regexp.MustCompile(`(?m)^  (\d\d:\d\d(?: \(\+1 d\))?) +\d`).FindAllStringSubmatch(out, -1) {
		rows = append(rows, m[1])
	}
	if want := []string{"23:30", "23:45", "00:00 (+1 d)", "00:15 (+1 d)", "00:30 (+1 d)", "00:45 (+1 d)"}; !slices.Equal(rows, want) {
		t.Errorf("preview rows %v, want %v:\n%s", rows, want, out)
	}
	if !regexp.MustCompile(`(?m)^F08 load, kW {10}before    after      cap$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^  23:30 {19}\d{3}  `).MatchString(out) {
		t.Errorf("columns not widened with the marked times:\n%s", out)
	}
}
