package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditChargerApartFromCase: --charger cp-0412 where the journal holds
// CP-0412 says so on stderr, with the table and with --json; it printed
// only "0 of 3 records shown", which reads as a charger the journal holds
// nothing about. A --charger that matches, or matches nothing in any case,
// says nothing more.
func TestAuditChargerApartFromCase(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	recs := `{"seq":1,"ts":"2026-11-26T09:47:00Z","kind":"setpoint","operator":"ana","charger":"CP-0412","kw":7}
{"seq":2,"ts":"2026-11-26T09:47:01Z","kind":"result","charger":"CP-0412","status":"accepted","applied_kw":7}
{"seq":3,"ts":"2026-11-26T09:48:00Z","kind":"alarm_ack","operator":"ana","detail":"alarm=loading/F11"}
`
	if err := os.WriteFile(journal, []byte(recs), 0o600); err != nil {
		t.Fatal(err)
	}
	const hint = `v2gdesk audit: no record about charger "cp-0412"; did you mean "CP-0412"? (ids are case-sensitive)`
	for _, tc := range []struct {
		args     []string
		wantHint bool
	}{
		{[]string{"--charger", "cp-0412"}, true},
		{[]string{"--charger", "cp-0412", "--json"}, true},
		{[]string{"--charger", "CP-0412"}, false},
		{[]string{"--charger", "CP-9999"}, false},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"audit", "--journal", journal}, tc.args...), &out, &errb)
		if code != 0 {
			t.Errorf("%q: exit %d, want 0: %s", tc.args, code, errb.String())
		}
		if got := strings.Contains(errb.String(), hint); got != tc.wantHint {
			t.Errorf("%q: stderr %q; hint %q said: %v, want %v", tc.args, errb.String(), hint, got, tc.wantHint)
		}
	}
}
