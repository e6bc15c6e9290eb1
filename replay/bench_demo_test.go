package replay_test

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// BenchmarkReadDemoEvening reads a recording of the demo day's evening
// (18:00-20:00) as the simulator sends it: one batch per simulated minute.
// frames/s counts the protocol frames inside the batches.
func BenchmarkReadDemoEvening(b *testing.B) {
	sc, err := demo.Scenario()
	if err != nil {
		b.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18 * time.Hour), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "evening.v2grec")
	rec := replay.NewRecorder(path, replay.RecorderOptions{})
	rec.HandleFrame(s.Hello())
	msgs := append(s.StateFrames(), s.Step(2*time.Hour)...)
	members := 0
	for i, m := range msgs {
		rec.HandleFrame(m)
		members += bytes.Count(m, []byte(`{"v":1,"type":`)) - 1
		if i%60 == 0 {
			rec.Flush()
		}
	}
	if err := rec.Close(); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := replay.Read(bytes.NewReader(data))
		if err != nil || len(r.Entries) != len(msgs)+1 {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(members)*float64(b.N)/sec, "frames/s")
	b.ReportMetric(float64(len(msgs)+1)*float64(b.N)/sec, "lines/s")
}
