package replay_test

import (
	"bytes"
	"context"
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
	data, lines, members := demoEvening(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := replay.Read(bytes.NewReader(data))
		if err != nil || len(r.Entries) != lines {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(members)*float64(b.N)/sec, "frames/s")
	b.ReportMetric(float64(lines)*float64(b.N)/sec, "lines/s")
}

// BenchmarkOpenDemoEvening measures what a replay waits before it can play
// (replay.Open: the header and the first entry read), against
// BenchmarkReadDemoEvening's whole file; first-frame-ms is per Open, the
// reading of the rest cancelled and waited for outside the timing.
func BenchmarkOpenDemoEvening(b *testing.B) {
	data, _, _ := demoEvening(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var first time.Duration
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		rec, err := replay.OpenReader(ctx, bytes.NewReader(data), int64(len(data)))
		first += time.Since(start)
		if err != nil || rec.Progress().Frames == 0 {
			b.Fatal(err)
		}
		b.StopTimer()
		cancel()
		rec.Wait(context.Background())
		b.StartTimer()
	}
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-frame-ms")
}

// demoEvening records the demo day's evening (18:00-20:00) as the
// simulator sends it and returns the file, its lines and the protocol
// frames inside its batches.
func demoEvening(b *testing.B) (data []byte, lines, members int) {
	b.Helper()
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
	data, err = os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data, len(msgs) + 1, members
}
