package adapters

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJournalRefusesAnAdaptersFileWithAKindOnALine: an adapters file
// written one adapter a line has a line that decodes as an object with a
// "kind" ({"name": "commissioning", "kind": "dryrun"}). It was counted as a
// record, so `setpoint --journal site.json` (the adapters file named where
// the journal was meant) appended its records to the adapters file. A
// journal numbers its records from 1: a line without a seq is not one.
func TestJournalRefusesAnAdaptersFileWithAKindOnALine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.json")
	doc := "{\n  \"journal\": \"audit.jsonl\",\n  \"adapters\": [\n" +
		"    {\"name\": \"sim\", \"kind\": \"wsjson\", \"settings\": {\"url\": \"ws://127.0.0.1:8765/v1\"}},\n" +
		"    {\"name\": \"commissioning\", \"kind\": \"dryrun\"}\n  ],\n  \"chargers\": []\n}\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	j, _, err := OpenJournal(path)
	if err == nil {
		j.Append(Record{Kind: RecLogin, Operator: "ana"})
		j.Close()
	}
	if !errors.Is(err, ErrJournal) || !strings.Contains(err.Error(), "is not an audit journal: none of its 8 lines is a journal record") {
		t.Errorf("err %v, want it refused as not an audit journal", err)
	}
	if b, _ := os.ReadFile(path); string(b) != doc {
		t.Errorf("the adapters file became %q", b)
	}
}
