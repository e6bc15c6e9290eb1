package sshd

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"
)

// handClock is an idleClock a test drives: each After call is handed to the
// test, which sets the time and fires it.
type handClock struct {
	mu     sync.Mutex
	t      time.Time
	waits  chan time.Duration
	firing chan time.Time
}

func newHandClock(t time.Time) *handClock {
	return &handClock{t: t, waits: make(chan time.Duration), firing: make(chan time.Time)}
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *handClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *handClock) After(d time.Duration) (<-chan time.Time, func() bool) {
	c.waits <- d
	return c.firing, func() bool { return true }
}

// fire moves the clock to t and wakes the watchdog.
func (c *handClock) fire(t time.Time) {
	c.set(t)
	c.firing <- t
}

func TestWatchIdle(t *testing.T) {
	start := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	clk := newHandClock(start)
	// One key per read, as a terminal sends them.
	in := newActivityReader(iotest.OneByteReader(strings.NewReader("cx")), clk.Now)
	answered := 0
	in.onAnswer = func() { answered++ }
	events := make(chan string, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchIdle(ctx, in, clk, 10*time.Minute, time.Minute,
			func(left time.Duration) { events <- "warn " + left.String() },
			func() { events <- "expire" })
	}()
	expectWait := func(want time.Duration) {
		t.Helper()
		if got := <-clk.waits; got != want {
			t.Fatalf("watchdog waits %s, want %s", got, want)
		}
	}
	expectEvent := func(want string) {
		t.Helper()
		select {
		case got := <-events:
			if got != want {
				t.Fatalf("event %q, want %q", got, want)
			}
		default:
			t.Fatalf("no event, want %q", want)
		}
	}

	expectWait(9 * time.Minute) // until the warning
	// The watchdog wakes long after even the disconnect was due (a stalled
	// machine): it still warns first and gives the full minute.
	clk.fire(start.Add(time.Hour))
	expectWait(time.Second)
	expectEvent("warn 1m0s")
	// The countdown counts down, a second at a time.
	clk.fire(start.Add(time.Hour + time.Second))
	expectWait(time.Second)
	expectEvent("warn 59s")

	// The key that answers the warning keeps the session and goes nowhere
	// else: the dashboard reads the key after it.
	clk.set(start.Add(time.Hour + 30*time.Second))
	b := make([]byte, 1)
	if n, err := in.Read(b); err != nil || n != 1 || b[0] != 'x' {
		t.Fatalf("read %q, %v after the warning; want the c that answered it swallowed and x", b[:n], err)
	}
	if answered != 1 {
		t.Fatalf("answered %d times, want 1", answered)
	}
	clk.fire(start.Add(time.Hour + time.Minute))
	expectWait(8*time.Minute + 30*time.Second)
	if len(events) != 0 {
		t.Fatalf("event %q after input, want none", <-events)
	}

	clk.fire(start.Add(time.Hour + 30*time.Second + 9*time.Minute))
	expectWait(time.Second)
	expectEvent("warn 1m0s")
	clk.fire(start.Add(time.Hour + 30*time.Second + 10*time.Minute))
	<-done
	expectEvent("expire")
}

// TestActivityReaderPassesKeysWhenNotWarned: without a warning up every
// key reaches the dashboard.
func TestActivityReaderPassesKeysWhenNotWarned(t *testing.T) {
	in := newActivityReader(iotest.OneByteReader(strings.NewReader("ca")), time.Now)
	in.onAnswer = func() { t.Error("answered without a warning") }
	got, err := io.ReadAll(in)
	if err != nil || string(got) != "ca" {
		t.Fatalf("read %q, %v; want \"ca\"", got, err)
	}
}

func TestWatchIdleStopsWithTheSession(t *testing.T) {
	clk := newHandClock(time.Now())
	in := newActivityReader(strings.NewReader(""), clk.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchIdle(ctx, in, clk, time.Minute, time.Second, func(time.Duration) { t.Error("warned") }, func() { t.Error("expired") })
	}()
	<-clk.waits
	cancel()
	<-done
}

// TestIdleWarningCountsWholeSeconds: the idle warning's last tick read
// "this session closes in 962ms" between "closes in 2s" and the
// disconnection, and its first "closes in 1m0s"; the countdown is in
// whole seconds, from 60 s to 1 s, worded as the dashboard words its ages
// ("58 s", zh-CN "58 秒": zh-CN read "1s"), in either language.
func TestIdleWarningCountsWholeSeconds(t *testing.T) {
	for _, tc := range []struct {
		left time.Duration
		lang string
		want string
	}{
		{962 * time.Millisecond, LangEN, "closes in 1 s."},
		{10 * time.Millisecond, LangEN, "closes in 1 s."},
		{1400 * time.Millisecond, LangEN, "closes in 1 s."},
		{57600 * time.Millisecond, LangEN, "closes in 58 s."},
		{962 * time.Millisecond, LangZhCN, "将在 1 秒后关闭"},
		// The first tick of a minute's warning read "closes in 1m0s".
		{time.Minute, LangEN, "closes in 60 s."},
		{59600 * time.Millisecond, LangEN, "closes in 60 s."},
		{time.Minute, LangZhCN, "将在 60 秒后关闭"},
		{2 * time.Minute, LangEN, "closes in 2 min."},
	} {
		if got := idleWarning(tc.lang, tc.left); !strings.Contains(got, tc.want) {
			t.Errorf("%s left, %s: %q, want it to say %q", tc.left, tc.lang, got, tc.want)
		}
	}
}

// TestDurationWords: the transport's notices word a length as the
// dashboard words its ages: "30 min" for the idle timeout's end, where a
// Duration's String read "disconnected after 30m0s without input".
func TestDurationWords(t *testing.T) {
	for _, tc := range []struct {
		d        time.Duration
		en, zhCN string
	}{
		{0, "1 s", "1 秒"},
		{10 * time.Second, "10 s", "10 秒"},
		{119 * time.Second, "119 s", "119 秒"},
		{30 * time.Minute, "30 min", "30 分钟"},
		{2 * time.Hour, "2 h", "2 小时"},
		{2*time.Hour + 5*time.Minute, "2 h 5 min", "2 小时 5 分钟"},
	} {
		if got := durationWords(LangEN, tc.d); got != tc.en {
			t.Errorf("%s: %q, want %q", tc.d, got, tc.en)
		}
		if got := durationWords(LangZhCN, tc.d); got != tc.zhCN {
			t.Errorf("%s zh-CN: %q, want %q", tc.d, got, tc.zhCN)
		}
	}
	if got := say(LangEN, "disconnected after %s without input", durationWords(LangEN, 30*time.Minute)); got != "disconnected after 30 min without input" {
		t.Errorf("the idle disconnection reads %q", got)
	}
}
