package replay

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// startPlayer plays frames recorded as a simulation feed at speed with a
// fake clock and returns the player, its clock, the sink and the channel on
// which the player reports each time it blocks.
func startPlayer(t *testing.T, frames [][]byte, speed float64) (*Player, *clock.Fake, *recordingSink, chan time.Duration, chan error) {
	t.Helper()
	rec, err := ReadFile(record(t, frames, 0))
	if err != nil {
		t.Fatal(err)
	}
	return playRecording(t, rec, speed)
}

// playRecording is startPlayer on a recording already read.
func playRecording(t *testing.T, rec *Recording, speed float64) (*Player, *clock.Fake, *recordingSink, chan time.Duration, chan error) {
	t.Helper()
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := NewPlayer(rec, PlayerOptions{Speed: speed, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 64)
	p.onWait = func(d time.Duration) { waits <- d }
	sink := newRecordingSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, sink) }()
	t.Cleanup(func() { cancel(); <-done })
	return p, fake, sink, waits, done
}

func TestPlayerPacingSpeedPause(t *testing.T) {
	frames := testFrames(t, 10)
	p, fake, sink, waits, _ := startPlayer(t, frames, 60)

	if d := <-waits; d != time.Second {
		t.Fatalf("first wait = %v, want 1s (one recorded minute at 60x)", d)
	}
	if got := len(sink.frames()); got != 3 {
		t.Fatalf("frames at start = %d, want hello + 2", got)
	}
	if !p.Now().Equal(t0) {
		t.Errorf("Now = %v, want %v", p.Now(), t0)
	}
	fake.Advance(time.Second)
	if d := <-waits; d != time.Second {
		t.Fatalf("wait = %v", d)
	}
	if got := len(sink.frames()); got != 5 {
		t.Fatalf("frames after 1s = %d, want 5", got)
	}
	if !p.Now().Equal(t0.Add(time.Minute)) {
		t.Errorf("Now = %v", p.Now())
	}

	if err := p.SetSpeed(120); err != nil {
		t.Fatal(err)
	}
	if d := <-waits; d != 500*time.Millisecond {
		t.Fatalf("wait at 120x = %v, want 500ms", d)
	}
	if p.Speed() != 120 {
		t.Errorf("Speed = %v", p.Speed())
	}
	for _, bad := range []float64{0.4, 3601, 0, -1} {
		if err := p.SetSpeed(bad); !errors.Is(err, ErrSpeed) {
			t.Errorf("SetSpeed(%v) = %v, want ErrSpeed", bad, err)
		}
	}

	p.Pause()
	if d := <-waits; d != -1 {
		t.Fatalf("paused wait = %v", d)
	}
	if !p.Paused() {
		t.Error("Paused = false after Pause")
	}
	fake.Advance(time.Hour)
	if got := len(sink.frames()); got != 5 {
		t.Fatalf("frames while paused = %d, want 5", got)
	}
	if !p.Now().Equal(t0.Add(time.Minute)) {
		t.Errorf("paused Now = %v", p.Now())
	}
	p.Resume()
	if d := <-waits; d != 500*time.Millisecond {
		t.Fatalf("wait after resume = %v", d)
	}
	fake.Advance(500 * time.Millisecond)
	<-waits
	if got := len(sink.frames()); got != 7 {
		t.Fatalf("frames after resume = %d, want 7", got)
	}
}

func TestPlayerSeek(t *testing.T) {
	frames := testFrames(t, 40)
	p, fake, sink, waits, _ := startPlayer(t, frames, 60)
	<-waits
	// forward: the frames in between arrive at once, in order, without a reset
	if err := p.Seek(t0.Add(35 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	<-waits
	got := sink.frames()
	if len(got) != 1+2*36 {
		t.Fatalf("frames after forward seek = %d, want %d", len(got), 1+2*36)
	}
	for i, f := range got {
		if f != string(frames[i]) {
			t.Fatalf("frame %d out of order", i)
		}
	}
	before := len(sink.snapshot())

	// backward: reset, then what a play from the start would have sent up
	// to the 15-minute index point but the charger frames (the hello and
	// the feeder's minutes 0-14), the charger's state there as a batch,
	// then the frames from there up to the target
	if err := p.Seek(t0.Add(20 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	if d := <-waits; d != time.Second {
		t.Fatalf("wait after seek = %v", d)
	}
	ev := sink.snapshot()[before:]
	if ev[0].link == nil || !ev[0].link.Reset {
		t.Fatalf("first event after backward seek = %s, want a reset", describe(ev[0]))
	}
	if ev[1].frame != string(frames[0]) {
		t.Fatalf("second event = %s, want the hello", describe(ev[1]))
	}
	for i := range 15 {
		if e := ev[2+i]; e.frame != string(frames[1+2*i]) {
			t.Fatalf("event %d = %s, want the feeder's minute %d", 2+i, describe(e), i)
		}
	}
	if e := ev[17]; e.frame != `{"v":1,"type":"batch","frames":[`+string(frames[2+2*14])+`]}` {
		t.Fatalf("event 17 = %s, want the charger's state at minute 14", describe(e))
	}
	rest := ev[18:]
	if len(rest) != 2*6 { // minutes 15..20
		t.Fatalf("%d frames after the state, want 12", len(rest))
	}
	for i, e := range rest {
		if e.frame != string(frames[1+2*15+i]) {
			t.Fatalf("frame %d after state = %s", i, describe(e))
		}
	}
	if !p.Now().Equal(t0.Add(20 * time.Minute)) {
		t.Errorf("Now after seek = %v", p.Now())
	}

	for _, bad := range []time.Time{t0.Add(-time.Second), t0.Add(40 * time.Minute)} {
		if err := p.Seek(bad); !errors.Is(err, ErrSeekRange) {
			t.Errorf("Seek(%v) = %v, want ErrSeekRange", bad, err)
		}
		// CheckSeek says so first, the same words.
		if err, want := p.CheckSeek(bad), p.Seek(bad); err == nil || err.Error() != want.Error() {
			t.Errorf("CheckSeek(%v) = %v, want %v", bad, err, want)
		}
	}
	if err := p.CheckSeek(t0.Add(30 * time.Minute)); err != nil {
		t.Errorf("CheckSeek within the recording = %v", err)
	}
	fake.Advance(time.Second)
	<-waits
	if n := len(sink.snapshot()) - before; n != 18+12+2 {
		t.Errorf("events after one more second = %d", n)
	}
}

func TestPlayerEndAndLoop(t *testing.T) {
	frames := testFrames(t, 3)
	rec, err := Read(bytes.NewReader(readBytes(t, record(t, frames, 0))))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		loop bool
	}{{"end", false}, {"loop", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := clock.NewFake(time.Unix(0, 0))
			p, err := NewPlayer(rec, PlayerOptions{Speed: 3600, Clock: fake, Loop: tt.loop})
			if err != nil {
				t.Fatal(err)
			}
			waits := make(chan time.Duration, 64)
			p.onWait = func(d time.Duration) { waits <- d }
			sink := newRecordingSink()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx, sink) }()
			resets := 0
			for resets < 2 {
				select {
				case d := <-waits:
					fake.Advance(d)
				case err := <-done:
					if tt.loop {
						t.Fatalf("looping player ended: %v", err)
					}
					if err != nil {
						t.Fatal(err)
					}
					ev := sink.snapshot()
					if last := ev[len(ev)-1]; last.link == nil || last.link.Up || !last.link.End {
						t.Fatalf("last event = %s, want link down at the end of the recording", describe(last))
					}
					if len(sink.frames()) != len(frames) {
						t.Fatalf("delivered %d frames, want %d", len(sink.frames()), len(frames))
					}
					return
				}
				resets = 0
				for _, e := range sink.snapshot() {
					if e.link != nil && e.link.Reset {
						resets++
					}
				}
			}
			if got := len(sink.frames()); got < 2*len(frames) {
				t.Fatalf("after two loops %d frames", got)
			}
		})
	}
}

// TestPlayerAfterEnd: once the recording has played out, the replay clock
// stays at its last frame (a running clock would make every charger stale on
// the dashboard and show a time the figures are not from), and a seek, which
// nothing would deliver any more, is refused rather than moving the clock.
func TestPlayerAfterEnd(t *testing.T) {
	frames := testFrames(t, 3)
	rec, err := Read(bytes.NewReader(readBytes(t, record(t, frames, 0))))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Unix(0, 0))
	p, err := NewPlayer(rec, PlayerOptions{Speed: 60, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 64)
	p.onWait = func(d time.Duration) { waits <- d }
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background(), newRecordingSink()) }()
	for ended := false; !ended; {
		select {
		case d := <-waits:
			fake.Advance(d)
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			ended = true
		}
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"at the end", func() {}},
		{"an hour later", func() { fake.Advance(time.Hour) }},
		{"paused and resumed", func() { p.Pause(); fake.Advance(time.Hour); p.Resume(); fake.Advance(time.Hour) }},
		{"at top speed", func() {
			if err := p.SetSpeed(MaxSpeed); err != nil {
				t.Fatal(err)
			}
			fake.Advance(time.Hour)
		}},
	}
	for _, s := range steps {
		s.do()
		if got := p.Now(); !got.Equal(rec.End()) {
			t.Errorf("%s: Now = %v, want the recording's end %v", s.name, got, rec.End())
		}
	}
	if err := p.Seek(rec.Start()); !errors.Is(err, ErrEnded) || err.Error() != "the replay has ended at 2024-02-04 16:02:00" {
		t.Errorf("Seek after the end = %v, want ErrEnded at the recording's end in its zone", err)
	}
	if got := p.Now(); !got.Equal(rec.End()) {
		t.Errorf("Now after a refused seek = %v, want %v", got, rec.End())
	}
}

// TestPlayerSeekRangeMessage: a refused seek names the recording's span in
// its own time zone, short enough that the dashboard's footer at 80 columns
// ("✕ seek 10:00: " and the message) still shows it.
func TestPlayerSeekRangeMessage(t *testing.T) {
	frames := testFrames(t, 40) // 16:00 to 16:39, Asia/Shanghai
	rec, err := ReadFile(record(t, frames, 0))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPlayer(rec, PlayerOptions{Clock: clock.NewFake(time.Unix(0, 0))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
	}{
		{"before the start", t0.Add(-6 * time.Hour)},
		{"a second before the start", t0.Add(-time.Second)},
		{"after the end", t0.Add(8 * time.Hour)},
		{"next day", t0.Add(24 * time.Hour)},
		{"in UTC", t0.Add(time.Hour).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Seek(tt.at)
			if !errors.Is(err, ErrSeekRange) {
				t.Fatalf("Seek = %v, want ErrSeekRange", err)
			}
			msg := err.Error()
			if want := "2024-02-04 16:00..16:39"; !strings.Contains(msg, want) {
				t.Errorf("message %q does not name the span %q", msg, want)
			}
			if footer := "✕ seek 10:00: " + msg; len([]rune(footer)) > 78 {
				t.Errorf("footer %q is %d columns, more than fit at 80", footer, len([]rune(footer)))
			}
		})
	}
}

// TestPlayerStartsLater: a seek before Run (v2gdesk replay --start) on the
// dashboard is a forward seek like any other: the frames before the target
// are delivered at once, so the day's curves and trends hold the morning, as
// the simulator's --start does. It used to restore the index point's state
// alone, and the dashboard drew an empty day up to --start. Unpaced (the
// headless summary) still starts from the index point's state.
func TestPlayerStartsLater(t *testing.T) {
	frames := testFrames(t, 40)
	rec, err := ReadFile(record(t, frames, 0))
	if err != nil {
		t.Fatal(err)
	}
	target := t0.Add(35 * time.Minute)
	tests := []struct {
		name    string
		unpaced bool
		want    []string // the first frames delivered
	}{
		{"dashboard", false, []string{string(frames[0]), string(frames[1]), string(frames[2])}},
		{"headless", true, []string{string(frames[0]), "batch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := clock.NewFake(time.Unix(0, 0))
			p, err := NewPlayer(rec, PlayerOptions{Speed: 60, Clock: fake, Unpaced: tt.unpaced})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Seek(target); err != nil {
				t.Fatal(err)
			}
			waits := make(chan time.Duration, 64)
			p.onWait = func(d time.Duration) { waits <- d }
			sink := newRecordingSink()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- p.Run(ctx, sink) }()
			if tt.unpaced {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			} else {
				<-waits // caught up with the target, waiting for the next frame
			}
			cancel()
			got := sink.frames()
			for i, w := range tt.want {
				if i >= len(got) || got[i] != w && !(w == "batch" && strings.Contains(got[i], `"type":"batch"`)) {
					t.Fatalf("frame %d = %.80q, want %.80q", i, got[i], w)
				}
			}
			if tt.unpaced {
				return
			}
			if len(got) != 1+2*36 {
				t.Errorf("delivered %d frames by the target, want %d (all of them)", len(got), 1+2*36)
			}
			for _, e := range sink.snapshot() {
				if e.link != nil && e.link.Reset {
					t.Errorf("a reset on a forward start")
				}
			}
			if !p.Now().Equal(target) {
				t.Errorf("Now = %v, want %v", p.Now(), target)
			}
		})
	}
}
