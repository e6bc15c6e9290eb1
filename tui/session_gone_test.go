package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// endingDispatcher is the DR controller of a session that ends around a
// call: before it runs the call (while it runs, for the dashboard) or
// right after the call has returned, before its answer reaches Update.
type endingDispatcher struct {
	Dispatcher
	before, after func()
}

func (d endingDispatcher) Confirm(ctx context.Context, id string, by control.Actor, co control.ConfirmOptions) error {
	d.before()
	defer d.after()
	return d.Dispatcher.Confirm(ctx, id, by, co)
}

func (d endingDispatcher) Cancel(ctx context.Context, id string, by control.Actor, reason string) error {
	d.before()
	defer d.after()
	return d.Dispatcher.Cancel(ctx, id, by, reason)
}

func (d endingDispatcher) Decline(id string, by control.Actor, reason string) error {
	d.before()
	defer d.after()
	return d.Dispatcher.Decline(id, by, reason)
}

// TestCallAnnouncedWhateverTheSession: ana presses enter on DR-17 and her
// ssh dies just after. The controller sends and journals the setpoints;
// the other dispatchers must read that it did so on her behalf. A session
// that ended after Confirm returned, before its answer reached the page,
// was told to nobody: the dashboard announced only when the answer
// reached Update, and serve announced for a session gone only while the
// call ran. The announcement now comes from the call's command, once,
// whenever the session ends; a session that lives to read the answer
// does not announce it a second time, and a refused call is not
// announced. A cancel and a decline are told the same way.
func TestCallAnnouncedWhateverTheSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		active bool   // DR-17 confirmed before the session's keys
		script string // the keys before the one whose call is watched
		key    string // that key
		end    string // when the session ends: "before", "after" the call returns, or "" (never)
		state  control.State
		want   string // the English announced, from its start; "" for none
	}{
		{"confirm, ended after Confirm returned", false, "5E", "E", "after", control.StateActive, "confirmed and sent DR-17 (import cap"},
		{"confirm, ended while Confirm ran", false, "5E", "E", "before", control.StateActive, "confirmed and sent DR-17 (import cap"},
		{"confirm, session open", false, "5E", "E", "", control.StateActive, "confirmed and sent DR-17 (import cap"},
		{"cancel, ended after Cancel returned", true, "5Ec", "c", "after", control.StateCancelled, "cancelled DR-17 (import cap"},
		{"cancel, session open", true, "5Ec", "c", "", control.StateCancelled, "cancelled DR-17 (import cap"},
		{"decline, ended after Decline returned", false, "5E", "c", "after", control.StateDeclined, "declined DR-17 (import cap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := demo(t)
			ctl := newDRController(t, fx, nil)
			if tc.active {
				ctx := context.Background()
				if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
					t.Fatal(err)
				}
				if err := ctl.Confirm(ctx, "DR-17", control.Actor{Name: "ana", Dispatcher: true}, control.ConfirmOptions{Second: true}); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan struct{})
			var calls int
			end := func(when string) func() {
				return func() {
					if when == "before" {
						calls++
					}
					if tc.end == when && !isClosed(done) {
						close(done) // the session ends here
					}
				}
			}
			opts, _ := testOptions(fx, "")
			opts.Dispatch = endingDispatcher{Dispatcher: ctl, before: end("before"), after: end("after")}
			opts.Done = done
			var told []Announcement
			opts.Announce = func(a Announcement) { told = append(told, a) }
			m := newDRModelWith(fx, opts)
			runKeys(m, tc.script)
			if len(told) != 0 || calls != 0 {
				t.Fatalf("before the watched key: %d calls, announced %+v", calls, told)
			}
			// The watched key, its command run as the program would; its
			// answer reaches Update only if the session is still open.
			_, cmd := m.Update(keys(tc.key)[0])
			for cmd != nil {
				msg := cmd()
				if msg == nil || isClosed(done) {
					break
				}
				_, cmd = m.Update(msg)
			}
			if calls != 1 {
				t.Fatalf("the key made %d calls on the controller, want 1", calls)
			}
			if tc.end != "" && !isClosed(done) {
				t.Fatalf("the session did not end %s the call", tc.end)
			}
			if v, _ := ctl.Event("DR-17"); v.State != tc.state {
				t.Fatalf("DR-17 is %s, want %s", v.State, tc.state)
			}
			if len(told) != 1 || !strings.HasPrefix(told[0].English, tc.want) || told[0].Event.ID != "DR-17" {
				t.Errorf("announced %d times (%+v), want once %q…", len(told), told, tc.want)
			}
		})
	}
}

// newDRModelWith is newDRModel with opts.
func newDRModelWith(fx *fixture, opts Options) *Model {
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
