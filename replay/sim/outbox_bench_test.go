package sim

import (
	"testing"
	"time"
)

// BenchmarkConflate100k measures what the Server does for a client that is
// behind, per full state of 100,000 chargers (17 MB, a quarter-hour
// refresh; a quiet step is a quarter of it): each batch split into its
// frames and taken into the set (put), and the set sealed into batches
// once the client has taken its queue.
func BenchmarkConflate100k(b *testing.B) {
	sc := bigScenario(b, 100_000)
	s, err := New(sc, Options{Start: sc.Start().Add(19 * time.Hour), Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	state := s.StateFrames()
	var n int
	for _, m := range state {
		n += len(m)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet, QueueLen: 1})
	o := newOutbox(srv.limits, &srv.counts)
	o.put([]byte(`{"v":1,"type":"ack","id":"x","status":"accepted","applied_kw":0}`)) // the client is behind from here
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.Run("put", func(b *testing.B) {
		for b.Loop() {
			for _, m := range state {
				o.put(m)
			}
		}
	})
	b.Run("seal", func(b *testing.B) {
		for b.Loop() {
			for _, m := range state {
				o.put(m)
			}
			o.mu.Lock()
			o.sealLocked()
			o.msgs, o.bytes = o.msgs[:1], 0
			o.mu.Unlock()
		}
	})
}
