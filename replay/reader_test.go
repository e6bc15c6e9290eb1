package replay

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

func TestRoundTrip(t *testing.T) {
	frames := testFrames(t, 30)
	path := record(t, frames, 7)
	rec, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Header.Site != "Test" || rec.Header.TimeZone != "Asia/Shanghai" || rec.Header.Topology == nil || rec.Header.Source != "test" {
		t.Errorf("header = %+v", rec.Header)
	}
	if len(rec.Entries) != len(frames) {
		t.Fatalf("read %d entries, wrote %d", len(rec.Entries), len(frames))
	}
	for i, e := range rec.Entries {
		if string(e.Frame) != string(frames[i]) {
			t.Fatalf("entry %d = %s, want %s", i, e.Frame, frames[i])
		}
	}
	// simulation feed: line time is the frame time
	if got, want := rec.Entries[len(rec.Entries)-1].T, t0.Add(29*time.Minute); !got.Equal(want) {
		t.Errorf("last t = %v, want %v", got, want)
	}
	if rec.Report.Stopped || rec.Report.Skipped != 0 || rec.Report.Frames != len(frames) {
		t.Errorf("report = %+v", rec.Report)
	}
}

func TestRecorderWritesNothingWithoutFrames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.v2grec")
	r := NewRecorder(path, RecorderOptions{})
	r.HandleFrame([]byte("not json"))
	if err := r.Close(); !errors.Is(err, ErrNoFrames) {
		t.Fatalf("Close = %v, want ErrNoFrames", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file exists after no frames: %v", err)
	}
	if r.Stats().Invalid != 1 {
		t.Errorf("invalid = %d", r.Stats().Invalid)
	}
}

// A recording that cannot be created says so against its path, and leaves
// no temporary file; one that can is an ordinary file (0644), and only it
// is in its directory.
func TestRecorderCreatesTheFileWhole(t *testing.T) {
	frames := testFrames(t, 3)
	dir := t.TempDir()
	bad := filepath.Join(dir, "no", "r.v2grec")
	r := NewRecorder(bad, RecorderOptions{Logger: slog.New(slog.DiscardHandler)})
	r.HandleFrame(frames[0])
	if err := r.Close(); err == nil || !strings.HasPrefix(err.Error(), "create "+bad+": ") {
		t.Errorf("Close in a missing directory = %v, want it to name %s", err, bad)
	}
	path := record(t, frames, 0)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("recording %v, %v: want mode 0644", fi, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("beside the recording: %v", entries)
	}
}

// TestKilledRecorder copies the file while frames after the last flush are
// still in the gzip writer, as a SIGKILL would leave it.
func TestKilledRecorder(t *testing.T) {
	frames := testFrames(t, 20)
	path := filepath.Join(t.TempDir(), "k.v2grec")
	r := NewRecorder(path, RecorderOptions{})
	for _, f := range frames[:11] {
		r.HandleFrame(f)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, f := range frames[11:] {
		r.HandleFrame(f)
	}
	killed := readBytes(t, path) // the process "dies" here
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := Read(bytes.NewReader(killed))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Entries) != 11 {
		t.Fatalf("killed recording has %d entries, want the 11 flushed", len(rec.Entries))
	}
	full, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Entries) != len(frames) {
		t.Fatalf("closed recording has %d entries, want %d", len(full.Entries), len(frames))
	}
}

func TestTruncatedKeepsCompleteFrames(t *testing.T) {
	frames := testFrames(t, 200)
	data := readBytes(t, record(t, frames, 50))
	headerOnly := 0
	for cut := len(data) - 1; cut > 0; cut -= 97 {
		rec, err := Read(bytes.NewReader(data[:cut]))
		if err != nil {
			if errors.Is(err, ErrEmpty) || errors.Is(err, ErrBadHeader) {
				headerOnly++
				continue
			}
			t.Fatalf("cut %d: %v", cut, err)
		}
		if !rec.Report.Stopped {
			t.Fatalf("cut %d: report does not say the file stopped early: %+v", cut, rec.Report)
		}
		if !errors.Is(rec.Report.Cause, io.ErrUnexpectedEOF) {
			t.Errorf("cut %d: cause = %v", cut, rec.Report.Cause)
		}
		if rec.Report.StopLine != len(rec.Entries)+2 {
			t.Errorf("cut %d: stop line %d with %d entries", cut, rec.Report.StopLine, len(rec.Entries))
		}
		for i, e := range rec.Entries {
			if string(e.Frame) != string(frames[i]) {
				t.Fatalf("cut %d: entry %d differs", cut, i)
			}
		}
	}
	if headerOnly == 0 {
		t.Error("no cut fell inside the first member")
	}
}

func TestTornLineInsideMember(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, `{"format":"v2grec","version":1,"created":"2024-02-04T00:00:00Z"}`+"\n")
	io.WriteString(zw, `{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"feeder","id":"F01"}}`+"\n")
	io.WriteString(zw, `{"t":"2024-02-04T00:01:00Z","frame":{"v":1,"ty`)
	zw.Close()
	rec, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Report
	if len(rec.Entries) != 1 || !r.Stopped || r.StopLine != 3 || !errors.Is(r.Cause, io.ErrUnexpectedEOF) {
		t.Fatalf("report = %+v, entries %d", r, len(rec.Entries))
	}
	wantOff := int64(len(`{"format":"v2grec","version":1,"created":"2024-02-04T00:00:00Z"}`+"\n") +
		len(`{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"feeder","id":"F01"}}`+"\n"))
	if r.StopOffset != wantOff {
		t.Errorf("stop offset %d, want %d", r.StopOffset, wantOff)
	}
	if !strings.Contains(r.String(), "stopped at line 3") {
		t.Errorf("String() = %q", r.String())
	}
}

func TestCorruptedGzip(t *testing.T) {
	frames := testFrames(t, 300)
	data := readBytes(t, record(t, frames, 100))
	bad := bytes.Clone(data)
	for i := len(bad) * 2 / 3; i < len(bad)*2/3+40; i++ {
		bad[i] ^= 0x5a
	}
	rec, err := Read(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Report.Stopped || rec.Report.Cause == nil {
		t.Fatalf("corruption not reported: %+v", rec.Report)
	}
	if len(rec.Entries) == 0 || len(rec.Entries) >= len(frames) {
		t.Fatalf("kept %d of %d entries", len(rec.Entries), len(frames))
	}
	for i, e := range rec.Entries {
		if string(e.Frame) != string(frames[i]) {
			t.Fatalf("entry %d differs", i)
		}
	}
}

func gz(s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, s)
	zw.Close()
	return buf.Bytes()
}

func TestBadHeaders(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
		msg  string // what the message must say
	}{
		{"empty file", nil, ErrBadHeader, "empty file (0 bytes)"},
		// Under a gzip header's 10 bytes gzip says only "unexpected EOF".
		{"not gzip", []byte("hello\n"), ErrBadHeader, "not gzip data: 6 bytes, fewer than a gzip header's 10"},
		{"uncompressed (zcat'ed)", []byte(`{"format":"v2grec","version":1}` + "\n"), ErrBadHeader, "not gzip data: it begins with '{', as an uncompressed recording does (compress it with gzip)"},
		{"another JSON file", []byte(`{"journal": "audit.jsonl", "adapters": []}` + "\n"), ErrBadHeader, `not gzip data: a JSON file, not a recording (its start has no "format":"v2grec")`},
		{"gzip header cut", gz("")[:5], ErrBadHeader, "cut short in its gzip header (5 bytes, a gzip header is 10): its header was never written whole"},
		{"empty gzip", gz(""), ErrBadHeader, "empty file"},
		{"not json", gz("nope\n"), ErrBadHeader, "line 1"},
		{"wrong format", gz(`{"format":"pcap","version":1}` + "\n"), ErrBadHeader, `line 1: format "pcap"`},
		{"wrong version", gz(`{"format":"v2grec","version":2}` + "\n"), ErrVersion, "line 1: version 2"},
		{"header only", gz(`{"format":"v2grec","version":1}` + "\n"), ErrEmpty, "0 frames"},
		{"torn header", gz(`{"format":"v2grec","vers`), ErrBadHeader, "line 1 incomplete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to say %q", err, tt.msg)
			}
		})
	}
}

// TestReadFileNotARecording: what is given as the file is named and what is
// wrong with it said plainly; a directory read as "not gzip data: read D: is a
// directory" and an empty file or /dev/null as "not gzip data: EOF".
func TestReadFileNotARecording(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.v2grec")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       error
		msg        string
	}{
		{"directory", dir, ErrNotFile, dir + " is a directory"},
		{"empty file", empty, ErrBadHeader, empty + ": " + ErrBadHeader.Error() + ": empty file (0 bytes)"},
		{"/dev/null", os.DevNull, ErrBadHeader, os.DevNull + ": " + ErrBadHeader.Error() + ": empty file (0 bytes)"},
		{"missing", filepath.Join(dir, "none.v2grec"), os.ErrNotExist, "none.v2grec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFile(tt.path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to say %q", err, tt.msg)
			}
		})
	}
}

func TestBadLinesAreSkippedAndCounted(t *testing.T) {
	long := `{"t":"2024-02-04T00:00:00Z","frame":{"x":"` + strings.Repeat("a", MaxLineBytes) + `"}}`
	data := gz(`{"format":"v2grec","version":1}` + "\n" +
		`{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"feeder","id":"F01"}}` + "\n" +
		`garbage` + "\n" +
		`{"frame":{"v":1}}` + "\n" +
		`{"t":"2024-02-04T00:00:01Z","frame":[1]}` + "\n" +
		long + "\n" +
		"\n" +
		`{ "t" : "2024-02-04T00:00:02Z", "frame" : { "v" : 1 } }` + "\r\n")
	rec, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Entries) != 2 || rec.Report.Skipped != 4 || rec.Report.Stopped {
		t.Fatalf("entries %d, report %+v", len(rec.Entries), rec.Report)
	}
	if string(rec.Entries[1].Frame) != `{"v":1}` {
		t.Errorf("spaced line frame = %s", rec.Entries[1].Frame)
	}
	if !strings.HasPrefix(rec.Report.SkipNotes[0], "line 3:") || !strings.HasPrefix(rec.Report.SkipNotes[3], "line 6:") {
		t.Errorf("skip notes = %q", rec.Report.SkipNotes)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(gz(`{"format":"v2grec","version":1}` + "\n" + `{"t":"2024-02-04T00:00:00Z","frame":{"v":1}}` + "\n"))
	f.Add(gz(`{"format":"v2grec","version":1}` + "\n" + `{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"batch","frames":[{"type":"hello","feeders":[{"id":"F"}]},{"type":"charger","id":"C"}]}}` + "\n"))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(rec.Entries) == 0 {
			t.Fatal("Read returned a recording without entries and no error")
		}
		p, err := NewPlayer(rec, PlayerOptions{Unpaced: true})
		if err != nil {
			t.Fatal(err)
		}
		_ = p.Seek(rec.Start())
		if err := p.Run(t.Context(), newRecordingSink()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSplitBatch(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{`{"v":1,"type":"batch","frames":[]}`, nil, true},
		{`{"v":1,"type":"batch","frames":[{"a":"}]{"},{"b":[1,{"c":2}]}]}`, []string{`{"a":"}]{"}`, `{"b":[1,{"c":2}]}`}, true},
		{`{"v":1,"type":"batch","frames":[{"a":"\"}"}]}`, []string{`{"a":"\"}"}`}, true},
		{`{"v":1,"type":"batch","frames":[1,{"a":1}]}`, nil, false},
		{`{"v":1,"type":"batch","frames":[[1]]}`, nil, false},
		{`{"type":"batch","v":1,"frames":[]}`, nil, false},
	}
	for _, tt := range tests {
		got, ok := splitBatch([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("%s: ok %v", tt.in, ok)
			continue
		}
		if !ok {
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %q", tt.in, got)
			continue
		}
		for i := range got {
			if string(got[i]) != tt.want[i] {
				t.Errorf("%s: member %d = %s", tt.in, i, got[i])
			}
		}
	}
}

// TestLiveFeedUsesReceiveTime: without a simulation or replay hello, the
// line time is when the frame arrived by the recorder's clock, even when
// the frame's own ts says otherwise.
func TestLiveFeedUsesReceiveTime(t *testing.T) {
	fake := clock.NewFake(time.Date(2024, 2, 4, 10, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "live.v2grec")
	r := NewRecorder(path, RecorderOptions{Clock: fake, Site: "Fallback", TimeZone: "UTC"})
	r.HandleFrame([]byte(`{"v":1,"type":"hello","site":"Live","tz":"Europe/Oslo","ts":"2024-02-04T10:00:00Z","feeders":[],"chargers":[]}`))
	fake.Advance(1500 * time.Millisecond)
	r.HandleFrame([]byte("{\"v\":1,\n \"type\":\"feeder\",\"id\":\"F\",\"ts\":\"2030-01-01T00:00:00Z\",\"kw\":1}"))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Header.Site != "Live" || rec.Header.TimeZone != "Europe/Oslo" || !rec.Header.Created.Equal(time.Date(2024, 2, 4, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("header %+v", rec.Header)
	}
	if got := rec.Entries[1].T; !got.Equal(time.Date(2024, 2, 4, 10, 0, 1, 500e6, time.UTC)) {
		t.Errorf("live frame t = %v, want the receive time", got)
	}
	if string(rec.Entries[1].Frame) != `{"v":1,"type":"feeder","id":"F","ts":"2030-01-01T00:00:00Z","kw":1}` {
		t.Errorf("frame not compacted: %s", rec.Entries[1].Frame)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v %v", st.Mode(), err)
	}
}

// TestTimeAnomaliesAreCounted: a line whose t goes backwards is played at the
// previous line's time, and a long silence is played as recorded; neither
// used to be counted or told, so a recording with a clock fault or a
// year-long hole played without a word about where.
func TestTimeAnomaliesAreCounted(t *testing.T) {
	line := func(ts string) string { return `{"t":"` + ts + `","frame":{"v":1}}` + "\n" }
	tests := []struct {
		name           string
		lines          []string
		backwards, gap int
		notes          []string // prefixes of Report.TimeNotes
		played         []string // Entry.T, RFC 3339
	}{
		{"in order", []string{line("2024-02-04T00:00:00Z"), line("2024-02-04T00:00:00Z"), line("2024-02-04T00:59:59Z")},
			0, 0, nil, []string{"2024-02-04T00:00:00Z", "2024-02-04T00:00:00Z", "2024-02-04T00:59:59Z"}},
		{"backwards", []string{line("2024-02-04T00:00:00Z"), line("2024-02-04T00:01:00Z"), line("2024-02-03T23:00:00Z"), line("2024-02-04T00:02:00Z")},
			1, 0, []string{"line 4: t 2024-02-03T23:00:00Z is 1h1m0s before line 3's"}, []string{"2024-02-04T00:00:00Z", "2024-02-04T00:01:00Z", "2024-02-04T00:01:00Z", "2024-02-04T00:02:00Z"}},
		{"a year's gap", []string{line("2024-02-04T00:00:00Z"), line("2025-02-04T00:00:00Z"), line("2025-02-04T00:01:00Z")},
			0, 1, []string{"line 3: 8784h0m0s after line 2"}, []string{"2024-02-04T00:00:00Z", "2025-02-04T00:00:00Z", "2025-02-04T00:01:00Z"}},
		{"back after a skipped line", []string{line("2024-02-04T00:05:00Z"), "garbage\n", line("2024-02-04T00:04:00Z")},
			1, 0, []string{"line 4: t 2024-02-04T00:04:00Z is 1m0s before line 2's"}, []string{"2024-02-04T00:05:00Z", "2024-02-04T00:05:00Z"}},
		// A simulator restarted at an earlier hour: every line after it is
		// measured against the line whose time they are played at, not the
		// line before, whose own t may be the very same.
		{"back for several lines", []string{line("2024-02-04T00:05:00Z"), line("2024-02-04T00:01:00Z"), line("2024-02-04T00:01:00Z")},
			2, 0, []string{"line 3: t 2024-02-04T00:01:00Z is 4m0s before line 2's; played at line 2's time", "line 4: t 2024-02-04T00:01:00Z is 4m0s before line 2's; played at line 2's time"},
			[]string{"2024-02-04T00:05:00Z", "2024-02-04T00:05:00Z", "2024-02-04T00:05:00Z"}},
		{"a gap after going back", []string{line("2024-02-04T00:05:00Z"), line("2024-02-04T00:01:00Z"), line("2024-02-04T01:10:00Z")},
			1, 1, []string{"line 3: t 2024-02-04T00:01:00Z is 4m0s before line 2's", "line 4: 1h5m0s after line 2,"},
			[]string{"2024-02-04T00:05:00Z", "2024-02-04T00:05:00Z", "2024-02-04T01:10:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Read(bytes.NewReader(gz(`{"format":"v2grec","version":1}` + "\n" + strings.Join(tt.lines, ""))))
			if err != nil {
				t.Fatal(err)
			}
			r := rec.Report
			if r.Backwards != tt.backwards || r.Gaps != tt.gap {
				t.Errorf("backwards %d, gaps %d; want %d, %d", r.Backwards, r.Gaps, tt.backwards, tt.gap)
			}
			if len(r.TimeNotes) != len(tt.notes) {
				t.Fatalf("time notes %q, want %d", r.TimeNotes, len(tt.notes))
			}
			for i, n := range tt.notes {
				if !strings.HasPrefix(r.TimeNotes[i], n) {
					t.Errorf("time note %q, want it to begin %q", r.TimeNotes[i], n)
				}
			}
			for i, e := range rec.Entries {
				if got := e.T.UTC().Format(time.RFC3339); got != tt.played[i] {
					t.Errorf("entry %d played at %s, want %s", i, got, tt.played[i])
				}
			}
		})
	}
}

// TestOtherProtocolVersionsAreSkipped: a frame of another protocol version
// is a line this build cannot play: it is skipped and its line named, where
// it used to reach the fleet and be counted as one more reject with no word
// of where in the file it was.
func TestOtherProtocolVersionsAreSkipped(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		skip  bool
	}{
		{"v1", `{"v":1,"type":"feeder","id":"F01"}`, false},
		{"v1 later in the object", `{"type":"feeder","v":1,"id":"F01"}`, false},
		{"v1 written 1.0", `{"v":1.0,"type":"feeder","id":"F01"}`, false},
		{"v2", `{"v":2,"type":"feeder","id":"F01"}`, true},
		{"v2 later in the object", `{"type":"feeder","id":"F01","v":2}`, true},
		{"v0", `{"v":0,"type":"feeder","id":"F01"}`, true},
		{"no v: the fleet's to judge", `{"type":"feeder","id":"F01"}`, false},
		{"v a string: the fleet's to judge", `{"v":"1","type":"feeder","id":"F01"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := gz(`{"format":"v2grec","version":1}` + "\n" +
				`{"t":"2024-02-04T00:00:00Z","frame":{"v":1,"type":"feeder","id":"F01"}}` + "\n" +
				`{"t":"2024-02-04T00:00:01Z","frame":` + tt.frame + `}` + "\n")
			rec, err := Read(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			r := rec.Report
			if !tt.skip {
				if r.Skipped != 0 || len(rec.Entries) != 2 {
					t.Fatalf("skipped %d (%q), entries %d; want the frame kept", r.Skipped, r.SkipNotes, len(rec.Entries))
				}
				return
			}
			if r.Skipped != 1 || len(rec.Entries) != 1 {
				t.Fatalf("skipped %d, entries %d; want the frame skipped", r.Skipped, len(rec.Entries))
			}
			if want := "line 3: frame of protocol version"; !strings.HasPrefix(r.SkipNotes[0], want) {
				t.Errorf("skip note %q, want it to begin %q", r.SkipNotes[0], want)
			}
		})
	}
}

// TestRecorderCountsTimeGoingBack: a simulation feed whose time goes back (a
// simulator restarted at an earlier hour, the recorder reconnecting) is
// recorded at the latest time so far, as the format wants; the recorder now
// counts and logs it, where it used to fold a restarted day onto one instant
// without a word.
func TestRecorderCountsTimeGoingBack(t *testing.T) {
	at := func(min int) string {
		return t0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339)
	}
	hello := func(min int) []byte {
		return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"` + at(min) + `","mode":"simulation","feeders":[],"chargers":[]}`)
	}
	feeder := func(min int) []byte {
		return []byte(`{"v":1,"type":"feeder","id":"F01","ts":"` + at(min) + `","kw":1}`)
	}
	tests := []struct {
		name   string
		frames [][]byte
		back   uint64
	}{
		{"forwards", [][]byte{hello(0), feeder(0), feeder(1), feeder(1), feeder(2)}, 0},
		{"restarted earlier", [][]byte{hello(0), feeder(60), feeder(61), hello(0), feeder(0), feeder(1)}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logged bytes.Buffer
			path := filepath.Join(t.TempDir(), "r.v2grec")
			r := NewRecorder(path, RecorderOptions{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
			for _, f := range tt.frames {
				r.HandleFrame(f)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if got := r.Stats().Backwards; got != tt.back {
				t.Errorf("Backwards = %d, want %d", got, tt.back)
			}
			if tt.back > 0 && !strings.Contains(logged.String(), "went back") {
				t.Errorf("log %q does not say the time went back", logged.String())
			}
		})
	}
}

// TestReadFileProgress: reading tells how far it has got, rising, in
// steps of no less than a hundredth of the file, up to the whole file, and
// reads the same recording as ReadFile. The file is over twice the
// read buffer, so that it takes three reads or more.
func TestReadFileProgress(t *testing.T) {
	frames := testFrames(t, 40_000)
	path := record(t, frames, 500)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls []int64
	rec, err := ReadFileProgress(path, func(read, size int64) {
		if size != st.Size() {
			t.Errorf("progress size %d, want the file's %d", size, st.Size())
		}
		calls = append(calls, read)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Entries) != len(frames) {
		t.Fatalf("read %d entries, wrote %d", len(rec.Entries), len(frames))
	}
	if st.Size() <= 2*256<<10 {
		t.Fatalf("the recording is %d bytes, want over two read buffers", st.Size())
	}
	if len(calls) < 3 || len(calls) > 102 {
		t.Fatalf("progress told %d times for %d bytes: %v", len(calls), st.Size(), calls)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] < calls[i-1]+st.Size()/100 {
			t.Fatalf("progress %d after %d: steps under a hundredth of %d", calls[i], calls[i-1], st.Size())
		}
	}
	if last := calls[len(calls)-1]; last != st.Size() {
		t.Errorf("progress ended at %d of %d bytes", last, st.Size())
	}
}
