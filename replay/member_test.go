package replay

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
)

// storedMember returns text as one gzip member whose deflate blocks are
// stored, not compressed, so a byte changed in the file changes the same byte
// of the decompressed text: the damage inflates without an error and only the
// member's CRC-32 can tell.
func storedMember(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.NoCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// feederLines returns n recording lines, feeder F01 at kw 100+i from minute
// first on.
func feederLines(first, n int) string {
	var s strings.Builder
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&s, `{"t":"2024-02-04T00:%02d:00Z","frame":{"v":1,"type":"feeder","id":"F01","kw":%d}}`+"\n", i, 100+i)
	}
	return s.String()
}

// flipDigit changes the kw figure of line `kw` in member so that the line
// still parses, with a wrong number.
func flipDigit(t *testing.T, member []byte, kw int) []byte {
	t.Helper()
	old := []byte(fmt.Sprintf(`"kw":%d}`, kw))
	i := bytes.Index(member, old)
	if i < 0 {
		t.Fatalf("kw %d not in the stored member", kw)
	}
	bad := bytes.Clone(member)
	bad[i+len(`"kw":`)] = '9' // 1xx reads 9xx: still a number
	return bad
}

const memberHeader = `{"format":"v2grec","version":1,"created":"2024-02-04T00:00:00Z"}` + "\n"

// TestMemberFailingItsChecksumIsNotPlayed: a member whose bytes were changed
// inflates without an error, and Go's gzip says so only at its end; its
// lines, a changed figure among them, were played all the same. They are
// held until the member's CRC-32 is checked, and skipped, with their range
// and the reason, when it fails; the members after it play.
func TestMemberFailingItsChecksumIsNotPlayed(t *testing.T) {
	var file []byte
	file = append(file, storedMember(t, memberHeader)...)
	file = append(file, storedMember(t, feederLines(0, 3))...)                    // lines 2-4
	file = append(file, flipDigit(t, storedMember(t, feederLines(3, 3)), 104)...) // lines 5-7, line 6 changed
	file = append(file, storedMember(t, feederLines(6, 3))...)                    // lines 8-10
	rec, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	var kws []string
	for _, e := range rec.Entries {
		kws = append(kws, string(e.Frame[bytes.Index(e.Frame, []byte(`"kw":`)):]))
	}
	if got := strings.Join(kws, " "); got != `"kw":100} "kw":101} "kw":102} "kw":106} "kw":107} "kw":108}` {
		t.Fatalf("played %s; want the lines of the first and last members only (report %+v)", got, r)
	}
	if strings.Contains(strings.Join(kws, " "), "904") {
		t.Fatal("the changed figure was played")
	}
	if r.Stopped || r.Skipped != 3 || r.BadMembers != 1 || r.MemberSkipped != 3 || r.Frames != 6 || r.Lines != 10 {
		t.Errorf("report %+v: want 3 lines of 1 member skipped, 6 frames, 10 lines, not stopped", r)
	}
	if len(r.MemberNotes) != 1 || !strings.HasPrefix(r.MemberNotes[0], "lines 5-7: ") || !strings.Contains(r.MemberNotes[0], "checksum") {
		t.Errorf("member notes %q: want one naming lines 5-7 and the checksum", r.MemberNotes)
	}
	if !strings.Contains(r.String(), "1 gzip member failed its check") {
		t.Errorf("String() = %q", r.String())
	}
}

// TestMemberFailingMidLine: a member that fails in the middle of a line (a
// file not written by the recorder) takes that line with it, its rest in
// the next member included; the next line plays.
func TestMemberFailingMidLine(t *testing.T) {
	lines := feederLines(0, 4) // lines 2-5
	cut := strings.Index(lines, `"kw":102}`) + 3
	var file []byte
	file = append(file, storedMember(t, memberHeader+lines[:cut])...)
	file[len(file)-20] ^= 0x01 // the stored text's last bytes: line 3's beginning, not its kw
	file = append(file, storedMember(t, lines[cut:])...)
	rec, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	if len(rec.Entries) != 1 || !bytes.Contains(rec.Entries[0].Frame, []byte(`"kw":103}`)) {
		t.Fatalf("entries %q; want line 5 alone (report %+v)", rec.Entries, r)
	}
	// The member holds the header too, which was read before the check.
	if r.Skipped != 3 || len(r.MemberNotes) != 1 || !strings.HasPrefix(r.MemberNotes[0], "lines 1-4: ") ||
		!strings.Contains(r.MemberNotes[0], "its header was read before the check") {
		t.Errorf("report %+v, notes %q: want lines 2-4 skipped with the member that held lines 1-4", r, r.MemberNotes)
	}
}

// TestMemberHoldIsBounded: a member larger than the hold (a file written by
// someone else as one member) releases its lines unchecked beyond the bound,
// as Go's gzip would, and when it then fails the note says which lines had
// been played.
func TestMemberHoldIsBounded(t *testing.T) {
	member := flipDigit(t, storedMember(t, feederLines(0, 20)), 118) // lines 2-21, line 20 changed
	file := append(storedMember(t, memberHeader), member...)
	rd, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	rd.maxHold = 5 * len(`{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"feeder","id":"F01","kw":100}}`)
	n := 0
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
		n++
	}
	r := rd.Report()
	if n != 15 || r.Unchecked != 15 || r.Skipped != 5 || r.BadMembers != 1 {
		t.Fatalf("%d entries, report %+v: want 15 released unchecked (3 holds of 5) and the last 5 skipped", n, r)
	}
	if len(r.MemberNotes) != 1 || !strings.HasPrefix(r.MemberNotes[0], "lines 2-21: ") || !strings.Contains(r.MemberNotes[0], "lines 2-16 were played before") {
		t.Errorf("member notes %q", r.MemberNotes)
	}
}

// TestHeaderMemberFailingItsCheck: the recorder writes the header as a
// member of its own; when that member fails its check no line is skipped
// (the header was read and used before the check), and the report says so
// rather than "lines 1-1" among the skipped lines. The file still counts
// as damaged (BadMembers).
func TestHeaderMemberFailingItsCheck(t *testing.T) {
	header := storedMember(t, memberHeader)
	i := bytes.Index(header, []byte(`"created":"20`))
	header[i+len(`"created":"20`)] = '3' // 2024-02-04 reads 2034-02-04: still a header
	file := append(header, storedMember(t, feederLines(0, 3))...)
	rec, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	if len(rec.Entries) != 3 || r.Skipped != 0 || r.MemberSkipped != 0 || r.BadMembers != 1 {
		t.Errorf("report %+v, %d entries: want the 3 lines played, none skipped, 1 bad member", r, len(rec.Entries))
	}
	if len(r.MemberNotes) != 0 {
		t.Errorf("member notes %q: nothing was skipped", r.MemberNotes)
	}
	if !strings.HasPrefix(r.HeaderNote, "line 1: the header's gzip member failed its check (gzip: invalid checksum)") {
		t.Errorf("HeaderNote %q", r.HeaderNote)
	}
	if s := r.String(); !strings.Contains(s, "the header's gzip member failed its check") || strings.Contains(s, "its 0 lines") {
		t.Errorf("String() = %q", s)
	}
}

// TestLostHelloIsNamed: a member that fails its check with the feed's hello
// in it takes the topology with it, and every measurement after it is then
// rejected as having none; the report said only that lines were skipped.
// It names the hello's line and the damaged member's lines.
func TestLostHelloIsNamed(t *testing.T) {
	hello := `{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"hello","site":"S","tz":"Asia/Shanghai","feeders":[{"id":"F01","import_limit_kw":500}],"chargers":[]}}` + "\n"
	var file []byte
	file = append(file, storedMember(t, memberHeader)...)
	file = append(file, flipDigit(t, storedMember(t, hello+feederLines(1, 2)), 101)...) // lines 2-4: the hello, then line 3 changed
	file = append(file, storedMember(t, feederLines(3, 2))...)                          // lines 5-6
	rec, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	if r.LostHello != 2 {
		t.Errorf("LostHello = %d, want line 2 (report %+v)", r.LostHello, r)
	}
	want := "line 2: the feed's topology (its hello) was in lines 2-4, whose gzip member failed its check"
	if !strings.HasPrefix(r.LostHelloNote, want) {
		t.Errorf("LostHelloNote = %q, want it to begin %q", r.LostHelloNote, want)
	}
	if !strings.Contains(r.String(), "the hello at line 2 among them") {
		t.Errorf("String() = %q: does not say the hello was lost", r.String())
	}

	// A damaged member without a hello names none.
	var plain []byte
	plain = append(plain, storedMember(t, memberHeader+hello)...)
	plain = append(plain, flipDigit(t, storedMember(t, feederLines(1, 2)), 101)...)
	rec, err = Read(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Report.LostHello != 0 || rec.Report.LostHelloNote != "" || rec.Report.BadMembers != 1 {
		t.Errorf("report %+v: want one bad member and no hello lost", rec.Report)
	}
}
