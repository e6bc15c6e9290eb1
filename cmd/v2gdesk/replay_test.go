package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

// demoRecording records the demo day from 23:00 to its end, stepping the
// simulator directly, and returns the file's path.
func demoRecording(t *testing.T) string {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(23 * time.Hour), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.v2grec")
	rec := replay.NewRecorder(path, replay.RecorderOptions{})
	rec.HandleFrame(s.Hello())
	for _, b := range s.StateFrames() {
		rec.HandleFrame(b)
	}
	// A member every 10 lines, as the recorder's flush every second makes
	// of a simulator at 60x (a line a second) give or take.
	for i, b := range s.Step(time.Hour) {
		rec.HandleFrame(b)
		if i%10 == 9 {
			if err := rec.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// memberHeader is the 10-byte header Go's gzip.Writer gives every member
// the recorder writes (no name, no time, unknown OS).
var memberHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// badDeflate returns data with the middle member's first deflate block
// made invalid (block type 3), so that it cannot be inflated: corruption
// that stops the reading, not a torn tail.
func badDeflate(t *testing.T, data []byte) []byte {
	t.Helper()
	var starts []int
	for i := 0; ; {
		j := bytes.Index(data[i:], memberHeader)
		if j < 0 {
			break
		}
		starts = append(starts, i+j)
		i += j + 1
	}
	if len(starts) < 3 {
		t.Fatalf("%d gzip members; want 3 or more", len(starts))
	}
	bad := bytes.Clone(data)
	bad[starts[len(starts)/2]+len(memberHeader)] = 0xff // BFINAL 1, BTYPE 11
	return bad
}

// badChecksum returns data with the last member's CRC-32 changed: its lines
// inflate without an error and fail the check at the member's end.
func badChecksum(data []byte) []byte {
	bad := bytes.Clone(data)
	bad[len(bad)-8] ^= 0xff
	return bad
}

// badHeaderChecksum changes the CRC-32 of data's first gzip member, which
// the recorder writes holding the header alone.
func badHeaderChecksum(t *testing.T, data []byte) []byte {
	t.Helper()
	return badMemberChecksum(t, data, 0)
}

// badMemberChecksum changes the CRC-32 of data's gzip member k (0: the
// first, which the recorder writes holding the header alone; 1: the next,
// which holds the feed's hello).
func badMemberChecksum(t *testing.T, data []byte, k int) []byte {
	t.Helper()
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		zr.Multistream(false)
		member, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && bytes.Count(member, []byte("\n")) != 1 {
			t.Fatalf("the first member holds %d lines, want the header alone", bytes.Count(member, []byte("\n")))
		}
		if i == k {
			if k == 1 && !bytes.Contains(member, []byte(`"type":"hello"`)) {
				t.Fatal("the second member holds no hello")
			}
			break
		}
		if err := zr.Reset(br); err != nil {
			t.Fatalf("member %d: %v", i+1, err)
		}
	}
	end := len(data) - br.Len() // a ByteReader: gzip read nothing past the member
	bad := bytes.Clone(data)
	bad[end-8] ^= 0xff
	return bad
}

// withoutHeaderTopology returns data with its header's member, the first,
// rewritten without the header's copy of the hello (Header.Topology).
func withoutHeaderTopology(t *testing.T, data []byte) []byte {
	t.Helper()
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	header, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	stripped := regexp.MustCompile(`,"topology":\{.*\}\}\n$`).ReplaceAll(header, []byte("}\n"))
	if bytes.Equal(stripped, header) {
		t.Fatalf("header %s holds no topology", header)
	}
	return append(gzipBytes(t, stripped), data[len(data)-br.Len():]...)
}

// TestReplayDeskUsesHeaderTimeZone: the desk's fleet is told the recording
// header's time zone, so a replay whose hello was lost with a damaged part
// of the file shows its times in the site's zone, not UTC.
func TestReplayDeskUsesHeaderTimeZone(t *testing.T) {
	path := demoRecording(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "nohello.v2grec")
	// Without the header's copy of the hello too: the player would play that
	// copy in the hello's place as soon as the desk starts, and the snapshot
	// below would race it (it failed once under load).
	if err := os.WriteFile(file, withoutHeaderTopology(t, badMemberChecksum(t, data, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := replay.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 1})
	if err != nil {
		t.Fatal(err)
	}
	in := replayIngest(file, rec, p)
	if in.loc == nil || in.loc.String() != "Asia/Shanghai" {
		t.Fatalf("ingest location %v, want the header's Asia/Shanghai", in.loc)
	}
	d, err := startDesk(in, deskOptions{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.stop()
	if s := d.fleet.Snapshot(); s.HaveTopology || s.Location.String() != "Asia/Shanghai" {
		t.Errorf("desk snapshot before any hello: topology %v, location %v; want none and Asia/Shanghai", s.HaveTopology, s.Location)
	}
}

func TestReplayCommandLine(t *testing.T) {
	path := demoRecording(t)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"help", []string{"--help"}, 0, "Usage: v2gdesk replay FILE"},
		{"no file", nil, exitUsage, "FILE is required"},
		{"two files", []string{path, "x"}, exitUsage, `unexpected argument "x"`},
		{"bad speed", []string{path, "--speed", "5000"}, exitUsage, "speed out of range"},
		{"bad flag", []string{path, "--nope"}, exitUsage, "not defined"},
		{"bad start", []string{path, "--start", "25:99", "--headless"}, exitUsage, "HH:MM"},
		{"start outside", []string{path, "--start", "03:00", "--headless"}, 1, "outside the recording"},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.v2grec"), "--headless"}, 1, "no such file"},
		{"dashboard without a terminal", []string{path}, 1, "the dashboard needs a terminal"},
		{"bad lang", []string{path, "--lang", "fr"}, exitUsage, "--lang"},
		{"loop headless", []string{path, "--headless", "--loop"}, exitUsage, "--loop goes with the dashboard, not --headless"},
		{"journal headless", []string{path, "--headless", "--journal", filepath.Join(t.TempDir(), "j.jsonl")}, exitUsage, "--journal goes with the dashboard, not --headless"},
		// --headless plays as fast as possible: a --speed was silently ignored.
		{"speed headless", []string{path, "--headless", "--speed", "5"}, exitUsage, "--speed goes with the dashboard, not --headless"},
		{"usage puts speed with the dashboard", []string{"--help"}, 0, "[--headless | [--speed FACTOR]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := runReplay(context.Background(), tt.args, &out, &errb); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errb.String())
			}
			stream, got := "stderr", errb.String()
			if slices.Contains(tt.args, "--help") {
				stream, got = "stdout", out.String() // --help is the command's output
			}
			if !strings.Contains(got, tt.err) {
				t.Errorf("%s %q, want it to mention %q", stream, got, tt.err)
			}
		})
	}
}

func TestReplayHeadless(t *testing.T) {
	path := demoRecording(t)
	var out, errb bytes.Buffer
	if code := runReplay(context.Background(), []string{path, "--headless", "--start", "23:30"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// The file is read as it plays: the first line has its start, and
	// its end comes once the reading has found it, after the summaries.
	if lines[0] != "Demo City, from 2024-01-17 23:00 (Asia/Shanghai); end: not read yet" {
		t.Errorf("first line %q", lines[0])
	}
	if end := lines[len(lines)-3]; end != "end: 2024-01-18 00:00" {
		t.Errorf("third line from the end %q, want the end", end)
	}
	var stamps []string
	for _, l := range lines[1:] {
		if strings.Contains(l, " load ") {
			stamps = append(stamps, l[:5])
		}
	}
	want := []string{"23:30", "23:45", "00:00"}
	if strings.Join(stamps, " ") != strings.Join(want, " ") {
		t.Errorf("summary times %v, want %v\n%s", stamps, want, out.String())
	}
	last := lines[len(lines)-1]
	if !strings.Contains(out.String(), "the file ended cleanly") || !strings.Contains(last, "0 rejected") {
		t.Errorf("end of output:\n%s", out.String())
	}

	// a torn copy plays up to its last complete frame and says where it stopped
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	torn := filepath.Join(t.TempDir(), "torn.v2grec")
	if err := os.WriteFile(torn, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := runReplay(context.Background(), []string{torn, "--headless"}, &out, &errb); code != 0 {
		t.Fatalf("torn: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "the file stopped early at line") || !strings.Contains(out.String(), "unexpected EOF") {
		t.Errorf("torn output:\n%s", out.String())
	}
	// a --start past the end the reading finds: refused once it is
	// found, after the first line, which went out at once
	out.Reset()
	errb.Reset()
	if code := runReplay(context.Background(), []string{torn, "--headless", "--start", "23:59"}, &out, &errb); code != 1 {
		t.Fatalf("torn, --start past its end: exit %d, want 1: %s", code, errb.String())
	}
	if got := out.String(); got != "Demo City, from 2024-01-17 23:00 (Asia/Shanghai); end: not read yet\n" {
		t.Errorf("torn, --start past its end: output %q, want the first line alone", got)
	}
	if !strings.Contains(errb.String(), "v2gdesk replay: --start 23:59: seek target outside the recording (2024-01-17 23:00..23:") {
		t.Errorf("torn, --start past its end: stderr %q", errb.String())
	}

	// a corrupted copy (one byte flipped) is not a torn one: it plays what
	// came before, then says so and exits 1 (it exited 0 before)
	bad := badDeflate(t, data)
	corrupt := filepath.Join(t.TempDir(), "corrupt.v2grec")
	if err := os.WriteFile(corrupt, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := runReplay(context.Background(), []string{corrupt, "--headless"}, &out, &errb); code != 1 {
		t.Fatalf("corrupt: exit %d, want 1: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), corrupt+" is corrupt at line") {
		t.Errorf("corrupt: stderr %q", errb.String())
	}

	// a member that fails its checksum is skipped, lines named, and the
	// file counts as corrupt; the members around it play
	if err := os.WriteFile(corrupt, badChecksum(data), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := runReplay(context.Background(), []string{corrupt, "--headless"}, &out, &errb); code != 1 {
		t.Fatalf("bad checksum: exit %d, want 1: %s", code, errb.String())
	}
	if !regexp.MustCompile(regexp.QuoteMeta(corrupt) + `: skipped lines \d+-\d+: gzip member failed its check \(gzip: invalid checksum\)`).MatchString(errb.String()) {
		t.Errorf("bad checksum: stderr %q", errb.String())
	}
	if !regexp.MustCompile(`read \d+ frames, \d+ lines skipped`).MatchString(out.String()) || strings.Contains(out.String(), "read 0 frames") {
		t.Errorf("bad checksum: output\n%s", out.String())
	}
	// the member holding the hello fails its check: the header's copy of
	// the hello plays in its place, and the measurements after it are
	// taken; every one was rejected as no_topology
	if err := os.WriteFile(corrupt, badMemberChecksum(t, data, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := runReplay(context.Background(), []string{corrupt, "--headless"}, &out, &errb); code != 1 {
		t.Fatalf("hello's member: exit %d, want 1: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), corrupt+": line 2: topology taken from the file's header (its hello at line 2 was damaged") {
		t.Errorf("hello's member: stderr %q", errb.String())
	}
	if !regexp.MustCompile(`fleet: [1-9]\d* frames accepted, 0 rejected`).MatchString(out.String()) || !strings.Contains(out.String(), " load ") {
		t.Errorf("hello's member: output\n%s", out.String())
	}
}

func TestSimAndRecordCommands(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
	}{{[]string{"--speed", "0"}, exitUsage}, {[]string{"extra"}, exitUsage}, {[]string{"--scenario", "/nonexistent.json"}, 1},
		{[]string{"--start", "7pm"}, exitUsage}, {[]string{"--help"}, 0}} {
		if code := runSim(context.Background(), tt.args, io.Discard, io.Discard); code != tt.code {
			t.Errorf("sim %v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
	for _, tt := range []struct {
		args []string
		code int
	}{{nil, exitUsage}, {[]string{"--feed", "ws://x"}, exitUsage}, {[]string{"--out", "f"}, exitUsage},
		{[]string{"--feed", "http://x", "--out", "f"}, exitUsage}, {[]string{"--help"}, 0}} {
		if code := runRecord(context.Background(), tt.args, io.Discard, io.Discard); code != tt.code {
			t.Errorf("record %v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
	// An --out it cannot create is refused before connecting; it used to
	// log the error and keep running until --duration or Ctrl-C.
	{
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var errb bytes.Buffer
		missing := filepath.Join(t.TempDir(), "no", "x.v2grec")
		code := runRecord(ctx, []string{"--feed", "ws://127.0.0.1:1/v1", "--out", missing}, io.Discard, &errb)
		cancel()
		if code != 1 || !strings.Contains(errb.String(), "--out: create "+missing) {
			t.Errorf("record into a missing directory: exit %d, stderr %q", code, errb.String())
		}
	}

	// v2gdesk sim on a free port; a client gets the hello; v2gdesk record
	// records it until cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	simDone := make(chan int, 1)
	go func() {
		simDone <- runSim(ctx, []string{"--listen", "127.0.0.1:0", "--speed", "60", "--start", "18:00"}, pw, io.Discard)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	first, err := br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(first, "ws://")
	url := strings.Fields(first[i:])[0]
	if !strings.HasPrefix(first, "serving Demo City (12 feeders, 3065 chargers)") || !strings.HasSuffix(url, "/") {
		t.Fatalf("sim says %q", first)
	}
	conn, _, err := websocket.DefaultDialer.Dial(url+"v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, hello, err := conn.ReadMessage()
	if err != nil || !bytes.Contains(hello, []byte(`"type":"hello"`)) {
		t.Fatalf("hello %.100s %v", hello, err)
	}
	conn.Close()

	out := filepath.Join(t.TempDir(), "rec.v2grec")
	recCtx, stopRec := context.WithCancel(ctx)
	recDone := make(chan int, 1)
	var recOut bytes.Buffer
	go func() { recDone <- runRecord(recCtx, []string{"--feed", url, "--out", out}, &recOut, io.Discard) }()
	// e2e: wait (generously) for the recording to appear, then stop
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(out); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no recording appeared")
		}
		<-tick.C
	}
	stopRec()
	if code := <-recDone; code != 0 {
		t.Fatalf("record exit %d", code)
	}
	if !strings.HasPrefix(recOut.String(), "recorded ") {
		t.Errorf("record says %q", recOut.String())
	}
	rec, err := replay.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Header.Site != "Demo City" || !bytes.Contains(rec.Entries[0].Frame, []byte(`"type":"hello"`)) {
		t.Errorf("recording header %+v, first frame %.80s", rec.Header, rec.Entries[0].Frame)
	}
	if code := runRecord(ctx, []string{"--feed", url, "--out", out}, io.Discard, io.Discard); code != 1 {
		t.Errorf("record over an existing file: exit %d, want 1", code)
	}

	cancel()
	rest, _ := io.ReadAll(br)
	if code := <-simDone; code != 0 {
		t.Fatalf("sim exit %d", code)
	}
	if !strings.Contains(string(rest), "stopped at") || !strings.Contains(string(rest), "2 connections") {
		t.Errorf("sim final line %q", rest)
	}
}

// TestReplaySummaryRoundsDown checks that the headless summary rounds
// percentages down as the dashboard does: 99.6 % must not read 100 %, nor
// 88.59 % 89 %.
func TestReplaySummaryRoundsDown(t *testing.T) {
	at := time.Date(2024, 1, 17, 18, 0, 0, 0, time.UTC)
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return at }})
	var out bytes.Buffer
	sum := &summarySink{fleet: fleet, now: func() time.Time { return at }, loc: time.UTC, w: &out}
	for _, f := range []string{
		`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T18:00:00Z","system":{"import_limit_kw":2000},` +
			`"feeders":[{"id":"F01","import_limit_kw":1000},{"id":"F02","import_limit_kw":1000}],"chargers":[]}`,
		`{"v":1,"type":"feeder","id":"F01","ts":"2024-01-17T18:00:00Z","kw":775.8}`,
		`{"v":1,"type":"feeder","id":"F02","ts":"2024-01-17T18:00:00Z","kw":996}`,
	} {
		fleet.HandleFrame([]byte(f))
	}
	if fl := fleet.Snapshot().System.LoadingPct; fl < 88.58 || fl > 88.6 {
		t.Fatalf("system loading %.3f %%, want 88.59", fl)
	}
	sum.line()
	line := out.String()
	if !strings.Contains(line, "( 88%)") || !strings.Contains(line, "worst F02  99%") {
		t.Fatalf("summary %q: want the system at ( 88%%) and the worst feeder F02 at  99%%", line)
	}
}

// TestReplayDashboardTellsReading: the dashboard plays a damaged file as the
// headless summary does, and when it ends says what the file held back,
// naming the file and the line; it used to say nothing, so a skipped line
// or a corrupt tail went unnoticed by whoever watched the replay.
func TestReplayDashboardTellsReading(t *testing.T) {
	path := demoRecording(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := gunzip(t, data)
	lines := strings.SplitAfter(string(text), "\n")
	garbled := strings.Join(lines[:3], "") + "this is not JSON\n" + strings.Join(lines[3:], "")
	backLines := append([]string(nil), lines...)
	backLines[4] = regexp.MustCompile(`^\{"t":"[^"]*"`).ReplaceAllString(backLines[4], `{"t":"2024-01-17T10:00:00+08:00"`)
	// how far back line 5 goes: line 4's time depends on how many lines
	// the demo's state frames at 23:00 fill
	line4, err := time.Parse(time.RFC3339, regexp.MustCompile(`^\{"t":"([^"]*)"`).FindStringSubmatch(lines[3])[1])
	if err != nil {
		t.Fatal(err)
	}
	back := line4.Sub(time.Date(2024, 1, 17, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	type note = tui.RecordingDamage
	const name = "day.v2grec"
	tests := []struct {
		name   string
		data   []byte
		code   int
		want   []string
		damage func(r replay.Report) note // what the dashboard is to say
	}{
		{"clean", data, 1, nil, func(replay.Report) note { return note{File: name} }},
		{"a line of garbage", gzipBytes(t, []byte(garbled)), 1, []string{"FILE: skipped line 4: not a recording line"},
			func(replay.Report) note { return note{File: name, Skipped: 1} }},
		{"back in time", gzipBytes(t, []byte(strings.Join(backLines, ""))), 1, []string{"FILE: line 5: t 2024-01-17T10:00:00+08:00 is " + back.String() + " before line 4's"},
			func(replay.Report) note { return note{File: name, TimeJumps: 1} }},
		{"torn", data[:len(data)*2/3], 1, []string{"FILE: the file stopped early at line", "unexpected EOF"},
			func(r replay.Report) note { return note{File: name, StopLine: r.StopLine} }},
		{"corrupt", badDeflate(t, data), 1, []string{"FILE is corrupt at line", "frames before it were played"},
			func(r replay.Report) note { return note{File: name, StopLine: r.StopLine, StopCorrupt: true} }},
		{"a member failing its checksum", badChecksum(data), 1, []string{"FILE: skipped lines ", ": gzip member failed its check (gzip: invalid checksum)"},
			func(r replay.Report) note {
				return note{File: name, Skipped: r.Skipped, CorruptSkipped: r.Skipped, CorruptMembers: 1}
			}},
		// The recorder's header is a member of its own: read before its
		// check, so no line is skipped, and the file is corrupt all the
		// same. It said "skipped lines 1-1", and the dashboard nothing.
		{"the header's member failing its checksum", badHeaderChecksum(t, data), 1,
			[]string{"FILE: line 1: the header's gzip member failed its check (gzip: invalid checksum)"},
			func(r replay.Report) note { return note{File: name, CorruptMembers: 1} }},
		// The member after the header's holds the feed's hello: every
		// measurement after it was rejected as no_topology. The header's
		// copy of the hello plays in its place, and both say so.
		{"the hello's member failing its checksum", badMemberChecksum(t, data, 1), 1,
			[]string{"FILE: line 2: topology taken from the file's header (its hello at line 2 was damaged, with lines 2-", "(gzip: invalid checksum)"},
			func(r replay.Report) note {
				return note{File: name, Skipped: r.Skipped, CorruptSkipped: r.Skipped, CorruptMembers: 1, HeaderTopologyLine: 2}
			}},
		// Without the header's copy the topology is lost as before.
		{"the hello's member failing its checksum, no copy in the header", withoutHeaderTopology(t, badMemberChecksum(t, data, 1)), 1,
			[]string{"FILE: line 2: the feed's topology (its hello) was in lines 2-", "(gzip: invalid checksum)", "no_topology"},
			func(r replay.Report) note {
				return note{File: name, Skipped: r.Skipped, CorruptSkipped: r.Skipped, CorruptMembers: 1, TopologyLine: 2}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "day.v2grec")
			if err := os.WriteFile(file, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			// No terminal here: the dashboard refuses to start, and what was
			// read is told all the same.
			if code := runReplay(context.Background(), []string{file}, &out, &errb); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errb.String())
			}
			got := errb.String()
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "FILE", file); !strings.Contains(got, w) {
					t.Errorf("stderr %q, want it to say %q", got, w)
				}
			}
			if tt.want == nil && strings.Contains(got, file) {
				t.Errorf("stderr %q names the file of a clean recording", got)
			}
			// What the dashboard is handed to say from the start (it
			// said nothing until it ended): the same damage, in figures.
			rec, err := replay.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			d := recordingDamage(file, rec.Report)
			if d.Damaged() != (tt.want != nil) || d.File != "day.v2grec" {
				t.Errorf("dashboard note %+v for %s (report %s)", d, tt.name, rec.Report)
			}
			if *d != tt.damage(rec.Report) {
				t.Errorf("dashboard note %+v, want %+v", *d, tt.damage(rec.Report))
			}
		})
	}
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReplaySummaryBeforeAnyMeasurement: a recording cut short after its
// hello has the topology and no measurement; its summary line read "load
// 0 kW of 2000 (0%)  worst 0%", a site drawing nothing. It says nothing
// was measured yet.
func TestReplaySummaryBeforeAnyMeasurement(t *testing.T) {
	at := time.Date(2024, 1, 17, 18, 0, 0, 0, time.UTC)
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return at }})
	var out bytes.Buffer
	sum := &summarySink{fleet: fleet, now: func() time.Time { return at }, loc: time.UTC, w: &out}
	fleet.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T18:00:00Z","system":{"import_limit_kw":2000},` +
		`"feeders":[{"id":"F01","import_limit_kw":1000},{"id":"F02","import_limit_kw":1000}],"chargers":[]}`))
	sum.line()
	if got, want := out.String(), "18:00  no feeder measured yet\n"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}
