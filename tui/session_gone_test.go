package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// endingDispatcher is the DR controller of a session that ends around a
// call: before it runs the call (while it runs, for the dashboard) or
// right after the call has returned, before its answer reaches Update.
type endingDispatcher struct {
	Dispatcher
	before, after func()
	// refuse, when set, is the controller's answer to a proposal or an
	// extension, which it then does not do; refuseDecline to a decline.
	refuse, refuseDecline error
}

func (d endingDispatcher) Propose(ev feeds.EventFrame, origin control.Origin, by control.Actor) (string, error) {
	d.before()
	defer d.after()
	if d.refuse != nil {
		return "", d.refuse
	}
	return d.Dispatcher.Propose(ev, origin, by)
}

func (d endingDispatcher) Extend(id string, by control.Actor, dur time.Duration, reason string) (time.Time, error) {
	d.before()
	defer d.after()
	if d.refuse != nil {
		return time.Time{}, d.refuse
	}
	return d.Dispatcher.Extend(id, by, dur, reason)
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
	if d.refuseDecline != nil {
		return d.refuseDecline
	}
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
// announced. A cancel, a decline, a proposal and a replacement (the new
// event proposed, then the old one declined: two calls, the session ended
// after the first) are told the same way; a proposal the controller
// refuses is told to nobody.
func TestCallAnnouncedWhateverTheSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		active bool   // DR-17 confirmed before the session's keys
		script string // the keys before the one whose call is watched
		key    string // that key
		end    string // when the session ends: "before", "after" the call returns, or "" (never)
		state  control.State
		want   string // the English announced, from its start; "" for none
		calls  int    // calls the key makes on the controller; 0 for 1
		refuse error
		// declineRefused: the replaced event's decline is refused, and
		// the new event is announced only as proposed.
		declineRefused bool
	}{
		{"propose, ended after Propose returned", false, "1n", "E", "after", control.StatePending, "proposed OP-1 (import cap", 0, nil, false},
		{"propose, session open", false, "1n", "E", "", control.StatePending, "proposed OP-1 (import cap", 0, nil, false},
		{"propose refused", false, "1n", "E", "", control.StatePending, "", 0, control.ErrInvalidEvent, false},
		{"replace, ended after Propose returned", false, "5Ee", "E", "after", control.StateDeclined, "proposed OP-1 (import cap", 2, nil, false},
		{"replace, session open", false, "5Ee", "E", "", control.StateDeclined, "proposed OP-1 (import cap", 2, nil, false},
		{"replace, the decline refused", false, "5Ee", "E", "after", control.StatePending, "proposed OP-1 (import cap", 2, nil, true},
		{"confirm, ended after Confirm returned", false, "5E", "E", "after", control.StateActive, "confirmed and sent DR-17 (import cap", 0, nil, false},
		{"confirm, ended while Confirm ran", false, "5E", "E", "before", control.StateActive, "confirmed and sent DR-17 (import cap", 0, nil, false},
		{"confirm, session open", false, "5E", "E", "", control.StateActive, "confirmed and sent DR-17 (import cap", 0, nil, false},
		{"cancel, ended after Cancel returned", true, "5Ec", "c", "after", control.StateCancelled, "cancelled DR-17 (import cap", 0, nil, false},
		{"cancel, session open", true, "5Ec", "c", "", control.StateCancelled, "cancelled DR-17 (import cap", 0, nil, false},
		{"decline, ended after Decline returned", false, "5E", "c", "after", control.StateDeclined, "declined DR-17 (import cap", 0, nil, false},
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
			ed := endingDispatcher{Dispatcher: ctl, before: end("before"), after: end("after"), refuse: tc.refuse}
			if tc.declineRefused {
				ed.refuseDecline = fmt.Errorf("decline %q: %w", "DR-17", control.ErrState)
			}
			opts.Dispatch = ed
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
			if want := max(1, tc.calls); calls != want {
				t.Fatalf("the key made %d calls on the controller, want %d", calls, want)
			}
			if tc.end != "" && !isClosed(done) {
				t.Fatalf("the session did not end %s the call", tc.end)
			}
			if v, _ := ctl.Event("DR-17"); v.State != tc.state {
				t.Fatalf("DR-17 is %s, want %s", v.State, tc.state)
			}
			if tc.want == "" {
				if len(told) != 0 {
					t.Errorf("announced %+v, want nothing: the controller refused", told)
				}
				return
			}
			id := "DR-17"
			if strings.HasPrefix(tc.want, "proposed ") {
				id = "OP-1"
			}
			if len(told) != 1 || !strings.HasPrefix(told[0].English, tc.want) || told[0].Event.ID != id {
				t.Errorf("announced %d times (%+v), want once %q…", len(told), told, tc.want)
			}
			if len(told) == 0 {
				return
			}
			if replaced := strings.HasSuffix(told[0].English, " in place of DR-17"); tc.calls == 2 && replaced == tc.declineRefused {
				t.Errorf("the replacement announced as %q, want it to name DR-17 only once DR-17 is declined", told[0].English)
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

// TestExtendAnnouncedWhateverTheSession: an extension is told from its
// command as soon as the controller has moved the release, as a confirm
// is: a session ended after Extend returned told nobody that the
// hand-back's chargers would be released hours later on its operator's
// behalf. A refused extension is told to nobody.
func TestExtendAnnouncedWhateverTheSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		end    string // "after" Extend returns, or "" (never)
		refuse error
		want   string
	}{
		{"ended after Extend returned", "after", nil, "extended DR-17's hand-back: chargers will be released at 23:00 at the latest"},
		{"session open", "", nil, "extended DR-17's hand-back: chargers will be released at 23:00 at the latest"},
		{"refused", "", fmt.Errorf("extend %q: %w", "DR-17", control.ErrNotHandingBack), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, d, told := newHandBackDesk(t, "zh-CN", RoleDispatcher, 160, 45, false)
			done := make(chan struct{})
			end := func() {
				if tc.end == "after" && !isClosed(done) {
					close(done)
				}
			}
			m.opts.Dispatch = endingDispatcher{Dispatcher: d, before: func() {}, after: end, refuse: tc.refuse}
			m.opts.Done = done
			runKeys(m, "5E")
			_, cmd := m.Update(keys("x")[0])
			for cmd != nil {
				msg := cmd()
				if msg == nil || isClosed(done) {
					break
				}
				_, cmd = m.Update(msg)
			}
			if tc.end != "" && !isClosed(done) {
				t.Fatal("the session did not end after the call")
			}
			if tc.want == "" {
				if len(*told) != 0 {
					t.Errorf("announced %+v, want nothing: the controller refused", *told)
				}
				return
			}
			// In English whatever the actor's language (the journal's
			// summary); each reader words it from its figures.
			if len(*told) != 1 || (*told)[0].Kind != TellExtended || (*told)[0].English != tc.want || (*told)[0].Release.IsZero() {
				t.Errorf("announced %+v, want once %q with the release", *told, tc.want)
			}
		})
	}
}

// queueingDesk is the hand-back desk whose DR-17 has a plan in flight: a
// cancel is queued (ErrCancelQueued), and runs when the test says
// (run), as the controller runs it once the plan is sent.
type queueingDesk struct{ *handBackDesk }

func (d queueingDesk) Cancel(_ context.Context, id string, by control.Actor, reason string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.view.CancelQueued = &control.QueuedCancel{By: by.Name, Session: by.Session, Reason: reason}
	return fmt.Errorf("cancel %q: %w", id, control.ErrCancelQueued)
}

// run ends DR-17 as f says and tells whoever waits on Changes.
func (d queueingDesk) run(f func(v *control.EventView)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&d.view)
	d.view.CancelQueued = nil
	close(d.changed)
	d.changed = make(chan struct{})
}

// TestQueuedCancelAnnouncedWhateverTheSession: ana cancels DR-17 while its
// plan is being sent; the cancel is queued, and her ssh dies before the
// plan is sent and the cancel runs. The others were told she asked, and
// never that the chargers were then released on her behalf: the
// "cancelled" was told from her page, which was gone. It is now told once
// the cancel has run, whatever the session; once, not again by a page
// that lives to see it.
func TestQueuedCancelAnnouncedWhateverTheSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  bool // the session ends once Cancel has returned
	}{
		{"ended after the cancel was queued", true},
		{"session open", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, hd, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
			d := queueingDesk{hd}
			told := make(chan Announcement, 4)
			m.opts.Dispatch, m.opts.Announce = d, func(a Announcement) { told <- a }
			runKeys(m, "5Ec") // asks "c again"
			_, cmd := m.Update(keys("c")[0])
			msg := cmd()
			if !tc.end {
				_, _ = m.Update(msg)
			}
			if a := <-told; a.Kind != TellCancelQueued {
				t.Fatalf("first told %+v, want the queued cancel", a)
			}
			d.run(func(v *control.EventView) { v.State, v.DecidedBy = control.StateCancelled, "ana" })
			if !tc.end {
				// The page sees the cancel run, as the program's wait
				// on Changes would tell it.
				m.Update(drChangedMsg{})
				if !strings.Contains(m.flash, "cancelled DR-17") {
					t.Errorf("ana's page after the cancel ran: %q", m.flash)
				}
			}
			select {
			case a := <-told:
				if a.Kind != TellCancelled || !strings.HasPrefix(a.English, "cancelled DR-17 (") {
					t.Errorf("told %+v, want DR-17 cancelled", a)
				}
			case <-time.After(10 * time.Second): // a deadline, not a pace: failing
				t.Fatal("the queued cancel that ran was never announced")
			}
			select {
			case a := <-told:
				t.Errorf("told again: %+v", a)
			default:
			}
		})
	}
}

// A queued cancel overtaken (the event ended by its window first) or run
// as another dispatcher's (whose request came first) is not told as this
// operator's.
func TestQueuedCancelNotAnnouncedAsAnothers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		state control.State
		by    string
	}{
		{"ended by its window", control.StateEnded, ""},
		{"omar's cancel", control.StateCancelled, "omar"},
		{"ana's cancel", control.StateCancelled, "ana"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, hd, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
			d := queueingDesk{hd}
			d.run(func(v *control.EventView) { v.State, v.DecidedBy = tc.state, tc.by })
			var told []Announcement
			tell := Announcement{Kind: TellCancelled, English: "cancelled DR-17"}
			announceQueuedCancel(d, "DR-17", control.Actor{Name: "ana", Dispatcher: true}, tell, func(a Announcement) { told = append(told, a) })
			if mine := tc.by == "ana"; mine != (len(told) == 1) || len(told) > 1 {
				t.Errorf("told %+v; want the cancel told only when ana's", told)
			}
		})
	}
}
