package main

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestAuditStreamedTableIsTheTable: the table written whole (piped) on a
// second pass, with no row held, is byte for byte the table
// writeAuditTable aligns from every row: wide and Chinese values, data
// times on some records only; and with a filter leaving few rows, held and
// written after one pass, too.
func TestAuditStreamedTableIsTheTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	kw := 7.4
	data := at.Add(-8 * time.Hour)
	recs := []adapters.Record{
		{TS: at, Kind: adapters.RecLogin, Operator: "张伟", Reason: "ssh key SHA256:abc"},
		{TS: at.Add(time.Second), Kind: adapters.RecSetpoint, Operator: "ana", Charger: "CP-0042", Setpoint: "DR-17@20261127T090000.1~mi3k9x2a/CP-0042", KW: &kw, DataTS: &data, Reason: "削峰 re-plan: site limit 4.2 MW"},
		{TS: at.Add(2 * time.Second), Kind: adapters.RecResult, Operator: "ana", Charger: "CP-0042", Status: adapters.StatusAccepted, AppliedKW: &kw, DryRun: true},
		{TS: at.Add(3 * time.Second), Kind: adapters.RecAlarmAck, Operator: "bo", Event: "T-F10-1835", Detail: "a long detail\twith  spaces"},
	}
	for _, r := range recs {
		if err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	// More rows than are held: the table is written on a second pass.
	many := make([]adapters.Record, auditRowsHeld)
	for i := range many {
		many[i] = adapters.Record{TS: at.Add(time.Hour), Kind: adapters.RecAlarmAck, Operator: "bo", Charger: "CP-0001"}
	}
	if err := j.Append(many...); err != nil {
		t.Fatal(err)
	}
	j.Close()
	for _, args := range [][]string{nil, {"--charger", "CP-0042"}, {"--tz", "Asia/Shanghai"}} {
		loc, _ := time.LoadLocation("UTC")
		if len(args) == 2 && args[0] == "--tz" {
			loc, _ = time.LoadLocation(args[1])
		}
		var rows [][]string
		if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
			if len(args) == 2 && args[0] == "--charger" && r.Charger != args[1] {
				return nil
			}
			rows = append(rows, auditRow(r, loc))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if _, err := writeAuditTable(&want, auditHeader(loc.String()), rows, 0); err != nil {
			t.Fatal(err)
		}
		var got, errb bytes.Buffer
		if code := runAudit(t.Context(), append([]string{"--journal", path}, args...), &got, &errb); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errb.String())
		}
		if got.String() != want.String() {
			t.Errorf("%q: streamed table\n%s\nwant\n%s", args, got.String(), want.String())
		}
	}
}
