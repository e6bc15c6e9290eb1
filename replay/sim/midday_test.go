package sim

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// A client that subscribes while the day runs gets, right after the hello,
// every feeder and every charger as of now: a desk started mid-day shows
// data at once, not after the next step.
func TestServerMidDayState(t *testing.T) {
	sc := testScenario(t)
	fake := clock.NewFake(time.Unix(0, 0))
	s, err := New(sc, Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Speed: 60, Clock: fake, Logger: quiet, Heartbeat: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	defer func() { cancel(); <-done }()

	// Let five simulated minutes pass; Run waits on the clock between steps.
	for range 5 {
		fake.BlockUntil(1)
		fake.Advance(time.Second)
	}
	fake.BlockUntil(1)
	now := s.Now()
	if want := sc.Start().Add(18*time.Hour + 35*time.Minute); !now.Equal(want) {
		t.Fatalf("sim at %v, want %v", now, want)
	}

	b := dial(t, url)
	if f := readFrame(t, b); f["type"] != "hello" {
		t.Fatalf("first frame %v, want the hello", f)
	}
	send(t, b, `{"v":1,"type":"subscribe"}`)
	if f := readFrame(t, b); f["type"] != "hello" {
		t.Fatalf("answer to subscribe %v, want the hello", f)
	}
	seen := map[string]bool{}
	for len(seen) < len(sc.Feeders)+len(sc.Sessions) {
		f := readFrame(t, b)
		if f["type"] != "batch" {
			t.Fatalf("after the hello: %v, want the state", f)
		}
		for _, m := range f["frames"].([]any) {
			fr := m.(map[string]any)
			ts, err := time.Parse(time.RFC3339, fr["ts"].(string))
			if err != nil || !ts.Equal(now) {
				t.Errorf("%v %v at %v, want the state as of %v", fr["type"], fr["id"], fr["ts"], now)
			}
			seen[fr["id"].(string)] = true
		}
	}
	for _, id := range []string{"F01", "F02", "CP-0001", "CP-0002", "CP-0003"} {
		if !seen[id] {
			t.Errorf("state lacks %s (got %v)", id, seen)
		}
	}
}

// Hello is the hello built at New with the current time as its ts, byte
// for byte what encoding the whole hello again gives, and costs one copy
// rather than a decode and an encode of every charger (a second at
// 100,000 chargers, under the simulation's lock).
func TestHelloSplicesTheTime(t *testing.T) {
	sc := bigScenario(t, 2000)
	sc.Site = `Quote "ts":"2000-01-01T00:00:00Z" City` // a site name cannot fool the splice
	s, err := New(sc, Options{Start: sc.Start().Add(19*time.Hour + 7*time.Minute), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Hello()
	var h feeds.Hello
	if err := json.Unmarshal(s.hello, &h); err != nil {
		t.Fatal(err)
	}
	h.TS = s.Now()
	want, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("Hello() = %.300s\nwant      %.300s", got, want)
	}
	if f, err := feeds.Decode(got); err != nil || !f.(*feeds.Hello).TS.Equal(s.Now()) || f.(*feeds.Hello).Site != sc.Site {
		t.Fatalf("Hello() decodes to %v, %v", f, err)
	}
	if n := testing.AllocsPerRun(5, func() { s.Hello() }); n > 3 {
		t.Errorf("Hello() makes %.0f allocations for 2,000 chargers, want a copy (at most 3)", n)
	}
}
