package main

import (
	"context"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// blockingDispatcher is a DR controller whose Confirm and Cancel return
// only when the test lets them, with err; Events lists one event.
type blockingDispatcher struct {
	tui.Dispatcher
	release chan struct{}
	err     error
	canSend bool
}

func (d blockingDispatcher) Confirm(context.Context, string, control.Actor, control.ConfirmOptions) error {
	<-d.release
	return d.err
}

func (d blockingDispatcher) Cancel(context.Context, string, control.Actor, string) error {
	<-d.release
	return d.err
}

func (d blockingDispatcher) Events() []control.EventView {
	return []control.EventView{{Event: feeds.EventFrame{ID: "OP-1", Scope: "F10"}}}
}

func (d blockingDispatcher) CanSend() bool { return d.canSend }

type told struct {
	summary string
	say     any
}

// TestSessionDispatchTellsForAGoneSession: ana presses enter on OP-1 and
// her ssh is killed while the confirm runs. The setpoints go out and are
// journalled, but her dashboard is gone and cannot announce it: omar read
// only "ana (dispatcher) left". The confirm (and a cancel) is announced on
// her session's behalf; a session still open announces its own, and a
// refused call nothing.
func TestSessionDispatchTellsForAGoneSession(t *testing.T) {
	for _, tc := range []struct {
		name     string
		call     func(sessionDispatch) error
		gone     bool
		err      error
		wantKind string
	}{
		{"confirm, session gone", confirmOP1, true, nil, tui.TellConfirmed},
		{"cancel, session gone", cancelOP1, true, nil, tui.TellCancelled},
		{"cancel queued, session gone", cancelOP1, true, control.ErrCancelQueued, tui.TellCancelQueued},
		{"confirm, session open", confirmOP1, false, nil, ""},
		{"confirm refused, session gone", confirmOP1, true, control.ErrState, ""},
	} {
		done := make(chan struct{})
		var got []told
		d := sessionDispatch{
			Dispatcher: blockingDispatcher{release: make(chan struct{}), err: tc.err},
			done:       done,
			announce:   func(summary string, say any) { got = append(got, told{summary, say}) },
		}
		result := make(chan error, 1)
		go func() { result <- tc.call(d) }()
		if tc.gone {
			close(done) // the session ends while the call runs
		}
		close(d.Dispatcher.(blockingDispatcher).release)
		if err := <-result; err != tc.err {
			t.Errorf("%s: call returned %v, want %v", tc.name, err, tc.err)
		}
		if tc.wantKind == "" {
			if len(got) != 0 {
				t.Errorf("%s: announced %+v, want nothing", tc.name, got)
			}
			continue
		}
		if len(got) != 1 {
			t.Fatalf("%s: announced %d times, want once", tc.name, len(got))
		}
		a, ok := got[0].say.(tui.Announcement)
		if !ok || a.Kind != tc.wantKind || a.Event.ID != "OP-1" || a.Event.Scope != "F10" {
			t.Errorf("%s: announced %+v, want a %s of OP-1 on F10", tc.name, got[0].say, tc.wantKind)
		}
	}
}

// TestSessionDispatchCanSend: the wrapper says what the controller says
// of sending, so a --feed desk without adapters still plans and previews
// only.
func TestSessionDispatchCanSend(t *testing.T) {
	for _, can := range []bool{true, false} {
		d := sessionDispatch{Dispatcher: blockingDispatcher{canSend: can}}
		if got := d.CanSend(); got != can {
			t.Errorf("CanSend %v, want %v", got, can)
		}
	}
}

func confirmOP1(d sessionDispatch) error {
	return d.Confirm(context.Background(), "OP-1", control.Actor{Name: "ana"}, control.ConfirmOptions{})
}

func cancelOP1(d sessionDispatch) error {
	return d.Cancel(context.Background(), "OP-1", control.Actor{Name: "ana"}, "cancelled")
}
