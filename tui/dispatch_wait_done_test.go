package tui

import (
	"testing"
	"testing/synctest"

	tea "github.com/charmbracelet/bubbletea"
)

// quietDispatcher is a Dispatcher whose events never change; only Changes
// is called.
type quietDispatcher struct {
	Dispatcher
	changed chan struct{}
}

func (d quietDispatcher) Changes() <-chan struct{} { return d.changed }

// A session's wait for the Dispatcher's next change ends with the session:
// on a desk where no DR event changed, every SSH session closed kept a
// goroutine, and with it its program and model, until the next change (a
// soak's SIGQUIT dump found them after the scenario's last event ended).
func TestDispatchWaitEndsWithTheSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := quietDispatcher{changed: make(chan struct{})}
		done := make(chan struct{})
		m := &Model{opts: Options{Dispatch: d, Done: done}}
		cmd := m.waitDispatch()
		answer := make(chan tea.Msg, 1)
		go func() { answer <- cmd() }()
		close(done)
		synctest.Wait()
		select {
		case msg := <-answer:
			if msg != nil {
				t.Errorf("after the session ended the wait answered %T, want nothing", msg)
			}
		default:
			t.Error("the session ended and its wait for the Dispatcher's next change goes on")
			close(d.changed) // let it go, so the bubble can end
		}
	})
}

// While the session lasts, a change of the Dispatcher's events is still
// answered.
func TestDispatchWaitAnswersAChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := quietDispatcher{changed: make(chan struct{})}
		m := &Model{opts: Options{Dispatch: d, Done: make(chan struct{})}}
		cmd := m.waitDispatch()
		answer := make(chan tea.Msg, 1)
		go func() { answer <- cmd() }()
		close(d.changed)
		synctest.Wait()
		select {
		case msg := <-answer:
			if _, ok := msg.(drChangedMsg); !ok {
				t.Errorf("a change was answered %T, want drChangedMsg", msg)
			}
		default:
			t.Error("a change of the Dispatcher's events was not answered")
		}
	})
}
