package clock

import (
	"context"
	"testing"
	"time"
)

func TestFakeFiresInOrder(t *testing.T) {
	start := time.Date(2024, 2, 4, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	a := f.NewTimer(2 * time.Second)
	b := f.NewTimer(time.Second)
	c := f.NewTimer(5 * time.Second)
	if got := f.Pending(); got != 3 {
		t.Fatalf("pending = %d, want 3", got)
	}
	if !c.Stop() {
		t.Fatal("Stop on a pending timer returned false")
	}
	if d, ok := f.NextDue(); !ok || d != time.Second {
		t.Fatalf("NextDue = %v %v, want 1s true", d, ok)
	}
	f.Advance(2 * time.Second)
	if got := <-b.C(); !got.Equal(start.Add(time.Second)) {
		t.Errorf("b fired at %v", got)
	}
	if got := <-a.C(); !got.Equal(start.Add(2 * time.Second)) {
		t.Errorf("a fired at %v", got)
	}
	if f.Pending() != 0 {
		t.Errorf("pending after advance = %d", f.Pending())
	}
	if !f.Now().Equal(start.Add(2 * time.Second)) {
		t.Errorf("Now = %v", f.Now())
	}
	z := f.NewTimer(0)
	select {
	case <-z.C():
	default:
		t.Error("a zero timer did not fire at once")
	}
}

func TestBlockUntil(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	done := make(chan struct{})
	go func() {
		tm := f.NewTimer(time.Minute)
		<-tm.C()
		close(done)
	}()
	f.BlockUntil(1)
	f.Advance(time.Minute)
	<-done
}

func TestWaitPendingGivesUp(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan bool)
	go func() { res <- f.WaitPending(ctx, 1) }()
	cancel()
	if <-res {
		t.Fatal("WaitPending reported a timer that was never made")
	}
	f.NewTimer(time.Second)
	if !f.WaitPending(context.Background(), 1) {
		t.Fatal("WaitPending missed a pending timer")
	}
}
