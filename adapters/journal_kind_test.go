package adapters_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestReadJournalKindIsTheFilteredRead: ReadJournalKind returns what
// ReadJournal returns of the kind, in order, on a damaged file too
// (corrupt lines, a torn tail, a record of another kind naming it), and
// decodes only the lines that hold the kind.
func TestReadJournalKindIsTheFilteredRead(t *testing.T) {
	const n = 200
	path := damagedMonth(t, n, 1)[0]
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(
		adapters.Record{Kind: adapters.RecDispatchConfirm, Event: "DR-1", Operator: "ana"},
		adapters.Record{Kind: adapters.RecAlarmAck, Event: "dispatch_confirm"},
		adapters.Record{Kind: adapters.RecDispatchConfirm, Event: "DR-2", Operator: "bo"},
	); err != nil {
		t.Fatal(err)
	}
	j.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"kind":"dispatch_confirm","event":"DR-3"` + "\n" + `{"seq":1000,"kind":"dispatch_confirm","event":"DR-4"`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var want, got []adapters.Record
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		if r.Kind == adapters.RecDispatchConfirm {
			want = append(want, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := adapters.ReadJournalKind(path, adapters.RecDispatchConfirm, func(r adapters.Record) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v; ReadJournal's confirmations are %+v (want DR-1 and DR-2)", got, want)
	}

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decoded := 0
	for _, line := range strings.Split(string(b), "\n") {
		if adapters.KindDecodes(adapters.RecDispatchConfirm, line) {
			decoded++
		}
	}
	// DR-1, DR-2, the alarm_ack whose event names the kind, the corrupt
	// DR-3 and the torn DR-4 (which the scan reports, never decodes); not
	// the 2×n setpoints and results nor the other lines.
	if decoded != 5 {
		t.Errorf("decodes %d lines of %d; want the 5 holding \"dispatch_confirm\"", decoded, 2*n+7)
	}
}

// TestReadJournalKindOldNames: a kind journalled under an old name
// (ssh.login) is read as its present one, every line decoded.
func TestReadJournalKindOldNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	doc := `{"seq":1,"ts":"2026-11-20T10:00:00Z","kind":"ssh.login","operator":"ana"}` + "\n" +
		`{"seq":2,"ts":"2026-11-27T10:00:00Z","kind":"login","operator":"bo"}` + "\n"
	if err := os.WriteFile(path, []byte(doc), 0o640); err != nil {
		t.Fatal(err)
	}
	var ops []string
	if err := adapters.ReadJournalKind(path, adapters.RecLogin, func(r adapters.Record) error {
		ops = append(ops, r.Operator)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ops, ",") != "ana,bo" {
		t.Errorf("logins by %v; want ana (as ssh.login) and bo", ops)
	}
}
