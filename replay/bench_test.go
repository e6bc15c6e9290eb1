package replay

import (
	"bytes"
	"context"
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// BenchmarkRead measures reading a recording: gunzip, line split, envelope
// parse and frame validation, plus the seek index.
func BenchmarkRead(b *testing.B) {
	frames := testFrames(b, 5000)
	data := readBytes(b, record(b, frames, 500))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec, err := Read(bytes.NewReader(data))
		if err != nil || len(rec.Entries) != len(frames) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(frames))*float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

type nopSink struct{ n int }

func (s *nopSink) HandleFrame(raw []byte)     { s.n++ }
func (s *nopSink) HandleLink(feeds.LinkEvent) {}

// BenchmarkPlayUnpaced measures the player delivering frames to a sink that
// does nothing.
func BenchmarkPlayUnpaced(b *testing.B) {
	frames := testFrames(b, 5000)
	rec, err := Read(bytes.NewReader(readBytes(b, record(b, frames, 0))))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, _ := NewPlayer(rec, PlayerOptions{Unpaced: true})
		s := &nopSink{}
		if err := p.Run(context.Background(), s); err != nil || s.n != len(frames) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(frames))*float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}
