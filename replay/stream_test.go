package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

const streamHeader = `{"format":"v2grec","version":1,"tz":"Asia/Shanghai","created":"2024-02-04T08:00:00Z"}` + "\n"

// memberFile returns frames (testFrames: a hello, then a feeder and a
// charger frame per minute) as a recording whose header is a gzip member
// of its own and whose lines go per to a member, as the recorder writes
// them, and the offset in file where each member ends.
func memberFile(t *testing.T, frames [][]byte, per int) (file []byte, ends []int) {
	t.Helper()
	add := func(text string) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		if _, err := zw.Write([]byte(text)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		file = append(file, b.Bytes()...)
		ends = append(ends, len(file))
	}
	add(streamHeader)
	var s strings.Builder
	for i, f := range frames {
		at := t0
		if i > 0 {
			at = t0.Add(time.Duration((i-1)/2) * time.Minute)
		}
		fmt.Fprintf(&s, `{"t":"%s","frame":%s}`+"\n", at.UTC().Format(time.RFC3339Nano), f)
		if (i+1)%per == 0 || i == len(frames)-1 {
			add(s.String())
			s.Reset()
		}
	}
	return file, ends
}

// streamed is a recording being read through a pipe the test writes to,
// and a player playing it into a sink.
type streamed struct {
	w       *io.PipeWriter
	rec     *Recording
	p       *Player
	fake    *clock.Fake
	sink    *recordingSink
	starved chan LoadState
	waits   chan time.Duration
	done    chan error    // Run's error
	ran     chan struct{} // closed when Run has returned
	cancel  context.CancelFunc
}

// openStreamed writes file[:upTo] to a pipe (the header at least, and the
// first frame), opens the recording on it, and starts a player at speed
// (unpaced when 0) on a fake clock.
func openStreamed(t *testing.T, file []byte, upTo int, speed float64) *streamed {
	t.Helper()
	return openStreamedThen(t, file, upTo, speed, nil)
}

// openStreamedThen is openStreamed calling before, when set, on the
// player before it runs (a --start's seek).
func openStreamedThen(t *testing.T, file []byte, upTo int, speed float64, before func(*Player)) *streamed {
	t.Helper()
	pr, pw := io.Pipe()
	go pw.Write(file[:upTo]) // returns once the reader has taken it all
	readCtx, stopReading := context.WithCancel(context.Background())
	rec, err := OpenReader(readCtx, pr, int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := NewPlayer(rec, PlayerOptions{Speed: speed, Clock: fake, Unpaced: speed == 0})
	if err != nil {
		t.Fatal(err)
	}
	s := &streamed{w: pw, rec: rec, p: p, fake: fake, sink: newRecordingSink(),
		starved: make(chan LoadState, 1024), waits: make(chan time.Duration, 1024), done: make(chan error, 1), ran: make(chan struct{})}
	p.onStarve = func(l LoadState) { s.starved <- l }
	p.onWait = func(d time.Duration) { s.waits <- d }
	if before != nil {
		before(p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		s.done <- p.Run(ctx, s.sink)
		close(s.ran)
	}()
	t.Cleanup(func() {
		cancel()
		<-s.ran
		stopReading()
		pw.CloseWithError(errors.New("test over"))
		rec.Wait(context.Background())
	})
	return s
}

// feed writes file[from:to] to the pipe; it returns once the reader has
// taken it.
func (s *streamed) feed(t *testing.T, file []byte, from, to int) {
	t.Helper()
	if _, err := s.w.Write(file[from:to]); err != nil {
		t.Fatal(err)
	}
}

// nextWait returns the wall time the player waits next for its clock; it
// fails the test if the player returns instead, as one that delivered the
// rest of the recording at once would.
func (s *streamed) nextWait(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-s.waits:
		return d
	case err := <-s.done:
		t.Fatalf("the player returned (%v) rather than wait for its clock; %d frames delivered", err, len(s.sink.frames()))
	}
	return 0
}

// starve waits for the player to have delivered the first n frames of
// the recording, all those read, and to wait for more: it may wait
// earlier too, when it gets ahead of the reading.
func (s *streamed) starve(t *testing.T, n int) LoadState {
	t.Helper()
	for {
		select {
		case l := <-s.starved:
			if l.Frames >= n {
				return l
			}
		case err := <-s.done:
			t.Fatalf("the player returned (%v) rather than wait for the rest of the file", err)
		}
	}
}

// starveFor is starve for a wait with target: the waits for the reading
// told before a seek (the player may get ahead of what is published at
// the start) come first, and are passed over.
func (s *streamed) starveFor(t *testing.T, n int, target time.Time) LoadState {
	t.Helper()
	for {
		if l := s.starve(t, n); l.Target.Equal(target) {
			return l
		}
	}
}

// TestOpenPlaysBeforeTheFileIsRead: a recording being read plays its first
// frames while the rest of the file is still to come, waits at the end of
// what is read, and plays on as more arrives; in the end it has played
// what Read plays, and reports what Read reports.
func TestOpenPlaysBeforeTheFileIsRead(t *testing.T) {
	frames := testFrames(t, 60) // 121 lines
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[2], 0) // the header and lines 2-41

	l := s.starve(t, 40)
	if got := len(s.sink.frames()); got != 40 {
		t.Fatalf("delivered %d frames before the rest of the file was written, want 40", got)
	}
	if !l.Waiting || !l.Target.IsZero() || l.Done || l.Frames != 40 || l.Read != int64(ends[2]) || l.Size != int64(len(file)) {
		t.Errorf("waiting state %+v: want waiting for more, 40 frames and %d of %d bytes read, not done", l, ends[2], len(file))
	}
	if !l.Until.Equal(t0.Add(19 * time.Minute)) {
		t.Errorf("read until %v, want minute 19", l.Until)
	}
	s.feed(t, file, ends[2], ends[4])
	s.starve(t, 80)
	if got := len(s.sink.frames()); got != 80 {
		t.Fatalf("delivered %d frames after two more members, want 80", got)
	}
	s.feed(t, file, ends[4], len(file))
	s.w.Close()
	if err := <-s.done; err != nil {
		t.Fatal(err)
	}
	whole, err := Read(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range whole.Entries {
		want = append(want, string(e.Frame))
	}
	if got := s.sink.frames(); !reflect.DeepEqual(got, want) {
		t.Errorf("played %d frames, Read has %d (or they differ)", len(got), len(want))
	}
	rep, err := s.rec.Wait(context.Background())
	if err != nil || !reflect.DeepEqual(rep, whole.Report) {
		t.Errorf("report %+v (%v), want Read's %+v", rep, err, whole.Report)
	}
	if p := s.rec.Progress(); !p.Done || p.Frames != len(frames) || !s.rec.End().Equal(whole.End()) {
		t.Errorf("progress %+v, end %v: want done, %d frames, end %v", p, s.rec.End(), len(frames), whole.End())
	}
}

// TestOpenSeekIntoTheUnreadPartWaits: a seek (or --start) past what is read
// is taken, waits for the reading with the target and the progress to show
// for it, then plays from there; the clock does not read the target before
// its frames are in.
func TestOpenSeekIntoTheUnreadPartWaits(t *testing.T) {
	frames := testFrames(t, 60)
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[1], 60) // lines 2-21: minutes 0-9
	if d := <-s.waits; d != time.Second {
		t.Fatalf("first wait %v, want 1s", d)
	}
	target := t0.Add(45 * time.Minute)
	if err := s.p.CheckSeek(target); err != nil {
		t.Fatalf("CheckSeek into the unread part: %v", err)
	}
	if err := s.p.Seek(target); err != nil {
		t.Fatal(err)
	}
	l := s.starveFor(t, 20, target)
	if !l.Waiting || !l.Target.Equal(target) || !l.Until.Equal(t0.Add(9*time.Minute)) {
		t.Fatalf("loading state %+v: want waiting for %v, read until minute 9", l, target)
	}
	if got := s.p.Loading(); !got.Waiting || !got.Target.Equal(target) {
		t.Errorf("Loading() = %+v while waiting", got)
	}
	if now := s.p.Now(); now.After(t0.Add(9 * time.Minute)) {
		t.Errorf("Now = %v before the target's frames are read", now)
	}
	s.feed(t, file, ends[1], ends[4]) // up to minute 39
	if l := s.starveFor(t, 80, target); !l.Target.Equal(target) || !l.Until.Equal(t0.Add(39*time.Minute)) {
		t.Fatalf("loading state %+v: want still waiting for %v, read until minute 39", l, target)
	}
	s.feed(t, file, ends[4], len(file))
	if d := <-s.waits; d != time.Second {
		t.Fatalf("wait after the seek %v, want 1s (the next minute at 60x)", d)
	}
	if now := s.p.Now(); !now.Equal(target) {
		t.Errorf("Now = %v after the catch-up, want %v", now, target)
	}
	if got, want := len(s.sink.frames()), 1+2*46; got != want {
		t.Errorf("delivered %d frames, want %d (the hello and minutes 0-45)", got, want)
	}
	if l := s.p.Loading(); l.Waiting {
		t.Errorf("Loading() = %+v once playing", l)
	}
}

// TestOpenWaitIsCancellable: a player waiting for a part not read yet
// takes a seek elsewhere (back into what is read) at once, and returns
// when its context is cancelled; the reading itself stops when its own
// context is, and says what it had read.
func TestOpenWaitIsCancellable(t *testing.T) {
	frames := testFrames(t, 60)
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[2], 60) // minutes 0-19
	<-s.waits
	if err := s.p.Seek(t0.Add(50 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.starve(t, 40)
	back := t0.Add(5 * time.Minute)
	if err := s.p.Seek(back); err != nil {
		t.Fatal(err)
	}
	if d := <-s.waits; d != time.Second {
		t.Fatalf("wait after seeking back %v, want 1s", d)
	}
	if now := s.p.Now(); !now.Equal(back) {
		t.Errorf("Now = %v after seeking back, want %v", now, back)
	}
	if err := s.p.Seek(t0.Add(50 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.starve(t, 40)
	s.cancel()
	if err := <-s.done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}

	// The reading: cancelled, it stops at the next entry.
	pr, pw := io.Pipe()
	go pw.Write(file[:ends[2]])
	ctx, cancel := context.WithCancel(context.Background())
	rec, err := OpenReader(ctx, pr, 0)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	go pw.Write(file[ends[2]:ends[3]]) // lets a reader blocked on the pipe see it
	rep, err := rec.Wait(context.Background())
	if !errors.Is(err, ErrReadCancelled) || !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want ErrReadCancelled, context.Canceled", err)
	}
	if p := rec.Progress(); !p.Done || p.Frames >= len(frames) || rep.Frames != p.Frames {
		t.Errorf("progress %+v, report %+v: want done early", p, rep)
	}
	pw.Close()
}

// TestOpenReportsDamageWhereItIs: a member that fails its check in the
// middle, a member whose data will not inflate, and a file cut short are
// found when the reading gets there: the frames before them play first,
// and in the end the frames played and the report are Read's.
func TestOpenReportsDamageWhereItIs(t *testing.T) {
	frames := testFrames(t, 60)
	clean, ends := memberFile(t, frames, 20)
	// Stored (uncompressed) members, so a changed byte inflates and only
	// the check finds it.
	var stored []byte
	var storedEnds []int
	stored = append(stored, storedMember(t, streamHeader)...)
	storedEnds = append(storedEnds, len(stored))
	var lines []string
	for i, f := range frames {
		at := t0
		if i > 0 {
			at = t0.Add(time.Duration((i-1)/2) * time.Minute)
		}
		lines = append(lines, fmt.Sprintf(`{"t":"%s","frame":%s}`+"\n", at.UTC().Format(time.RFC3339Nano), f))
	}
	for i := 0; i < len(lines); i += 20 {
		stored = append(stored, storedMember(t, strings.Join(lines[i:min(i+20, len(lines))], ""))...)
		storedEnds = append(storedEnds, len(stored))
	}
	badCheck := bytes.Clone(stored)
	i := storedEnds[2] + bytes.Index(stored[storedEnds[2]:], []byte(`"kw":`)) + len(`"kw":`)
	badCheck[i] = '9' // in the third member of lines: still parses
	badData := bytes.Clone(clean)
	for j := ends[2] + 12; j < ends[2]+40; j++ {
		badData[j] ^= 0x5a // compressed data that will not inflate
	}
	for _, tt := range []struct {
		name   string
		file   []byte
		before int // the offset before the damage
	}{
		{"checksum", badCheck, storedEnds[2]},
		{"corrupt data", badData, ends[2]},
		{"torn", clean[:ends[3]-9], ends[2]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole, err := Read(bytes.NewReader(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if w := whole.Report; w.BadMembers == 0 && !w.Stopped {
				t.Fatalf("the file is not damaged: %+v", w)
			}
			s := openStreamed(t, tt.file, tt.before, 0)
			l := s.starve(t, 40)
			if l.Report.BadMembers != 0 || l.Report.Stopped || l.Frames != 40 || len(s.sink.frames()) != 40 {
				t.Errorf("before the damage: %+v, %d delivered; want 40 frames read and delivered, no damage yet", l, len(s.sink.frames()))
			}
			s.feed(t, tt.file, tt.before, len(tt.file))
			s.w.Close()
			if err := <-s.done; err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range whole.Entries {
				want = append(want, string(e.Frame))
			}
			if got := s.sink.frames(); !reflect.DeepEqual(got, want) {
				t.Errorf("played %d frames, Read %d (or they differ)", len(got), len(want))
			}
			rep, err := s.rec.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			gotCause, wantCause := fmt.Sprint(rep.Cause), fmt.Sprint(whole.Report.Cause)
			rep.Cause, whole.Report.Cause = nil, nil
			if !reflect.DeepEqual(rep, whole.Report) || gotCause != wantCause {
				t.Errorf("report %+v (%s)\nwant Read's %+v (%s)", rep, gotCause, whole.Report, wantCause)
			}
		})
	}
}

// TestOpenClockHoldsWhileTheReadingIsBehind: playback that catches up with
// the reading holds its clock at the last frame read, and runs on from
// there when more is read: it does not jump to where the wall clock would
// have taken it and deliver that stretch at once.
func TestOpenClockHoldsWhileTheReadingIsBehind(t *testing.T) {
	frames := testFrames(t, 60)
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[1], 60) // minutes 0-9
	if d := <-s.waits; d != time.Second {
		t.Fatalf("first wait %v, want 1s", d)
	}
	s.fake.Advance(10 * time.Minute) // 600 recorded minutes at 60x
	l := s.starve(t, 20)
	if l.Waiting != true || !l.Target.IsZero() {
		t.Errorf("loading state %+v: want waiting, no seek target", l)
	}
	if now, want := s.p.Now(), t0.Add(9*time.Minute); !now.Equal(want) {
		t.Errorf("Now = %v while the reading is behind, want the last frame read, %v", now, want)
	}
	s.feed(t, file, ends[1], len(file))
	s.w.Close()
	if d := s.nextWait(t); d != time.Second {
		t.Fatalf("wait once more is read %v, want 1s (minute 10 at 60x from minute 9)", d)
	}
	if now, want := s.p.Now(), t0.Add(9*time.Minute); !now.Equal(want) {
		t.Errorf("Now = %v once more is read, want %v", now, want)
	}
	if got, want := len(s.sink.frames()), 1+2*10; got != want {
		t.Errorf("delivered %d frames, want %d (the hello and minutes 0-9)", got, want)
	}
}

// TestReadPastWaitsForAFrameAfterT: ReadPast returns once a frame after t
// is read (the index point before t is then known), or the file has
// ended, or its context is done; a headless --start waits so.
func TestReadPastWaitsForAFrameAfterT(t *testing.T) {
	frames := testFrames(t, 60)
	file, ends := memberFile(t, frames, 20)
	pr, pw := io.Pipe()
	go pw.Write(file[:ends[1]]) // minutes 0-9
	rec, err := OpenReader(context.Background(), pr, int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	target := t0.Add(25 * time.Minute)
	got := make(chan Progress, 1)
	go func() {
		p, err := rec.ReadPast(context.Background(), target)
		if err != nil {
			t.Errorf("ReadPast: %v", err)
		}
		got <- p
	}()
	if _, err := pw.Write(file[ends[1]:ends[3]]); err != nil { // minutes 10-29
		t.Fatal(err)
	}
	p := <-got
	if !p.Until.After(target) || p.Done || p.Frames > 61 {
		t.Errorf("ReadPast(minute 25) = %+v: want a frame after it read, the file not done, at most 61 frames", p)
	}
	if _, err := pw.Write(file[ends[3]:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if p, err := rec.ReadPast(context.Background(), t0.Add(2*time.Hour)); err != nil || !p.Done || p.Frames != len(frames) {
		t.Errorf("ReadPast past the end = %+v, %v: want the whole file read, done", p, err)
	}

	pr, pw = io.Pipe()
	go pw.Write(file[:ends[1]])
	rec, err = OpenReader(context.Background(), pr, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p, err := rec.ReadPast(ctx, target); !errors.Is(err, context.Canceled) || p.Until.After(target) {
		t.Errorf("ReadPast cancelled = %+v, %v: want context.Canceled, before the target", p, err)
	}
	pw.Close()
	rec.Wait(context.Background())
}
