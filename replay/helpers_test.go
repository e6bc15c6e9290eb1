package replay

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

var t0 = time.Date(2024, 2, 4, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))

// testFrames returns a hello and then, per minute, one feeder frame and one
// charger frame for n minutes: a simulation feed whose frame times drive the
// recording clock.
func testFrames(t testing.TB, n int) [][]byte {
	t.Helper()
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Test", TimeZone: "Asia/Shanghai",
		TS: t0, Mode: "simulation",
		Feeders:  []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 100}},
		Chargers: []feeds.ChargerInfo{{ID: "CP-0001", Feeder: "F01", MaxChargeKW: 7}}}
	out := [][]byte{mustJSON(t, hello)}
	for i := 0; i < n; i++ {
		ts := t0.Add(time.Duration(i) * time.Minute)
		out = append(out, mustJSON(t, feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: "F01", TS: ts, KW: float64(i)}))
		out = append(out, mustJSON(t, feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: "CP-0001", TS: ts,
			State: feeds.StateCharging, KW: float64(i % 7), Plugged: true}))
	}
	return out
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// record writes frames to a new recording in a temp dir, flushing after
// every flushEvery frames (never when 0), and returns its path.
func record(t testing.TB, frames [][]byte, flushEvery int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.v2grec")
	r := NewRecorder(path, RecorderOptions{Source: "test"})
	for i, f := range frames {
		r.HandleFrame(f)
		if flushEvery > 0 && (i+1)%flushEvery == 0 {
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func readBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sinkEvent is one thing a recordingSink saw.
type sinkEvent struct {
	frame string
	link  *feeds.LinkEvent
}

// recordingSink remembers everything it is handed, in order.
type recordingSink struct {
	mu     sync.Mutex
	events []sinkEvent
	notify chan struct{}
}

func newRecordingSink() *recordingSink { return &recordingSink{notify: make(chan struct{}, 1<<16)} }

func (s *recordingSink) HandleFrame(raw []byte) {
	s.mu.Lock()
	s.events = append(s.events, sinkEvent{frame: string(raw)})
	s.mu.Unlock()
	s.notify <- struct{}{}
}

func (s *recordingSink) HandleLink(ev feeds.LinkEvent) {
	s.mu.Lock()
	s.events = append(s.events, sinkEvent{link: &ev})
	s.mu.Unlock()
	s.notify <- struct{}{}
}

func (s *recordingSink) frames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		if e.link == nil {
			out = append(out, e.frame)
		}
	}
	return out
}

func (s *recordingSink) snapshot() []sinkEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkEvent(nil), s.events...)
}

func describe(e sinkEvent) string {
	if e.link != nil {
		return fmt.Sprintf("link up=%v reset=%v end=%v", e.link.Up, e.link.Reset, e.link.End)
	}
	return e.frame
}
