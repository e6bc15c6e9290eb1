package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control/controltest"
)

// A cancel of DR-17 is queued behind its plan in flight by ana's first
// session; then ana's second session (logged in twice), omar, and ana's
// first session again press c c. The journal holds one request, ana's
// first: the others are told of it once ("asked to cancel … queued"),
// not once per press, and each later presser is told whose request it is
// instead. Once it has run, "cancelled" is told once, by the session
// whose request it was (the same session pressing again started a second
// waiter that told it again).
func TestCancelAlreadyQueuedIsNotAnnouncedAgain(t *testing.T) {
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
	told := make(chan string, 16)
	session := func(name string, id uint64, lang string) *Model {
		opts, _ := testOptions(fx, lang)
		opts.Dispatch, opts.Session, opts.Operator = ctl, id, name
		opts.Announce = func(a Announcement) { told <- fmt.Sprintf("%s/%d %s: %s", name, id, a.Kind, a.English) }
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "5E")
		return m
	}
	ana1, ana2, omar, omarZh := session("ana", 1, ""), session("ana", 2, ""), session("omar", 3, ""), session("omar", 4, "zh-CN")

	held.Arm()
	planned := make(chan error, 1)
	go func() { _, err := ctl.Preview(ctx, "DR-17"); planned <- err }()
	<-held.Entered
	runKeys(ana1, "cc")
	for _, tc := range []struct {
		name string
		m    *Model
		want string
	}{
		{"ana's other session", ana2, "your other session already asked to cancel DR-17 at "},
		{"omar", omar, "ana already asked to cancel DR-17 at "},
		{"omar in zh-CN", omarZh, "ana 已于 "},
		{"ana's first session again", ana1, "you already asked to cancel DR-17 at "},
	} {
		runKeys(tc.m, "cc")
		if !strings.Contains(tc.m.flash, tc.want) || !strings.Contains(tc.m.flash, "DR-17") {
			t.Errorf("%s pressed c c with ana's cancel queued: footer %q, want %q", tc.name, tc.m.flash, tc.want)
		}
	}
	if v, _ := ctl.Event("DR-17"); v.CancelQueued == nil || v.CancelQueued.By != "ana" || v.CancelQueued.Session != 1 {
		t.Fatalf("queued %+v, want ana's first session's cancel", v.CancelQueued)
	}
	close(held.Release)
	if err := <-planned; err != nil {
		t.Fatal(err)
	}
	if v, _ := ctl.Event("DR-17"); v.State != control.StateCancelled || v.DecidedBy != "ana" || v.DecidedSession != 1 {
		t.Fatalf("after the plan: %s by %q (session %d), want cancelled by ana's first session", v.State, v.DecidedBy, v.DecidedSession)
	}
	waitQueuedCancelWaiters(t)
	var all []string
	for more := true; more; {
		select {
		case s := <-told:
			all = append(all, s)
		default:
			more = false
		}
	}
	want := []string{
		"ana/1 " + TellCancelQueued + ": asked to cancel DR-17",
		"ana/1 " + TellCancelled + ": cancelled DR-17",
	}
	ok := len(all) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(all[i], want[i])
	}
	if !ok {
		t.Errorf("announced:\n%s\nwant ana's first session's request and its cancel, once each:\n%s", strings.Join(all, "\n"), strings.Join(want, "\n"))
	}
}

// A page that already shows the cancel queued (◐ CANCEL QUEUED) answered
// the first c with "c again to cancel DR-17 and release its chargers",
// and told whose request it was only at the second: the first c says it.
func TestFirstCOnAQueuedCancelSaysWhoseItIs(t *testing.T) {
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
	session := func(name string, id uint64) *Model {
		opts, _ := testOptions(fx, "")
		opts.Dispatch, opts.Session, opts.Operator = ctl, id, name
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "5E")
		return m
	}
	ana, omar := session("ana", 1), session("omar", 2)
	held.Arm()
	planned := make(chan error, 1)
	go func() { _, err := ctl.Preview(ctx, "DR-17"); planned <- err }()
	<-held.Entered
	runKeys(ana, "cc")
	omar.refreshDispatch() // its page now shows the cancel queued
	if v, _ := omar.drEvent("DR-17"); v.CancelQueued == nil {
		t.Fatalf("omar's view of DR-17 has no queued cancel: %+v", v)
	}
	runKeys(omar, "c")
	if want := "ana already asked to cancel DR-17 at "; !strings.Contains(omar.flash, want) || omar.cancelArmed != "" {
		t.Errorf("omar's first c on DR-17 with ana's cancel queued: footer %q (armed %q), want %q and nothing armed", omar.flash, omar.cancelArmed, want)
	}
	close(held.Release)
	if err := <-planned; err != nil {
		t.Fatal(err)
	}
	waitQueuedCancelWaiters(t)
}
