package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
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

// topologyHeader is a header whose topology, the recorder's copy of the
// first hello, is topology (a JSON object), and helloLine the recorded line
// of that hello.
func topologyHeader(topology string) (header, helloLine string) {
	return `{"format":"v2grec","version":1,"tz":"Asia/Shanghai","created":"2024-02-04T00:00:00Z","topology":` + topology + "}\n",
		`{"t":"2024-02-04T00:00:00Z","frame":` + topology + "}\n"
}

const validTopology = `{"v":1,"type":"hello","site":"S","tz":"Asia/Shanghai","ts":"2024-02-04T00:00:00Z","feeders":[{"id":"F01","import_limit_kw":500}],"chargers":[]}`

// TestLostHelloTakenFromHeader: the member holding the first hello fails
// its check, and the header keeps a copy of that hello: the copy is played
// in its place, at the time of the first frame after the damaged lines, so
// the measurements after it have a topology; it played no data at all,
// every measurement rejected as no_topology. The report says the header's
// copy was used and names no lost topology; the seek index holds the copy
// for seeks past it.
func TestLostHelloTakenFromHeader(t *testing.T) {
	header, hello := topologyHeader(validTopology)
	var file []byte
	file = append(file, storedMember(t, header)...)
	// The feed sends its hello again when a client subscribes: line 3.
	file = append(file, flipDigit(t, storedMember(t, hello+hello+feederLines(1, 1)), 101)...) // lines 2-4
	// With a ts, as a fleet takes a measurement only with one.
	stamped := regexp.MustCompile(`"t":"([^"]*)","frame":\{"v":1,"type":"feeder",`).ReplaceAllString(feederLines(3, 40), `"t":"$1","frame":{"v":1,"type":"feeder","ts":"$1",`)
	file = append(file, storedMember(t, stamped)...) // lines 5-44: 00:03 to 00:42
	rec, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	if r.HelloFromHeader != 2 || r.LostHello != 0 || r.LostHelloNote != "" {
		t.Errorf("HelloFromHeader %d, LostHello %d %q: want the header's copy for line 2 and no topology lost", r.HelloFromHeader, r.LostHello, r.LostHelloNote)
	}
	want := "line 2: topology taken from the file's header (its hello at line 2 was damaged"
	if !strings.HasPrefix(r.HelloFromHeaderNote, want) {
		t.Errorf("HelloFromHeaderNote %q, want it to begin %q", r.HelloFromHeaderNote, want)
	}
	if !strings.HasSuffix(r.HelloFromHeaderNote, "played at line 5's time, in place of the hello sent again at line 3 too") {
		t.Errorf("HelloFromHeaderNote %q: does not tell the time or the hello at line 3", r.HelloFromHeaderNote)
	}
	if s := r.String(); !strings.Contains(s, "topology taken from the file's header") || strings.Contains(s, "no topology") {
		t.Errorf("String() = %q", s)
	}
	if r.Skipped != 3 || r.MemberSkipped != 3 || r.BadMembers != 1 {
		t.Errorf("report %+v: want the damaged member's 3 lines skipped", r)
	}
	if len(rec.Entries) != 41 || string(rec.Entries[0].Frame) != validTopology {
		t.Fatalf("%d entries, first %s: want the header's hello, then 40 feeder lines", len(rec.Entries), rec.Entries[0].Frame)
	}
	if first, next := rec.Entries[0].T, rec.Entries[1].T; !first.Equal(next) {
		t.Errorf("the header's hello at %v, want the first frame's time %v", first, next)
	}
	if cp := rec.view().checkpointBefore(rec.End()); cp.pos == 0 || string(cp.hello) != validTopology {
		t.Errorf("index point at %d holds hello %s, want the header's copy", cp.pos, cp.hello)
	}

	fleet := feeds.NewFleet(feeds.FleetOptions{})
	p, err := NewPlayer(rec, PlayerOptions{Unpaced: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background(), fleet); err != nil {
		t.Fatal(err)
	}
	s := fleet.Snapshot()
	if !s.HaveTopology || s.Stats.Frames < 40 || s.Stats.RejectTotal() != 0 {
		t.Errorf("fleet: topology %v, %d accepted, rejects %v; want the topology and the 40 measurements accepted", s.HaveTopology, s.Stats.Frames, s.Stats.Rejects)
	}

	// Seeks over it: forward, back to an index point (whose state begins
	// with the copy) and back to the start (which plays it again).
	p, _, sink, waits, _ := playRecording(t, rec, 60)
	<-waits
	t0 := rec.Start()
	if err := p.Seek(t0.Add(30 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	<-waits
	if got := sink.frames(); len(got) != 32 || got[0] != validTopology {
		t.Fatalf("after a forward seek %d frames, first %s; want the header's hello and 31 lines", len(got), got[0])
	}
	for _, target := range []time.Time{t0.Add(20 * time.Minute), t0} {
		before := len(sink.snapshot())
		if err := p.Seek(target); err != nil {
			t.Fatal(err)
		}
		<-waits
		ev := sink.snapshot()[before:]
		if len(ev) < 2 || ev[0].link == nil || !ev[0].link.Reset || ev[1].frame != validTopology {
			t.Fatalf("back to %v: events %d, first two %s, %s; want a reset, then the header's hello", target, len(ev), describe(ev[0]), describe(ev[min(1, len(ev)-1)]))
		}
	}
}

// TestLostHelloNotTakenFromHeader: without a usable copy in the header (none,
// or one the feed decoder refuses), or when the hello lost is not the first
// (a topology change the header cannot know of), the lost topology is named
// as before, and an unusable copy says why it was not used.
func TestLostHelloNotTakenFromHeader(t *testing.T) {
	noTS := strings.Replace(validTopology, `"ts":"2024-02-04T00:00:00Z",`, "", 1)
	v2 := strings.Replace(validTopology, `"v":1`, `"v":2`, 1)
	for _, tt := range []struct {
		name     string
		topology string // "": no copy in the header
		note     string // what HeaderTopologyNote begins with
	}{
		{"no copy", "", ""},
		{"a copy without ts", noTS, "the header's copy of the topology is not a valid protocol v1 hello (bad_time: hello \"S\": ts missing)"},
		{"a copy of version 2", v2, "the header's copy of the topology is not a valid protocol v1 hello (bad_version: frame: v 2 not supported"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			header, hello := memberHeader, `{"t":"2024-02-04T00:00:00Z","frame":`+validTopology+"}\n"
			if tt.topology != "" {
				header, _ = topologyHeader(tt.topology)
			}
			var file []byte
			file = append(file, storedMember(t, header)...)
			file = append(file, flipDigit(t, storedMember(t, hello+feederLines(1, 2)), 101)...)
			file = append(file, storedMember(t, feederLines(3, 2))...)
			rec, err := Read(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			r := rec.Report
			if r.LostHello != 2 || r.HelloFromHeader != 0 || len(rec.Entries) != 2 {
				t.Errorf("LostHello %d, HelloFromHeader %d, %d entries: want line 2 lost, nothing from the header", r.LostHello, r.HelloFromHeader, len(rec.Entries))
			}
			if !strings.HasPrefix(r.HeaderTopologyNote, tt.note) || (tt.note == "") != (r.HeaderTopologyNote == "") {
				t.Errorf("HeaderTopologyNote %q, want it to begin %q", r.HeaderTopologyNote, tt.note)
			}
		})
	}

	// The header in the damaged member with the hello (a file gzipped as
	// one member): its copy is as damaged as the line it would replace.
	header, hello := topologyHeader(validTopology)
	var both []byte
	both = append(both, flipDigit(t, storedMember(t, header+hello+feederLines(1, 2)), 101)...)
	both = append(both, storedMember(t, feederLines(3, 2))...)
	rec, err := Read(bytes.NewReader(both))
	if err != nil {
		t.Fatal(err)
	}
	if r := rec.Report; r.LostHello != 2 || r.HelloFromHeader != 0 || !strings.HasPrefix(r.HeaderTopologyNote, "the header's copy of the topology was in a gzip member that failed its check") {
		t.Errorf("header in the damaged member: report %+v; want line 2 lost and the copy refused", r)
	}

	// A later hello lost (the topology changed mid-file): the header holds
	// the first, which played, so nothing is substituted.
	later := strings.Replace(hello, "00:00:00Z\",\"frame", "00:05:00Z\",\"frame", 1)
	var file []byte
	file = append(file, storedMember(t, header)...)
	file = append(file, storedMember(t, hello+feederLines(1, 2))...)                    // lines 2-4
	file = append(file, flipDigit(t, storedMember(t, later+feederLines(6, 2)), 106)...) // lines 5-7
	file = append(file, storedMember(t, feederLines(8, 2))...)
	rec, err = Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if r := rec.Report; r.LostHello != 5 || r.HelloFromHeader != 0 || r.HeaderTopologyNote != "" || len(rec.Entries) != 5 {
		t.Errorf("report %+v, %d entries: want line 5's hello named lost, nothing from the header", r, len(rec.Entries))
	}
}
