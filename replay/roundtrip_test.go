package replay_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// tee hands every frame to a recorder and remembers it.
type tee struct {
	rec    *replay.Recorder
	frames [][]byte
}

func (t *tee) HandleFrame(raw []byte) {
	t.frames = append(t.frames, append([]byte(nil), raw...))
	t.rec.HandleFrame(raw)
}
func (t *tee) HandleLink(ev feeds.LinkEvent) { t.rec.HandleLink(ev) }

type collect struct{ frames [][]byte }

func (c *collect) HandleFrame(raw []byte)     { c.frames = append(c.frames, append([]byte(nil), raw...)) }
func (c *collect) HandleLink(feeds.LinkEvent) {}

// runSim runs s to the end of its day with a fake clock.
func runSim(t *testing.T, s *sim.Sim, fake *clock.Fake, sink feeds.Sink) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), sink); stop() }()
	for fake.WaitPending(ctx, 1) {
		d, _ := fake.NextDue()
		fake.Advance(d)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestRecordSimulatorAndReplay records the demo day's last hour from the
// simulator and plays it back: the same frames in the same order.
func TestRecordSimulatorAndReplay(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Unix(0, 0))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(22*time.Hour + 50*time.Minute), Speed: 60, Clock: fake,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.v2grec")
	sent := &tee{rec: replay.NewRecorder(path, replay.RecorderOptions{Source: "in-process simulator"})}
	runSim(t, s, fake, sent)
	if err := sent.rec.Close(); err != nil {
		t.Fatal(err)
	}
	if len(sent.frames) < 70 {
		t.Fatalf("simulator sent only %d messages", len(sent.frames))
	}

	rec, err := replay.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Header.Site != "Demo City" || rec.Header.TimeZone != "Asia/Shanghai" || rec.Header.Topology == nil {
		t.Errorf("header %+v", rec.Header)
	}
	if !rec.Start().Equal(sc.Start().Add(22*time.Hour+50*time.Minute)) || !rec.End().Equal(sc.End()) {
		t.Errorf("recording spans %v..%v", rec.Start(), rec.End())
	}
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Unpaced: true})
	if err != nil {
		t.Fatal(err)
	}
	got := &collect{}
	if err := p.Run(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	if len(got.frames) != len(sent.frames) {
		t.Fatalf("replayed %d frames, recorded %d", len(got.frames), len(sent.frames))
	}
	for i := range got.frames {
		if string(got.frames[i]) != string(sent.frames[i]) {
			t.Fatalf("frame %d differs:\n got %.200s\nwant %.200s", i, got.frames[i], sent.frames[i])
		}
	}

	// and a Fleet fed by the replay accepts every frame
	p2, err := replay.NewPlayer(rec, replay.PlayerOptions{Unpaced: true})
	if err != nil {
		t.Fatal(err)
	}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: p2.Now})
	if err := p2.Run(context.Background(), fleet); err != nil {
		t.Fatal(err)
	}
	snap := fleet.Snapshot()
	if snap.Stats.RejectTotal() != 0 || snap.NumChargers() != len(sc.Chargers()) {
		t.Errorf("fleet: %d rejects %v, %d chargers", snap.Stats.RejectTotal(), snap.Stats.Rejects, snap.NumChargers())
	}
}
