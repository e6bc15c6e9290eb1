package adapters

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestJournalAppendAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, rep, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 0 || rep.Torn != nil {
		t.Fatalf("new journal report %+v", rep)
	}
	for i := range 3 {
		if err := j.Append(Record{Kind: RecLogin, Operator: fmt.Sprintf("op%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	if err := j.Append(Record{Kind: RecLogin}); err == nil {
		t.Fatal("append after close succeeded")
	}
	j2, rep, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if rep.Records != 3 || rep.LastSeq != 3 {
		t.Fatalf("reopen report %+v, want 3 records up to seq 3", rep)
	}
	if err := j2.Append(Record{Kind: RecAlarmAck, Operator: "op9", Reason: "F01 overload seen"}); err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	if _, err := ReadJournal(path, func(r Record) error { seqs = append(seqs, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seqs) != "[1 2 3 4]" {
		t.Fatalf("seqs %v, want 1..4", seqs)
	}
}

// TestJournalRefusesOtherFiles: a --journal that names some other file (a
// README, here without a final newline) is refused and left exactly as it
// was: records were appended to it before, and its unterminated last line
// would have been cut off as a torn tail.
func TestJournalRefusesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	doc := "# Site notes\n\nFeeder F07 is the busy one.\nno newline at the end"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := OpenJournal(path)
	if !errors.Is(err, ErrJournal) || !strings.Contains(err.Error(), "is not an audit journal: none of its 3 lines is a journal record (line 1:") {
		t.Fatalf("err %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != doc {
		t.Errorf("the file became %q", b)
	}
	if _, err := os.Stat(path + TornSuffix); !os.IsNotExist(err) {
		t.Errorf("a %s file was made: %v", TornSuffix, err)
	}
}

func TestJournalOneWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, _, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenJournal(path); !errors.Is(err, ErrJournalLocked) {
		t.Fatalf("second writer: %v, want ErrJournalLocked", err)
	}
	if _, err := ReadJournal(path, func(Record) error { return nil }); err != nil {
		t.Fatalf("reader blocked by the writer: %v", err)
	}
	j.Close()
	j2, _, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	j2.Close()
}

func TestJournalRecovery(t *testing.T) {
	good := `{"seq":1,"ts":"2026-11-26T06:00:00Z","kind":"login","operator":"a"}` + "\n" +
		`{"seq":2,"ts":"2026-11-26T06:00:01Z","kind":"login","operator":"b"}` + "\n"
	tests := []struct {
		name      string
		content   string
		records   int
		corrupt   []int // line numbers
		tornLine  int   // 0: none
		tornOff   int64
		tornBytes int64
	}{
		{"clean", good, 2, nil, 0, 0, 0},
		{"empty", "", 0, nil, 0, 0, 0},
		{"torn json", good + `{"seq":3,"ts":"2026-11-26T06:0`, 2, nil, 3, int64(len(good)), 30},
		{"complete json without newline is torn", good + `{"seq":3,"kind":"login"}`, 2, nil, 3, int64(len(good)), 24},
		{"corrupt middle line kept, counted", `{"seq":1,"kind":"login"}` + "\n" + "garbage\n" + `{"seq":3,"kind":"login"}` + "\n", 2, []int{2}, 0, 0, 0},
		{"line without kind is corrupt", `{"seq":1,"kind":"login"}` + "\n" + `{"seq":2}` + "\n", 1, []int{2}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j.jsonl")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			// A reader reports without changing anything.
			rrep, err := ReadJournal(path, func(Record) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.content {
				t.Fatal("ReadJournal changed the file")
			}
			j, rep, err := OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			for _, r := range []ScanReport{rrep, rep} {
				if r.Records != tt.records || len(r.Corrupt) != len(tt.corrupt) {
					t.Fatalf("report %+v, want %d records, corrupt lines %v", r, tt.records, tt.corrupt)
				}
				for i, c := range r.Corrupt {
					if c.Line != tt.corrupt[i] {
						t.Errorf("corrupt line %d, want %d", c.Line, tt.corrupt[i])
					}
				}
			}
			if tt.tornLine == 0 {
				if rep.Torn != nil {
					t.Fatalf("torn tail %+v, want none", rep.Torn)
				}
			} else {
				tr := rep.Torn
				if tr == nil || tr.Line != tt.tornLine || tr.Offset != tt.tornOff || tr.Bytes != tt.tornBytes || tr.SavedTo != path+TornSuffix {
					t.Fatalf("torn %+v, want line %d offset %d bytes %d saved", tr, tt.tornLine, tt.tornOff, tt.tornBytes)
				}
				side, err := os.ReadFile(path + TornSuffix)
				if err != nil || !strings.Contains(string(side), tt.content[tt.tornOff:]) {
					t.Fatalf("torn bytes not kept: %q %v", side, err)
				}
			}
			if err := j.Append(Record{Kind: RecLogin, Operator: "after"}); err != nil {
				t.Fatal(err)
			}
			rep2, err := ReadJournal(path, func(Record) error { return nil })
			if err != nil || rep2.Torn != nil || rep2.Records != tt.records+1 {
				t.Fatalf("after append: %+v %v", rep2, err)
			}
		})
	}
}

// TestJournalKill9 re-executes the test binary as a child that appends
// records in a loop, printing the seq of each after Append returns, and
// kills it with SIGKILL. The first attempts kill at an arbitrary moment
// (usually inside fsync); the last makes the child stop half-way through
// writing a record (it writes in small pieces and, at the chosen record,
// says "mid" and waits) and kills it there. Each time the journal is
// reopened and must hold every record the child saw as durable, intact and
// in order, nothing else but at most one torn tail, which must be reported
// with its line and offset, and it must take appends again.
func TestJournalKill9(t *testing.T) {
	if path := os.Getenv("V2GDESK_JOURNAL_CHILD"); path != "" {
		journalChild(path, os.Getenv("V2GDESK_JOURNAL_MID") != "")
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const attempts = 6
	for attempt := 1; attempt <= attempts; attempt++ {
		midWrite := attempt == attempts
		path := filepath.Join(t.TempDir(), "kill.jsonl")
		cmd := exec.Command(exe, "-test.run=^TestJournalKill9$")
		cmd.Env = append(os.Environ(), "V2GDESK_JOURNAL_CHILD="+path)
		if midWrite {
			cmd.Env = append(cmd.Env, "V2GDESK_JOURNAL_MID=1")
		}
		stdin, err := cmd.StdinPipe() // never written: the child blocks on it at "mid"
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		var durable uint64
		killAt := uint64(10 + attempt*7)
		killed := false
		for sc.Scan() {
			line := sc.Text()
			if line == "mid" {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
				break
			}
			n, err := strconv.ParseUint(strings.TrimPrefix(line, "ok "), 10, 64)
			if err != nil {
				continue
			}
			durable = n
			if !midWrite && n >= killAt {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
				break
			}
		}
		for sc.Scan() { // anything printed before the kill landed was durable too
			if n, err := strconv.ParseUint(strings.TrimPrefix(sc.Text(), "ok "), 10, 64); err == nil {
				durable = n
			}
		}
		_ = cmd.Wait()
		stdin.Close()
		if !killed {
			t.Fatalf("attempt %d: child stopped after %d records without being killed", attempt, durable)
		}

		var seqs []uint64
		rrep, err := ReadJournal(path, func(r Record) error {
			if r.Kind != RecSetpoint || r.KW == nil || *r.KW != float64(r.Seq) || r.Setpoint != fmt.Sprintf("sp-%d", r.Seq) {
				return fmt.Errorf("record %d damaged: %+v", r.Seq, r)
			}
			seqs = append(seqs, r.Seq)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(rrep.Corrupt) != 0 {
			t.Fatalf("corrupt lines after kill: %+v", rrep.Corrupt)
		}
		for i, s := range seqs {
			if s != uint64(i+1) {
				t.Fatalf("seq %d at position %d: records lost or reordered", s, i)
			}
		}
		if uint64(len(seqs)) < durable {
			t.Fatalf("journal has %d records, child had seen %d as durable", len(seqs), durable)
		}
		j, rep, err := OpenJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("attempt %d (mid-write %v): %d durable, %d on disk, torn tail: %v", attempt, midWrite, durable, len(seqs), rep.Torn)
		if rep.Records != len(seqs) {
			t.Fatalf("open saw %d records, reader %d", rep.Records, len(seqs))
		}
		if midWrite && (rep.Torn == nil || rep.Torn.Bytes != 150) {
			t.Fatalf("killed 150 bytes into a record, torn tail %v", rep.Torn)
		}
		if rep.Torn != nil {
			if rep.Torn.Line != len(seqs)+1 || rep.Torn.Offset != rrep.End || rep.Torn.Bytes == 0 {
				t.Fatalf("torn %+v, want line %d offset %d", rep.Torn, len(seqs)+1, rrep.End)
			}
			if _, err := os.Stat(rep.Torn.SavedTo); err != nil {
				t.Fatalf("torn bytes not kept: %v", err)
			}
		}
		if err := j.Append(Record{Kind: RecLogin, Operator: "after-kill"}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		after, err := ReadJournal(path, func(Record) error { return nil })
		if err != nil || after.Torn != nil || len(after.Corrupt) != 0 || after.Records != len(seqs)+1 || after.LastSeq != uint64(len(seqs)+1) {
			t.Fatalf("after reopen and append: %+v %v", after, err)
		}
	}
}

// journalChild appends setpoint records until killed. With mid set, it
// stops about 150 bytes into record 12, says "mid" and waits for stdin.
func journalChild(path string, mid bool) {
	j, _, err := OpenJournal(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	SetWriteChunk(j, 5)
	w := bufio.NewWriter(os.Stdout)
	for i := 1; ; i++ {
		if mid && i == 12 {
			pieces := 0
			SetAfterChunk(j, func() {
				if pieces++; pieces < 30 { // about 150 bytes into the record
					return
				}
				fmt.Fprintln(w, "mid")
				w.Flush()
				_, _ = bufio.NewReader(os.Stdin).ReadByte() // blocks until killed
			})
		}
		kw := float64(i)
		rec := Record{Kind: RecSetpoint, Setpoint: fmt.Sprintf("sp-%d", i), Charger: "CP1", KW: &kw,
			Operator: "child", Reason: strings.Repeat("x", 200)}
		if err := j.Append(rec); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Fprintf(w, "ok %d\n", i)
		w.Flush()
	}
}

// TestJournalDataClock: on a simulated or replayed day the screen shows the
// data clock (17:47) while the records said only the wall time (01:24), so
// an engineer could not match a record to what they saw. With a data clock
// set each record carries it as data_ts too; without one the line is as
// before, and a journal written before data_ts reads as it did.
func TestJournalDataClock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	old := `{"seq":1,"ts":"2026-11-27T01:20:00Z","kind":"login","operator":"ana"}` + "\n"
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	j, rep, err := OpenJournal(path)
	if err != nil || rep.Records != 1 || len(rep.Corrupt) != 0 {
		t.Fatalf("an old journal: %v, report %+v", err, rep)
	}
	defer j.Close()
	if err := j.Append(Record{Kind: RecAlarmAck, Operator: "ana"}); err != nil {
		t.Fatal(err)
	}
	site := time.FixedZone("CST", 8*3600)
	data := time.Date(2026, 7, 15, 17, 47, 0, 0, site)
	j.SetDataClock(func() time.Time { return data })
	if err := j.Append(Record{Kind: RecAlarmAck, Operator: "ana"}, Record{Kind: RecDispatchConfirm, Operator: "ana"}); err != nil {
		t.Fatal(err)
	}
	j.SetDataClock(func() time.Time { return time.Time{} }) // a replay before its first frame
	if err := j.Append(Record{Kind: RecLogout, Operator: "ana"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	if _, err := ReadJournal(path, func(r Record) error {
		d := "-"
		if r.DataTS != nil {
			d = r.DataTS.Format(time.RFC3339)
		}
		got = append(got, fmt.Sprintf("%d %s %s", r.Seq, r.Kind, d))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "[1 login - 2 alarm_ack - 3 alarm_ack 2026-07-15T17:47:00+08:00 4 dispatch_confirm 2026-07-15T17:47:00+08:00 5 logout -]"
	if fmt.Sprint(got) != want {
		t.Errorf("records %v,\nwant %s", got, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if strings.Contains(lines[1], "data_ts") || !strings.Contains(lines[2], `"data_ts":"2026-07-15T17:47:00+08:00"`) {
		t.Errorf("lines 2 and 3:\n%s\n%s\nwant no data_ts without a data clock, the site's time with one", lines[1], lines[2])
	}
}

// TestScanJournalSeqBreaks: one writer's seqs only rise; a record whose seq
// is not above the one before (two writers, copies pieced together) is
// counted, the first named, and every record still read.
func TestScanJournalSeqBreaks(t *testing.T) {
	rec := func(seq int) string {
		return fmt.Sprintf(`{"seq":%d,"ts":"2026-11-27T10:00:00Z","kind":"login"}`+"\n", seq)
	}
	for _, tc := range []struct {
		name   string
		seqs   []int
		breaks int
		first  string
	}{
		{"one writer", []int{1, 2, 3, 4}, 0, ""},
		{"a gap is not a break", []int{1, 2, 5, 6}, 0, ""},
		{"two writers interleaved", []int{1, 2, 3, 3, 4, 4, 5}, 2, "line 4: seq 3 follows seq 3"},
		{"copies pieced together", []int{1, 2, 3, 1, 2, 3}, 1, "line 4: seq 1 follows seq 3"},
	} {
		var doc strings.Builder
		for _, s := range tc.seqs {
			doc.WriteString(rec(s))
		}
		n := 0
		rep, err := ScanJournal(strings.NewReader(doc.String()), func(Record) error { n++; return nil })
		if err != nil || n != len(tc.seqs) || rep.Records != n {
			t.Errorf("%s: read %d of %d records, report %+v, %v", tc.name, n, len(tc.seqs), rep, err)
		}
		first := ""
		if rep.FirstSeqBreak != nil {
			first = rep.FirstSeqBreak.String()
		}
		if rep.SeqBreaks != tc.breaks || first != tc.first {
			t.Errorf("%s: %d breaks, first %q; want %d, %q", tc.name, rep.SeqBreaks, first, tc.breaks, tc.first)
		}
	}
}
