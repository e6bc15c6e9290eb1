package tui

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control/controltest"
)

// waitQueuedCancelWaiters waits until no goroutine is waiting to announce
// a queued cancel (announceQueuedCancel has decided, told or not); the
// deadline is a failure, not a pace.
func waitQueuedCancelWaiters(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if !bytes.Contains(buf[:n], []byte("tui.announceQueuedCancel(")) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a queued cancel's announcer still waits:\n%s", buf[:n])
		}
		runtime.Gosched()
	}
}

// ana is logged in twice (two SSH sessions, one name) and presses c c on
// DR-17 in each while its plan is in flight: the first queues the cancel,
// the second finds it queued. Once it has run, the others are told
// "cancelled" once, by the session whose cancel it was: matched by name,
// both sessions told it, and every other operator read that ana cancelled
// DR-17 twice.
func TestQueuedCancelToldOnceWhenLoggedInTwice(t *testing.T) {
	fx := demo(t)
	var held controltest.HeldForecast
	ctl := newDRController(t, fx, func(o *control.Options) { o.Forecast = held.Forecast })
	ctx := context.Background()
	if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
		t.Fatal(err)
	}
	if err := ctl.Confirm(ctx, "DR-17", control.Actor{Name: "ana", Dispatcher: true, Session: 1}, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	told := make(chan string, 8)
	session := func(id uint64) *Model {
		opts, _ := testOptions(fx, "")
		opts.Dispatch, opts.Session = ctl, id
		opts.Announce = func(a Announcement) { told <- fmt.Sprintf("session %d: %s", id, a.English) }
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "5E")
		return m
	}
	first, second := session(1), session(2)

	held.Arm()
	planned := make(chan error, 1)
	go func() { _, err := ctl.Preview(ctx, "DR-17"); planned <- err }()
	<-held.Entered
	runKeys(first, "cc")
	runKeys(second, "cc")
	if v, _ := ctl.Event("DR-17"); v.CancelQueued == nil || v.CancelQueued.Session != 1 {
		t.Fatalf("queued %+v, want session 1's cancel", v.CancelQueued)
	}
	close(held.Release)
	if err := <-planned; err != nil {
		t.Fatal(err)
	}
	if v, _ := ctl.Event("DR-17"); v.State != control.StateCancelled || v.DecidedBy != "ana" {
		t.Fatalf("after the plan: %s by %q, want cancelled by ana", v.State, v.DecidedBy)
	}
	waitQueuedCancelWaiters(t)
	var cancelled []string
	for more := true; more; {
		select {
		case s := <-told:
			if strings.Contains(s, ": cancelled DR-17") {
				cancelled = append(cancelled, s)
			}
		default:
			more = false
		}
	}
	if len(cancelled) != 1 || !strings.HasPrefix(cancelled[0], "session 1: ") {
		t.Errorf("told %q, want the cancel told once, by session 1", cancelled)
	}
}
