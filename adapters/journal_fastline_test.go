package adapters_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// checkLineDecoder fails t when the fast path accepts line (with its
// newline) and json.Unmarshal, which decided every line before it, refuses
// it or makes another Record of it, or when its skim (ScanJournalFrom)
// takes another line or keeps another seq, time or kind. It reports
// whether the fast path accepted the line.
func checkLineDecoder(t *testing.T, line []byte) bool {
	t.Helper()
	fast, ok := adapters.DecodeLineFast(line)
	skim, skimOK := adapters.SkimLineFast(line)
	if skimOK != ok {
		t.Fatalf("line %q: decoded %v, skimmed %v; a skim must accept what a decode accepts", line, ok, skimOK)
	}
	if !ok {
		return false
	}
	if skim.Seq != fast.Seq || !reflect.DeepEqual(skim.TS, fast.TS) || skim.Kind != fast.Kind {
		t.Fatalf("line %q: skimmed seq %d, ts %v, kind %q; decoded %d, %v, %q", line, skim.Seq, skim.TS, skim.Kind, fast.Seq, fast.TS, fast.Kind)
	}
	var want adapters.Record
	if err := json.Unmarshal(bytes.TrimSpace(line), &want); err != nil {
		t.Fatalf("fast path accepted %q, which json.Unmarshal refuses: %v", line, err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("line %q:\nfast path %+v\njson       %+v", line, fast, want)
	}
	return true
}

// lineSeeds are lines the fast path must take or leave as json.Unmarshal
// would: records as Append writes them, and each way a line can differ
// from that.
var lineSeeds = []string{
	`{"seq":1,"ts":"2026-10-28T00:00:00Z","kind":"setpoint","operator":"ana","event":"DR-0","reason":"DR re-plan: site limit 4.2 MW","charger":"CP-0000","setpoint":"DR-0@20261028T000000.1~f44bf49/CP-0000","adapter":"modbus-depot","kw":9.9,"requested_kw":9.9,"valid_from":"2026-10-28T00:00:00Z","valid_until":"2026-10-28T00:20:00Z"}`,
	`{"seq":1001,"ts":"2026-10-28T00:00:00.723Z","kind":"result","operator":"ana","charger":"CP-0000","setpoint":"sp","adapter":"ocpp","status":"timeout","detail":"no answer before the batch deadline","dry_run":true}`,
	`{"seq":7,"ts":"2026-11-26T06:00:00+01:00","data_ts":"2026-11-26T17:47:00Z","kind":"late_result","setpoint":"x","status":"accepted","applied_kw":-7.4e-1}`,
	`{"seq":2,"ts":"2026-11-26T06:00:00Z","kind":"login","operator":"李","reason":"ssh"}`,
	`{}`,
	`{"seq":0,"kind":"login"}`,
	`{"seq":18446744073709551615,"kind":"login"}`,
	`{"seq":18446744073709551616,"kind":"login"}`,
	`{"seq":-1,"kind":"login"}`,
	`{"seq":01,"kind":"login"}`,
	`{"seq":1.0,"kind":"login"}`,
	`{"seq":1e2,"kind":"login"}`,
	`{"seq":"1","kind":"login"}`,
	`{"seq":1,"kind":"login","seq":2}`,
	`{"seq":1,"Kind":"login"}`,
	`{"seq":1,"kind":"login","unknown":{"a":[1,2]}}`,
	`{"seq":1,"kind":"log\u0069n"}`,
	`{"seq":1,"kind":"login","reason":"a \"quoted\" reason"}`,
	`{"seq":1,"kind":"login","reason":"\u003cb\u003e"}`,
	"{\"seq\":1,\"kind\":\"login\",\"reason\":\"bad \xff utf-8\"}",
	"{\"seq\":1,\"kind\":\"login\",\"reason\":\"tab\there\"}",
	`{"seq":1,"kind":null}`,
	`{"seq":1,"kind":"setpoint","kw":null}`,
	`{"seq":1,"kind":"setpoint","kw":1e999}`,
	`{"seq":1,"kind":"setpoint","kw":-0}`,
	`{"seq":1,"kind":"setpoint","kw":.5}`,
	`{"seq":1,"kind":"setpoint","kw":5.}`,
	`{"seq":1,"kind":"setpoint","kw":+5}`,
	`{"seq":1,"kind":"setpoint","kw":"5"}`,
	`{"seq":1,"kind":"setpoint","dry_run":1}`,
	`{"seq":1,"kind":"setpoint","dry_run":truex}`,
	`{"seq":1,"kind":"setpoint","dry_run":false}`,
	`{"seq":1,"ts":"2026-13-28T00:00:00Z","kind":"login"}`,
	`{"seq":1,"ts":"2026-10-28 00:00:00Z","kind":"login"}`,
	`{"seq":1,"ts":"2026-10-28T00:00:00z","kind":"login"}`,
	`{"seq":1,"ts":1,"kind":"login"}`,
	`{"seq":1,"valid_until":"2026-10-28T24:00:00Z","kind":"login"}`,
	`{ "seq":1,"kind":"login"}`,
	`{"seq" :1,"kind":"login"}`,
	`{"seq":1,"kind":"login"} `,
	`{"seq":1,"kind":"login"}` + "\r",
	`{"seq":1,"kind":"login",}`,
	`{"seq":1,"kind":"login"}}`,
	`{"seq":1,"kind":"login"`,
	`{"seq":1,,"kind":"login"}`,
	`{"seq":1"kind":"login"}`,
	`{"seq":1,"kind":"login"}{"seq":2}`,
	`[{"seq":1,"kind":"login"}]`,
	`"seq"`,
	`{"seq":1,"kind":"}`,
	`{"`,
	`{"seq":1,"kind":"login","reason":"}`,
	`not a record`,
	``,
}

// FuzzLineDecoderIsUnmarshal: whatever the line, the fast path either
// leaves it to json.Unmarshal or makes of it exactly what json.Unmarshal
// makes (and json.Unmarshal accepts it).
func FuzzLineDecoderIsUnmarshal(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if bytes.IndexByte(b, '\n') >= 0 {
			return // a scan hands the decoder one line
		}
		checkLineDecoder(t, append(b, '\n'))
	})
}

// TestLineDecoderSeeds: the fuzz seeds agree with json.Unmarshal, and the
// fast path takes the lines Append writes (else it would gain nothing).
func TestLineDecoderSeeds(t *testing.T) {
	taken := 0
	for _, s := range lineSeeds {
		if checkLineDecoder(t, []byte(s+"\n")) {
			taken++
		}
	}
	for _, s := range lineSeeds[:4] {
		if _, ok := adapters.DecodeLineFast([]byte(s + "\n")); !ok {
			t.Errorf("fast path left %s to json.Unmarshal; Append writes such lines", s)
		}
	}
	if _, ok := adapters.DecodeLineFast([]byte(lineSeeds[0])); ok {
		t.Errorf("fast path took a line without its newline (a torn tail)")
	}
	t.Logf("fast path took %d of %d seeds", taken, len(lineSeeds))
}

// TestLineDecoderOnAppendedRecords: every kind of record Append writes,
// with the fields each uses, is taken by the fast path and decoded as
// json.Unmarshal decodes it; a reason json.Marshal escapes ("<", a quote)
// is left to json.Unmarshal, which still decodes it.
func TestLineDecoderOnAppendedRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	j.SetDataClock(func() time.Time { return t0.Add(17 * time.Hour) })
	kw, neg := 7.4, -11.0
	from, until := t0, t0.Add(20*time.Minute)
	recs := []adapters.Record{
		{Kind: adapters.RecSetpoint, Operator: "ana", Event: "DR-1", Reason: "site limit", Charger: "CP-1", Setpoint: "DR-1@x/CP-1", Adapter: "ocpp", KW: &kw, RequestedKW: &neg, ValidFrom: &from, ValidUntil: &until, DryRun: true},
		{Kind: adapters.RecResult, Charger: "CP-1", Setpoint: "DR-1@x/CP-1", Adapter: "ocpp", Status: adapters.StatusClamped, AppliedKW: &kw, Detail: "clamped to 7.4 kW"},
		{Kind: adapters.RecLateResult, Charger: "CP-1", Setpoint: "DR-1@x/CP-1", Status: adapters.StatusAccepted, AppliedKW: &kw},
		{Kind: adapters.RecRelease, Operator: "bo", Charger: "CP-2", Reason: "hand back"},
		{Kind: adapters.RecLogin, Operator: "李明", Reason: "ssh from 10.0.0.1"},
		{Kind: adapters.RecAlarmAck, Operator: "ana", Event: "A-3", Detail: "feeder F1 over 90 %"},
		{Kind: adapters.RecDispatchConfirm, Operator: "ana", Event: "DR-9"},
	}
	escaped := adapters.Record{Kind: adapters.RecRefused, Reason: `bad "user" <root> & tab	here`}
	if err := j.Append(append(recs, escaped)...); err != nil {
		t.Fatal(err)
	}
	j.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	lines = lines[:len(lines)-1] // after the last newline
	if len(lines) != len(recs)+1 {
		t.Fatalf("%d lines, want %d", len(lines), len(recs)+1)
	}
	for i, line := range lines[:len(recs)] {
		if !checkLineDecoder(t, line) {
			t.Errorf("record %d (%s) left to json.Unmarshal: %s", i, recs[i].Kind, line)
		}
	}
	if checkLineDecoder(t, lines[len(recs)]) {
		t.Errorf("fast path took an escaped line: %s", lines[len(recs)])
	}
}

// fixtureLine finds the journal lines written into the repository's tests
// and documents: `{"seq":…}` up to the last brace of its source line.
var fixtureLine = regexp.MustCompile("\\{\"seq\":[^`\\n]*\\}")

// repoFixtureLines returns every journal line the repository's tests and
// docs hold (some are format strings or Go-quoted: those the fast path must
// leave, as json.Unmarshal refuses them).
func repoFixtureLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".txtar") || strings.HasSuffix(path, ".jsonl")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fixtureLine.FindAll(b, -1) {
			lines = append(lines, string(m))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestLineDecoderOnEveryFixture: on every journal line in the repository,
// the fast path agrees with json.Unmarshal.
func TestLineDecoderOnEveryFixture(t *testing.T) {
	lines := repoFixtureLines(t)
	if len(lines) < 50 {
		t.Fatalf("found %d journal lines in the repository; the walk is broken", len(lines))
	}
	taken := 0
	for _, l := range lines {
		if checkLineDecoder(t, []byte(l+"\n")) {
			taken++
		}
	}
	if taken == 0 {
		t.Fatalf("fast path took none of %d fixture lines", len(lines))
	}
	t.Logf("fast path took %d of %d fixture lines; json.Unmarshal decided the rest", taken, len(lines))
}

// TestLineDecoderKnowsEveryRecordField: the fast path decodes every field
// of Record, each as the Go type it was written for. A field added to
// Record, or one whose type changed, fails here until lineDecoder learns
// it (until then its lines would all go to json.Unmarshal, or worse, be
// decoded as the old type).
func TestLineDecoderKnowsEveryRecordField(t *testing.T) {
	asWritten := map[string]reflect.Type{
		"seq": reflect.TypeFor[uint64](), "ts": reflect.TypeFor[time.Time](), "data_ts": reflect.TypeFor[*time.Time](),
		"kind": reflect.TypeFor[adapters.RecordKind](), "operator": reflect.TypeFor[string](), "event": reflect.TypeFor[string](),
		"reason": reflect.TypeFor[string](), "charger": reflect.TypeFor[string](), "setpoint": reflect.TypeFor[string](),
		"adapter": reflect.TypeFor[string](), "kw": reflect.TypeFor[*float64](), "requested_kw": reflect.TypeFor[*float64](),
		"valid_from": reflect.TypeFor[*time.Time](), "valid_until": reflect.TypeFor[*time.Time](), "status": reflect.TypeFor[adapters.Status](),
		"applied_kw": reflect.TypeFor[*float64](), "detail": reflect.TypeFor[string](), "dry_run": reflect.TypeFor[bool](),
	}
	known := map[string]bool{}
	for _, k := range adapters.FastPathKeys() {
		known[k] = true
	}
	rt := reflect.TypeFor[adapters.Record]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch want, ok := asWritten[key]; {
		case !known[key]:
			t.Errorf("Record.%s (%q) is not decoded by the fast path: teach lineDecoder its key", f.Name, key)
		case !ok || f.Type != want:
			t.Errorf("Record.%s (%q) is a %v; the fast path decodes it as %v: update lineDecoder", f.Name, key, f.Type, want)
		}
	}
	if rt.NumField() != len(asWritten) || len(known) != len(asWritten) {
		t.Errorf("Record has %d fields, the fast path knows %d keys, this test %d", rt.NumField(), len(known), len(asWritten))
	}
}
