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
		{"line without kind is corrupt", `{"seq":1}` + "\n", 0, []int{1}, 0, 0, 0},
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
// records in a loop, printing the seq of each after Append returns. The
// parent kills it with SIGKILL mid-stream, reopens the journal and checks
// that every record the child saw as durable is intact, that the file holds
// nothing but complete records and at most one torn tail, and that the torn
// tail is reported. The child writes each record in small pieces so that a
// kill lands mid-record often; it tries several times until one does.
func TestJournalKill9(t *testing.T) {
	if path := os.Getenv("V2GDESK_JOURNAL_CHILD"); path != "" {
		journalChild(path)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sawTorn := false
	for attempt := 0; attempt < 20 && !sawTorn; attempt++ {
		path := filepath.Join(t.TempDir(), "kill.jsonl")
		cmd := exec.Command(exe, "-test.run=^TestJournalKill9$")
		cmd.Env = append(os.Environ(), "V2GDESK_JOURNAL_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		var durable uint64
		killAt := uint64(20 + attempt*7)
		for sc.Scan() {
			n, err := strconv.ParseUint(strings.TrimPrefix(sc.Text(), "ok "), 10, 64)
			if err != nil {
				continue
			}
			durable = n
			if n >= killAt {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		// Anything still printed was durable too.
		for sc.Scan() {
			if n, err := strconv.ParseUint(strings.TrimPrefix(sc.Text(), "ok "), 10, 64); err == nil {
				durable = n
			}
		}
		_ = cmd.Wait()
		if durable < killAt {
			t.Fatalf("child stopped after %d records without being killed", durable)
		}

		var seqs []uint64
		rrep, err := ReadJournal(path, func(r Record) error {
			if r.Kind != RecSetpoint || r.KW == nil || *r.KW != float64(r.Seq) {
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
		if rep.Records != len(seqs) {
			t.Fatalf("open saw %d records, reader %d", rep.Records, len(seqs))
		}
		t.Logf("attempt %d: killed after %d durable records; %d records on disk; torn tail: %v", attempt+1, durable, len(seqs), rep.Torn)
		if rep.Torn != nil {
			sawTorn = true
			if rep.Torn.Line != len(seqs)+1 || rep.Torn.Offset != rrep.End {
				t.Fatalf("torn %+v, want line %d offset %d", rep.Torn, len(seqs)+1, rrep.End)
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
	if !sawTorn {
		t.Fatal("no kill in 20 attempts left a torn tail; the torn-tail path was not exercised")
	}
}

// journalChild appends setpoint records until killed.
func journalChild(path string) {
	j, _, err := OpenJournal(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	SetWriteChunk(j, 5)
	w := bufio.NewWriter(os.Stdout)
	for i := 1; ; i++ {
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
