package feeds

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestHubManyConsumersOneStuck(t *testing.T) {
	clk := &fakeClock{t: t0}
	fl := NewFleet(FleetOptions{Clock: clk.Now})
	fl.HandleFrame([]byte(helloJSON))
	hub := NewHub(fl, time.Hour) // published by hand below

	stuck, unsubStuck := hub.Subscribe()
	defer unsubStuck()
	const consumers, publishes = 20, 200
	var wg sync.WaitGroup
	final := make(chan uint64, 1)
	for range consumers {
		ch, unsub := hub.Subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer unsub()
			target := uint64(0)
			var last uint64
			for {
				select {
				case seq := <-final:
					final <- seq // pass it on to the next consumer
					target = seq
				case s := <-ch:
					if s.Seq < last {
						t.Errorf("snapshots out of order: %d after %d", s.Seq, last)
					}
					last = s.Seq
					_ = s.System.KW // read it while ingest goes on
				}
				if target != 0 && last == target {
					return
				}
			}
		}()
	}
	var lastSeq uint64
	for i := range publishes {
		kw := float64(i)
		fl.HandleFrame([]byte(with(feederJSON, "kw", jsonNum(kw))))
		hub.Publish()
		lastSeq = fl.Snapshot().Seq
	}
	final <- lastSeq
	wg.Wait()

	if d := hub.Drops(stuck); d != publishes-1 {
		t.Errorf("stuck consumer drops = %d, want %d", d, publishes-1)
	}
	if s := <-stuck; s.Seq != lastSeq {
		t.Errorf("stuck consumer holds seq %d, want the latest %d", s.Seq, lastSeq)
	}
	if n := hub.Consumers(); n != 1 {
		t.Errorf("consumers = %d after unsubscribing, want 1", n)
	}
}

func jsonNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestHubPublishesOnlyChanges(t *testing.T) {
	clk := &fakeClock{t: t0}
	fl := NewFleet(FleetOptions{Clock: clk.Now})
	hub := NewHub(fl, 0)
	if hub.every != DefaultHubEvery {
		t.Errorf("default every = %v", hub.every)
	}
	ch, unsub := hub.Subscribe()
	defer unsub()
	hub.Publish()
	first := <-ch
	hub.Publish() // nothing changed: nothing sent
	select {
	case s := <-ch:
		t.Fatalf("unchanged fleet published seq %d", s.Seq)
	default:
	}
	fl.HandleFrame([]byte(helloJSON))
	hub.Publish()
	if s := <-ch; s.Seq != first.Seq+1 || !s.HaveTopology {
		t.Errorf("after hello got seq %d topology %v", s.Seq, s.HaveTopology)
	}
	// a late subscriber starts with the latest snapshot
	late, unsubLate := hub.Subscribe()
	defer unsubLate()
	if s := <-late; !s.HaveTopology {
		t.Error("late subscriber not primed with the latest snapshot")
	}
}

func TestHubRunClosesChannels(t *testing.T) {
	fl := NewFleet(FleetOptions{})
	hub := NewHub(fl, time.Millisecond)
	ch, unsub := hub.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx) }()
	if s := <-ch; s == nil {
		t.Fatal("Run did not publish at start")
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v", err)
	}
	for range ch { // drains and ends: the channel is closed
	}
	unsub() // after close: must not panic
	if c, _ := hub.Subscribe(); c == nil {
		t.Error("Subscribe after Run returned nil")
	} else if _, open := <-c; open {
		t.Error("Subscribe after Run returned an open channel")
	}
}

// TestHubRunUnderIngest runs the real ticker loop while frames arrive, with
// consumers reading and one never reading; with -race it checks the fan-out.
func TestHubRunUnderIngest(t *testing.T) {
	fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
	fl.HandleFrame([]byte(helloJSON))
	hub := NewHub(fl, time.Millisecond)
	stuck, _ := hub.Subscribe()
	var wg sync.WaitGroup
	got := make([]int, 8)
	for c := range got {
		ch, _ := hub.Subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range ch { // ends when Run closes the channel
				_ = s.System.KW
				got[c]++
			}
		}()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- hub.Run(ctx) }()
	for i := range 3000 {
		fl.HandleFrame([]byte(with(feederJSON, "kw", jsonNum(float64(i)))))
	}
	cancel()
	<-done
	wg.Wait()
	for c, n := range got {
		if n == 0 {
			t.Errorf("consumer %d got no snapshot", c)
		}
	}
	if _, open := <-stuck; open {
		// the stuck consumer's slot still holds the latest; the next receive sees the close
		if _, open := <-stuck; open {
			t.Error("stuck consumer's channel not closed")
		}
	}
}
