package adapters_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// damagedMonth writes writeMonth's n setpoints, then a corrupt line, a
// record whose seq goes back and a torn tail, and returns the path of one
// copy per opener (an open cuts the torn tail off, so each needs its own).
func damagedMonth(t *testing.T, n, copies int) []string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src.jsonl")
	writeMonth(t, src, n)
	f, err := os.OpenFile(src, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	back := `{"seq":3,"ts":"2026-10-28T00:00:00Z","kind":"alarm_ack","detail":"pieced together"}`
	if _, err := f.WriteString("not a record\n" + back + "\n" + `{"seq":99,"kind":"setp`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := range copies {
		p := filepath.Join(dir, fmt.Sprintf("audit-%d.jsonl", i))
		if err := os.WriteFile(p, b, 0o640); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestOpenNoSetpointsHoldsNoID: a journal opened for a desk that cannot
// send holds no setpoint id while opening or after, and reports the same
// damage and seq as the plain open.
func TestOpenNoSetpointsHoldsNoID(t *testing.T) {
	const n = 300
	paths := damagedMonth(t, n, 2)
	whole, wholeRep, err := adapters.OpenJournal(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	j, rep, err := adapters.OpenJournalWith(paths[1], adapters.OpenOptions{NoSetpoints: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()

	if peak := adapters.JournalPeakOnOpen(whole); peak < n {
		t.Fatalf("plain open held %d ids; the test needs it to hold all %d", peak, n)
	}
	if peak := adapters.JournalPeakOnOpen(j); peak != 0 {
		t.Errorf("held up to %d setpoint ids while opening; want none", peak)
	}
	if got := adapters.JournalOutcomes(j); got != 0 {
		t.Errorf("remembers %d outcomes; want none", got)
	}
	if _, ok := j.FirstUse("sp-0"); ok {
		t.Error("sp-0's first use is remembered; want no id")
	}
	if got := j.LastSentOnOpen(); len(got) != 0 {
		t.Errorf("last sent per charger: %v; want none", got)
	}

	// The same report, torn tail saved aside included (each beside its
	// own copy).
	wholeRep.Torn.SavedTo, rep.Torn.SavedTo = "", ""
	for i := range rep.Corrupt {
		rep.Corrupt[i].Err, wholeRep.Corrupt[i].Err = nil, nil
	}
	if !reflect.DeepEqual(rep, wholeRep) {
		t.Errorf("report %+v; the plain open's %+v", rep, wholeRep)
	}
	if rep.SeqBreaks != 1 || len(rep.Corrupt) != 1 || rep.Torn == nil {
		t.Errorf("report %+v; want one seq break, one corrupt line and a torn tail", rep)
	}
	if _, err := os.Stat(paths[1] + adapters.TornSuffix); err != nil {
		t.Errorf("torn tail not kept aside: %v", err)
	}
	if err := j.Append(adapters.Record{Kind: adapters.RecAlarmAck, Detail: "after"}); err != nil {
		t.Fatal(err)
	}
	var last uint64
	if _, err := adapters.ReadJournal(paths[1], func(r adapters.Record) error { last = r.Seq; return nil }); err != nil {
		t.Fatal(err)
	}
	if last != wholeRep.LastSeq+1 {
		t.Errorf("appended seq %d; want %d, after the file's last", last, wholeRep.LastSeq+1)
	}
}
