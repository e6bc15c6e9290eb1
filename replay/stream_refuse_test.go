package replay

import (
	"encoding/json"
	"testing"
	"time"
)

// sinceReset returns the frames s was handed after the last reset (a
// backward seek's), and whether there was one.
func sinceReset(s *recordingSink) (frames []string, reset bool) {
	for _, e := range s.snapshot() {
		switch {
		case e.link != nil && e.link.Reset:
			frames, reset = nil, true
		case e.link == nil:
			frames = append(frames, e.frame)
		}
	}
	return frames, reset
}

// lastTS is the ts of the last frame in frames.
func lastTS(t *testing.T, frames []string) time.Time {
	t.Helper()
	if len(frames) == 0 {
		t.Fatal("no frames")
	}
	var f struct{ TS time.Time }
	if err := json.Unmarshal([]byte(frames[len(frames)-1]), &f); err != nil {
		t.Fatal(err)
	}
	return f.TS
}

// TestOpenSeekPastTheEndFoundLaterGoesBack: a :seek past what is read is
// taken (the reading may not have found the end yet); when the reading
// finds the recording ends before it, the seek is refused there and then
// (Loading().Refused, which the desk shows) and playback goes back to
// where it was, rather than sit at the recording's end with nothing said.
func TestOpenSeekPastTheEndFoundLaterGoesBack(t *testing.T) {
	frames := testFrames(t, 30) // minutes 0-29
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[1], 60) // minutes 0-9 read
	if d := s.nextWait(t); d != time.Second {
		t.Fatalf("first wait %v, want 1s", d)
	}
	for range 3 { // play to minute 3
		s.fake.Advance(time.Second)
		s.nextWait(t)
	}
	was := t0.Add(3 * time.Minute)
	if now := s.p.Now(); !now.Equal(was) {
		t.Fatalf("Now = %v, want minute 3", now)
	}
	told := make(chan RefusedSeek, 2)
	s.p.OnRefused(func(r RefusedSeek) { told <- r })
	target := t0.Add(45 * time.Minute)
	if err := s.p.Seek(target); err != nil {
		t.Fatalf("Seek past what is read: %v", err)
	}
	l := s.starveFor(t, 20, target)
	if !l.Waiting || !l.Target.Equal(target) || l.Refused.N != 0 {
		t.Fatalf("loading state %+v: want waiting for minute 45, nothing refused yet", l)
	}
	s.feed(t, file, ends[1], len(file)) // the rest: it ends at minute 29
	s.w.Close()                         // and the reading finds the end
	if d := s.nextWait(t); d != time.Second {
		t.Fatalf("wait after the refusal %v, want 1s (minute 4 at 60x)", d)
	}
	l = s.p.Loading()
	want := RefusedSeek{N: 1, Target: target, End: t0.Add(29 * time.Minute), Back: was}
	if !l.Refused.Target.Equal(want.Target) || !l.Refused.End.Equal(want.End) || !l.Refused.Back.Equal(want.Back) ||
		l.Refused.N != 1 || l.Refused.BeforeRun {
		t.Errorf("Refused = %+v, want %+v", l.Refused, want)
	}
	if l.Waiting {
		t.Errorf("Loading() = %+v: still waiting after the refusal", l)
	}
	// OnRefused is told of it as Loading says it, once: a desk journals it
	// beside the seek's clock_seek.
	select {
	case r := <-told:
		if r != l.Refused {
			t.Errorf("OnRefused told %+v, Loading says %+v", r, l.Refused)
		}
	default:
		t.Error("OnRefused was not told of the refusal")
	}
	if len(told) != 0 {
		t.Errorf("OnRefused told %d more times", len(told))
	}
	if now := s.p.Now(); !now.Equal(was) {
		t.Errorf("Now = %v after the refusal, want %v (where it was)", now, was)
	}
	got, reset := sinceReset(s.sink)
	if !reset {
		t.Fatal("no reset: the frames delivered on the way to the end were not taken back")
	}
	if ts := lastTS(t, got); !ts.Equal(was) {
		t.Errorf("last frame since the reset at %v, want %v", ts, was)
	}
	if err := s.p.CheckSeek(target); err == nil {
		t.Errorf("CheckSeek(minute 45) once the end is found: nil, want the range error")
	}
}

// TestOpenStartPastTheEndFoundLaterPlaysFromTheStart: the same for a seek
// taken before Run (the command line's --start): refused when the reading
// finds the end, and the recording plays from its start.
func TestOpenStartPastTheEndFoundLaterPlaysFromTheStart(t *testing.T) {
	frames := testFrames(t, 30)
	file, ends := memberFile(t, frames, 20)
	target := t0.Add(45 * time.Minute)
	s := openStreamedThen(t, file, ends[1], 60, func(p *Player) {
		if err := p.Seek(target); err != nil {
			t.Fatalf("--start past what is read: %v", err)
		}
	})
	s.starve(t, 20)
	s.feed(t, file, ends[1], len(file))
	s.w.Close()
	if d := s.nextWait(t); d != time.Second {
		t.Fatalf("wait after the refusal %v, want 1s (minute 1 at 60x)", d)
	}
	r := s.p.Loading().Refused
	if r.N != 1 || !r.BeforeRun || !r.Back.Equal(t0) || !r.End.Equal(t0.Add(29*time.Minute)) || !r.Target.Equal(target) {
		t.Errorf("Refused = %+v, want #1 before Run, back at the start %v, end minute 29", r, t0)
	}
	if now := s.p.Now(); !now.Equal(t0) {
		t.Errorf("Now = %v after the refusal, want the start %v", now, t0)
	}
	got, _ := sinceReset(s.sink)
	if len(got) != 3 || !lastTS(t, got).Equal(t0) {
		t.Errorf("since the reset: %d frames to %v, want the hello and minute 0's two", len(got), lastTS(t, got))
	}
}
