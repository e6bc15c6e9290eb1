package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Dispatcher is the demand-response workflow the dashboard drives:
// *control.Controller, shared by every session of a process. The Model
// calls it only in tea.Cmds (planning takes a solve) and reads Events on
// its ticks and whenever Changes fires.
type Dispatcher interface {
	Events() []control.EventView
	Changes() <-chan struct{}
	Propose(ev feeds.EventFrame, origin control.Origin, by control.Actor) (string, error)
	Preview(ctx context.Context, id string) (*plan.Preview, error)
	Confirm(ctx context.Context, id string, by control.Actor, co control.ConfirmOptions) error
	Decline(id string, by control.Actor, reason string) error
	Cancel(ctx context.Context, id string, by control.Actor, reason string) error
	Suggest(ctx context.Context, feeder string) (*control.Suggestion, error)
	// Extend keeps a hand-back going for d longer (its default length
	// when d is 0) and returns the new release time.
	Extend(id string, by control.Actor, d time.Duration, reason string) (time.Time, error)
}

// SendReporter is the optional capability of a Dispatcher to say whether
// it can send setpoints at all; *control.Controller has it (false without
// a Sender: a replay plans and previews, Confirm fails). A Dispatcher
// without it is taken to send.
type SendReporter interface {
	CanSend() bool
}

// canSend reports whether the desk's Dispatcher can send setpoints.
func (m *Model) canSend() bool {
	s, ok := m.opts.Dispatch.(SendReporter)
	return !ok || s.CanSend()
}

// dispatchTimeout bounds one call on the Dispatcher from the dashboard.
const dispatchTimeout = time.Minute

// drChangedMsg says the Dispatcher's events changed.
type drChangedMsg struct{}

// drDoneMsg is the outcome of a call on the Dispatcher.
type drDoneMsg struct {
	text string
	err  error
	// open, when set, is the event whose dispatch page to show, and
	// preview whether to plan it at once.
	open    string
	preview bool
	// armed is set when a large dispatch waits for its second confirmation.
	armed string
	// queued is the event whose cancel was queued behind its plan in
	// flight.
	queued string
	// stale: the confirm was refused because a new slot began since the
	// preview; the plan made for it says so, not just "planned".
	stale bool
}

// suggestMsg is a triage suggestion, computed for one feeder.
type suggestMsg struct {
	feeder string
	at     time.Time // fleet time it was planned at
	s      *control.Suggestion
	err    error
}

// suggestion is the cached suggestion for one feeder.
type suggestion struct {
	at  time.Time
	s   *control.Suggestion
	err error
	// was is the suggestion s replaced when that offered a different cap,
	// changed the wall time it was replaced (keepSuggestion).
	was     *control.Suggestion
	changed time.Time
}

// announcer returns what a command calls, on its own goroutine, to tell
// the other operators what its call on the Dispatcher did, as soon as the
// call has done it. Told only once the answer reached Update, a confirm
// whose session ended in between (the operator's ssh killed just after
// enter, the setpoints sent and journalled) was told to nobody: the other
// dispatchers read "ana (dispatcher) left" and not that OP-1 went out on
// her behalf. The announcement must be worded already (worded).
func (m *Model) announcer() func(Announcement) {
	if f := m.opts.Announce; f != nil {
		return f
	}
	return func(Announcement) {}
}

// worded is a with its English (Announcement.English) made now, on the
// model's goroutine, for a command to announce from its own (announcer):
// the wording reads the model, which only Update may.
func (m *Model) worded(a Announcement) Announcement {
	a.English = m.inEnglish(a)
	return a
}

// idLater stands for the id of an event not yet proposed in the English
// that wordedFor makes: no wording of an event contains it.
const idLater = "\x00id\x00"

// wordedFor is worded for an announcement about an event the controller
// has yet to name (a proposal: "OP-7" comes back from Propose, on the
// command's goroutine). It returns a with that id and its English.
func (m *Model) wordedFor(a Announcement) func(id string) Announcement {
	a.Event.ID = idLater
	english := m.inEnglish(a)
	return func(id string) Announcement {
		a.Event.ID = id
		a.English = strings.ReplaceAll(english, idLater, id)
		return a
	}
}

// queuedCancelWait bounds how long a cancel queued behind a plan in
// flight is waited for, to announce it (announceQueuedCancel): longer
// than any send, whose batches each have a deadline.
const queuedCancelWait = 2 * dispatchTimeout

// announceQueuedCancel waits, on its own goroutine, for the cancel of
// event id that by queued behind the plan in flight to run, and then
// tells the other operators that by cancelled it (tell). Told from the
// session's page when that saw the cancel run, nobody heard of it when the
// session had ended meanwhile (ssh killed after the c that queued it),
// though the chargers were released on its operator's behalf. The event
// ended otherwise (its window over, the source gone), or cancelled by
// another dispatcher whose request came first, is not this operator's
// cancel, and is not told as theirs; nor is one asked first by another
// session of the same operator (logged in twice): matched by name alone,
// both sessions told the others "cancelled".
func announceQueuedCancel(d Dispatcher, id string, by control.Actor, tell Announcement, announce func(Announcement)) {
	deadline := time.NewTimer(queuedCancelWait)
	defer deadline.Stop()
	for {
		ch := d.Changes()
		for _, v := range d.Events() {
			if v.Event.ID != id || !v.State.Final() {
				continue
			}
			if v.State == control.StateCancelled && v.DecidedBy == by.Name && v.DecidedSession == by.Session {
				announce(tell)
			}
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			return
		}
	}
}

// actor is who is at the desk, for the Dispatcher.
func (m *Model) actor() control.Actor {
	return control.Actor{Name: m.operator(), Dispatcher: m.canAct(), Session: m.opts.Session}
}

// waitDispatch waits for the next change of the Dispatcher's events, or
// for the session's end (Options.Done), after which nobody reads the answer.
func (m *Model) waitDispatch() tea.Cmd {
	d := m.opts.Dispatch
	if d == nil {
		return nil
	}
	ch, done := d.Changes(), m.opts.Done
	return func() tea.Msg {
		select {
		case <-ch:
			return drChangedMsg{}
		case <-done:
			return nil
		}
	}
}

// refreshDispatch copies the Dispatcher's events for the views.
func (m *Model) refreshDispatch() {
	if m.opts.Dispatch == nil {
		return
	}
	prev := m.dr
	m.dr = m.opts.Dispatch.Events()
	m.dropDecidedQuestions()
	wasOpen := make(map[string]bool, len(prev))
	for _, v := range prev {
		wasOpen[v.Event.ID] = !v.State.Final()
	}
	told := false
	for _, v := range m.dr {
		// Ended at the source's end while this session watched; one seen
		// first after the end (a session that joined later) is not news.
		if v.State.Final() && v.EndWhy.Kind == control.WhySourceEnded && wasOpen[v.Event.ID] && !m.srcEnded[v.Event.ID] {
			if m.srcEnded == nil {
				m.srcEnded = map[string]bool{}
			}
			m.srcEnded[v.Event.ID] = true
			told = true
		}
	}
	if a, ok := m.sourceEndAnnouncement(); ok && told {
		// The header says the source ended; this says what became of
		// the events that were in force or waiting, which nobody ended
		// by hand.
		m.setFlash(m.tell(a), false)
		return
	}
	if m.notePassEnded(wasOpen) {
		return
	}
	m.dropPassedReleaseNotice()
	if a, ok := m.releaseDueAnnouncement(); ok {
		m.setNotice(m.tell(a))
		m.releaseShown = releaseNotice{event: a.Event.ID, at: a.Release, text: m.flash}
	}
	m.queuedCancelsDone()
}

// queuedCancelsDone tells the operator of each cancel they queued behind a plan in flight that the controller has now run
// ("cancelled OP-1", as an immediate cancel says); a plan that ended the
// event first (its window, the source) leaves the page to say so.
func (m *Model) queuedCancelsDone() {
	for _, v := range m.dr {
		if !m.cancelQueued[v.Event.ID] || !v.State.Final() {
			continue
		}
		delete(m.cancelQueued, v.Event.ID)
		if v.State == control.StateCancelled {
			// The others are told by the command that queued it
			// (announceQueuedCancel), whether or not this session lives
			// to see it run.
			m.setFlash(m.tr.t("cancelled")+" "+v.Event.ID, false)
		}
	}
}

// releaseDueAnnouncement is the controller's notice of a forced release
// this session has not told its operator of yet: one per event and
// release time (an extension moves it, and its notice is news again). A
// session that joins during the lead time is told too: the release is
// still to come.
func (m *Model) releaseDueAnnouncement() (Announcement, bool) {
	var a Announcement
	if m.snap == nil {
		// Not yet: its times are worded in the site's zone, and the time
		// left by the fleet's clock, which the first snapshot brings.
		return a, false
	}
	for _, v := range m.dr {
		if v.State != control.StateActive || v.ReleaseNoticeSince.IsZero() || m.releaseTold[v.Event.ID].Equal(v.ReleaseAt) {
			continue
		}
		if m.releaseTold == nil {
			m.releaseTold = map[string]time.Time{}
		}
		m.releaseTold[v.Event.ID] = v.ReleaseAt
		if a.Kind == "" { // two at once: the first; the pages say both
			a = Announcement{Kind: TellReleaseDue, Event: v.Event, Release: v.ReleaseAt, HandBack: v.HandBack}
		}
	}
	return a, a.Kind != ""
}

// sourceEndAnnouncement is what the controller did at the source's end,
// as far as this session saw it: the events it ended then, in the events'
// order, and why.
func (m *Model) sourceEndAnnouncement() (Announcement, bool) {
	var a Announcement
	for _, v := range m.dr {
		if !m.srcEnded[v.Event.ID] {
			continue
		}
		if a.Kind == "" {
			a = Announcement{Kind: TellSourceEnded, Event: v.Event, Why: v.EndWhy}
			continue
		}
		a.Others = append(a.Others, v.Event.ID)
	}
	return a, a.Kind != ""
}

// drEvent returns the view of one event.
func (m *Model) drEvent(id string) (control.EventView, bool) {
	for _, v := range m.dr {
		if v.Event.ID == id {
			return v, true
		}
	}
	return control.EventView{}, false
}

// eventInForce returns the DR event active on scope (handing back
// included), which a new event on the same scope would conflict with.
func (m *Model) eventInForce(scope string) (control.EventView, bool) {
	for _, v := range m.dr {
		if v.State == control.StateActive && v.Event.Scope == scope {
			return v, true
		}
	}
	return control.EventView{}, false
}

// dispatchMsg handles the Dispatcher's messages; it reports whether msg was
// one of them.
func (m *Model) dispatchMsg(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case drChangedMsg:
		m.refreshDispatch()
		return true, m.waitDispatch()
	case drDoneMsg:
		m.refreshDispatch()
		if msg.armed != "" {
			m.armed = msg.armed
		}
		if msg.queued != "" {
			if m.cancelQueued == nil {
				m.cancelQueued = map[string]bool{}
			}
			m.cancelQueued[msg.queued] = true
			// It may have run already, before this message came.
			defer m.queuedCancelsDone()
		}
		if msg.err != nil {
			m.setFlash(m.refusalText(msg.err), true)
		} else if msg.text != "" {
			m.setFlash(msg.text, false)
		}
		if msg.open != "" {
			m.openDispatch(msg.open)
			if msg.stale {
				return true, m.previewCmdSaying(msg.open, m.tr.t("not sent: a new slot began since that preview; planned again for this one: read it, enter confirms"))
			}
			if msg.preview {
				return true, m.previewCmd(msg.open)
			}
		}
		return true, nil
	case suggestMsg:
		m.keepSuggestion(msg.feeder, suggestion{at: msg.at, s: msg.s, err: msg.err})
		m.suggesting = ""
		if m.flashKind == flashNotice && m.flash == m.suggestionPending(msg.feeder) {
			m.flash = "" // the page now shows the suggestion, or why there is none
		}
		return true, nil
	}
	return false, nil
}

// openDispatch shows the dispatch page of event id on top of the events
// view.
func (m *Model) openDispatch(id string) {
	m.stack = []*page{m.roots[viewEvents], {view: viewEvents, kind: pageDispatch, id: id}}
}

// dispatchKey handles the keys of the DR workflow; it reports whether the
// key was one of them.
func (m *Model) dispatchKey(msg tea.KeyMsg, p *page) (bool, tea.Cmd) {
	d := m.opts.Dispatch
	if d == nil {
		return false, nil
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.NewEvent) && m.haveFleet() && (p.kind == pageList || p.kind == pageTriage || p.kind == pageFeeder):
		if why := m.dayHeldWhy("n"); why != "" {
			m.setFlash(why, true)
			return true, nil
		}
		if m.guardEnded(false) && m.guardAct(RefusedDispatch) {
			m.openForm(p)
		}
		return true, nil
	case p.kind == pageDispatch && (key.Matches(msg, k.Enter) || msg.Type == tea.KeyEnter):
		// Also when the footer does not offer enter (a desk that cannot
		// send): confirm says why, where enter would otherwise open the
		// events list's row beneath.
		return true, m.confirm(p.id)
	case p.kind == pageDispatch && key.Matches(msg, k.Decline):
		return true, m.decline(p.id)
	case p.kind == pageDispatch && key.Matches(msg, k.Dispatch):
		// Planning again replaces the preview every desk confirms from: a
		// viewer's d changed the plan a dispatcher was about to send. A
		// viewer may make the first plan, which nobody has read yet.
		if !m.guardEnded(false) {
			return true, nil
		}
		if v, ok := m.drEvent(p.id); ok && v.Preview != nil && !m.guardAct(RefusedDispatch) {
			return true, nil
		}
		return true, m.previewCmd(p.id)
	case p.kind == pageDispatch && key.Matches(msg, k.Extend):
		return true, m.extend(p.id)
	case p.kind == pageDispatch && key.Matches(msg, k.Edit):
		if v, ok := m.drEvent(p.id); ok && v.State == control.StatePending && m.guardEnded(false) && m.guardAct(RefusedDispatch) {
			m.openEditForm(v)
		}
		return true, nil
	case p.kind == pageList && p.view == viewEvents && key.Matches(msg, k.Enter, k.Dispatch):
		// Once the source has ended enter still opens the event, to read
		// it, but nothing plans it: d says why.
		if key.Matches(msg, k.Dispatch) && !m.guardEnded(false) {
			return true, nil
		}
		if v, ok := m.selectedDR(p); ok {
			m.push(&page{view: viewEvents, kind: pageDispatch, id: v.Event.ID})
			// Planned on opening when it has no plan, or one for an
			// earlier slot that enter cannot send: a pending event
			// opened at 20:43 showed its 18:05 preview, "enter confirm
			// and send 78 setpoints" under figures of a fleet long gone.
			// A viewer's open does not replace a dispatcher's plan, nor
			// does one while a plan is being made (it would be refused
			// as busy).
			stale := m.previewStale(v.Preview) && m.canAct() && !v.Busy
			if v.State == control.StatePending && (v.Preview == nil || stale) && !m.sourceEnded() {
				return true, m.previewCmd(v.Event.ID)
			}
		}
		return true, nil
	case p.kind == pageList && p.view == viewEvents && key.Matches(msg, k.Decline):
		if v, ok := m.selectedDR(p); ok {
			return true, m.decline(v.Event.ID)
		}
		return true, nil
	case p.kind == pageTriage && key.Matches(msg, k.PlanIt):
		return true, m.proposeSuggestion(p)
	}
	return false, nil
}

// previewStale reports whether pv was planned for a slot before the one
// the clock is in: the controller does not send it (enter plans again),
// and its figures are an earlier fleet's.
func (m *Model) previewStale(pv *plan.Preview) bool {
	return pv != nil && pv.Slot > 0 && m.snap != nil && !m.snap.At.Before(pv.Start.Truncate(pv.Slot).Add(pv.Slot))
}

// selectedDR is the event under the cursor of the events list.
func (m *Model) selectedDR(p *page) (control.EventView, bool) {
	evs := m.events()
	rows := m.eventRows(p, evs)
	if p.cursor >= len(rows) || evs[rows[p.cursor]].dr == nil {
		return control.EventView{}, false
	}
	return *evs[rows[p.cursor]].dr, true
}

// previewCmd plans event id on the fleet of the moment.
func (m *Model) previewCmd(id string) tea.Cmd {
	return m.previewCmdSaying(id, "")
}

// previewCmdSaying plans event id as previewCmd does, and says done
// instead of "planned ID · 12ms" when it is not empty.
func (m *Model) previewCmdSaying(id, done string) tea.Cmd {
	d := m.opts.Dispatch
	planned := m.tr.t("planned")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), dispatchTimeout)
		defer cancel()
		pv, err := d.Preview(ctx, id)
		if err != nil {
			return drDoneMsg{err: err}
		}
		if done != "" {
			return drDoneMsg{text: done}
		}
		return drDoneMsg{text: fmt.Sprintf("%s %s · %s", planned, id, pv.SolveTime.Round(time.Millisecond))}
	}
}

// confirm sends event id; a large dispatch takes enter twice.
func (m *Model) confirm(id string) tea.Cmd {
	if !m.guardEnded(false) || !m.guardAct(RefusedDispatch) {
		return nil
	}
	v, ok := m.drEvent(id)
	if !ok || v.State != control.StatePending {
		return nil
	}
	if !m.canSend() {
		m.setFlash(m.tr.t("preview only: this desk has no setpoint sender, nothing can be sent"), true)
		return nil
	}
	if v.Preview == nil {
		m.setFlash(m.tr.t("no preview yet: d to plan"), true)
		return nil
	}
	if u := m.unrouted(v.Preview); u.none() {
		// Every setpoint would be journalled as rejected after the
		// dispatch was reported sent: refused. The event stays pending
		// rather than declined on the dispatcher's behalf: a grid
		// operator's event declined is final, and the routes may be
		// fixed (a desk restarted with the right --adapters) within its
		// window. c declines it, on the record, when that is the answer.
		m.armed, m.armedPreview = "", nil
		m.setFlash(fmt.Sprintf(m.tr.t("not sent: %s routes none of the plan's %s; %s stays pending (c declines it)"),
			m.opts.Routes, setpointsText(m.tr.t, u.total, u.changing), id), true)
		return nil
	}
	if c := m.conflictRefusal(&v); c != "" {
		// Refused as the controller would refuse it, before a large
		// dispatch's "enter again to confirm": the desk asked for a
		// second enter only to refuse that one for the event in force.
		m.armed, m.armedPreview = "", nil
		m.setFlash(c, true)
		return nil
	}
	// The second enter counts only for the plan the first one armed: a
	// plan made in between (another operator's d) is read afresh.
	second := m.armed == id && m.armedPreview == v.Preview
	// A plan of an earlier slot is not sent whatever the enters: the
	// controller plans it again (ErrNoPreview), and the question is asked
	// of the new plan. Asked of the old one, the second enter only
	// brought "not sent: a new slot began", and the question again.
	if v.NeedsSecond && !second && !m.previewStale(v.Preview) {
		msg := fmt.Sprintf(m.tr.t("large dispatch (%s MW): enter again to confirm"), ftoa(v.MovedKW/1000, 1))
		if m.armed == id {
			// Armed for another plan: say so, or the swap goes unseen.
			msg = fmt.Sprintf(m.tr.t("planned again since your first enter: read the new plan; large dispatch (%s MW): enter again to confirm"),
				ftoa(v.MovedKW/1000, 1))
		}
		m.armed, m.armedPreview = id, v.Preview
		m.setAsk(msg)
		return nil
	}
	m.armed, m.armedPreview = "", nil
	d, by, seen := m.opts.Dispatch, m.actor(), v.Preview
	sent := m.tr.t("sent")
	tell, announce := m.worded(Announcement{Kind: TellConfirmed, Event: v.Event}), m.announcer()
	return func() tea.Msg {
		// Not cancelled when Confirm returns: the last chunk's setpoints
		// still wait on ctx for a late answer (the guard's grace after
		// the batch deadline, docs/adapters.md), and the guard takes a
		// cancelled caller for a ^C. Cancelled, a charger that answered
		// 3 s after the deadline stayed "no answer" for good, and its
		// answer was never journalled. Its deadline ends it.
		ctx, cancel := context.WithTimeout(context.Background(), dispatchTimeout)
		time.AfterFunc(dispatchTimeout, cancel)
		// Seen: the controller refuses if the event was planned again
		// after the preview on this screen.
		err := d.Confirm(ctx, id, by, control.ConfirmOptions{Second: second, Seen: seen})
		if errors.Is(err, control.ErrNoPreview) {
			return drDoneMsg{err: err, open: id, preview: true, stale: true}
		}
		if err != nil {
			return drDoneMsg{err: err}
		}
		// Told here, not when the answer reaches Update: the session may
		// have ended since enter, and the setpoints went out all the same.
		announce(tell)
		return drDoneMsg{text: sent + " " + id}
	}
}

// refusalText is a Dispatcher call's error as the footer says it:
// drErrText, but a confirmation refused for the event in force on the
// scope is worded from its figures in English too, as in Chinese. The
// controller's sentence ("confirm "T-F10-1842": conflicts with another
// dispatch: event OP-12 (cap F10 at 1400 kW 18:31–21:31) is active on the
// same scope, confirmed by ana at 18:31:04") was cut at 80 columns before
// who confirmed it and when; the journal and the log keep it whole.
func (m *Model) refusalText(err error) string {
	var ac *control.ActiveConflictError
	if errors.As(err, &ac) {
		if s, ok := m.controlErrText(err); ok {
			return s
		}
	}
	return m.drErrText(err)
}

// decline turns a pending event down or cancels an active one. Once the
// source has ended neither is done: a pending event can no longer run, and
// a cancel's release setpoints would go to a source that is gone.
func (m *Model) decline(id string) tea.Cmd {
	if !m.guardEnded(false) || !m.guardAct(RefusedDispatch) {
		return nil
	}
	v, ok := m.drEvent(id)
	if !ok || v.State.Final() {
		return nil
	}
	if v.State == control.StateActive && v.CancelQueued != nil {
		// A cancel is queued already: there is nothing to arm. Asked "c
		// again to cancel", the presser was told whose request it was
		// only after the second c; said at the first.
		m.cancelArmed = ""
		m.setFlash(m.alreadyQueuedWords(id)(*v.CancelQueued), false)
		return nil
	}
	if v.State == control.StateActive && m.cancelArmed != id {
		// Cancelling releases every steered charger at once: asked twice,
		// so a stray c (the key pressed to keep an idle session) cannot.
		m.cancelArmed = id
		again := fmt.Sprintf(m.tr.t("c again to cancel %s and release its chargers"), id)
		if pr := v.Progress; pr.Unreleasable > 0 && pr.Unreleasable >= pr.Holding {
			n, unknown := m.stillValidSplit(id, pr, pr.Unreleasable)
			again = fmt.Sprintf(m.tr.t("c again to cancel %s; its setpoints expire by %s (this adapter cannot release)"), id, m.validBy(pr)) + m.unknownOf(unknown, pr)
			if n == 0 {
				again = fmt.Sprintf(m.tr.t("c again to cancel %s; none of its setpoints is still valid"), id)
			}
		}
		m.setAsk(again)
		return nil
	}
	m.cancelArmed = ""
	d, by := m.opts.Dispatch, m.actor()
	declined, cancelled := m.tr.t("declined"), m.tr.t("cancelled")
	queued := m.tr.t("cancel queued: runs when the plan in flight is sent")
	// Told from the command, as a confirm is (announcer): a cancel
	// releases chargers whether or not its session lives to read so.
	announce := m.announcer()
	tellDeclined := m.worded(Announcement{Kind: TellDeclined, Event: v.Event})
	tellQueued := m.worded(Announcement{Kind: TellCancelQueued, Event: v.Event})
	tellCancelled := m.worded(Announcement{Kind: TellCancelled, Event: v.Event})
	already := m.alreadyQueuedWords(id)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), dispatchTimeout)
		defer cancel()
		if v.State == control.StatePending {
			if err := d.Decline(id, by, reasonDeclined); err != nil {
				return drDoneMsg{err: err}
			}
			announce(tellDeclined)
			return drDoneMsg{text: declined + " " + id}
		}
		err := d.Cancel(ctx, id, by, reasonCancelled)
		var dup *control.AlreadyQueuedError
		if errors.As(err, &dup) {
			// Nothing done: the request that runs is on the record and
			// was announced when it was made, and its own session tells
			// the others when it has run. Announced again, the others
			// read a second request the journal does not hold.
			return drDoneMsg{text: already(dup.Queued)}
		}
		if errors.Is(err, control.ErrCancelQueued) {
			// Taken, not refused: it runs when the plan in flight is sent,
			// and the event's page says so until it has.
			announce(tellQueued)
			go announceQueuedCancel(d, id, by, tellCancelled, announce)
			return drDoneMsg{text: queued + " (" + id + ")", queued: id}
		} else if err != nil {
			return drDoneMsg{err: err}
		}
		announce(tellCancelled)
		return drDoneMsg{text: cancelled + " " + id}
	}
}

// alreadyQueuedWords words, for a command's goroutine, the answer to a
// cancel of event id that found one already queued (q): whose request it
// is, this session's own, another session of this operator's (logged in
// twice), or another dispatcher's, and when it was asked.
func (m *Model) alreadyQueuedWords(id string) func(q control.QueuedCancel) string {
	t, loc := m.tr.t, m.loc()
	self, session, local := m.operator(), m.opts.Session, m.who(LocalOperator)
	return func(q control.QueuedCancel) string {
		at := hhmm(q.At, loc)
		switch {
		case q.By == self && q.Session == session:
			return fmt.Sprintf(t("you already asked to cancel %s at %s: it runs when the plan in flight is sent"), id, at)
		case q.By == self:
			return fmt.Sprintf(t("your other session already asked to cancel %s at %s: it runs when the plan in flight is sent"), id, at)
		}
		who := q.By
		if who == LocalOperator {
			who = local
		}
		return fmt.Sprintf(t("%s already asked to cancel %s at %s: it runs when the plan in flight is sent"), who, id, at)
	}
}

// extend keeps event id's hand-back going for its default length again
// (Options.HandBack): its chargers are released that much later at the
// latest. The controller refuses an event that is final, not handing back
// or being released, and says why.
func (m *Model) extend(id string) tea.Cmd { return m.extendBy(id, 0) }

// extendBy extends event id's hand-back by d (0: the controller's default
// length), from the command palette's :extend.
func (m *Model) extendBy(id string, dur time.Duration) tea.Cmd {
	if !m.guardEnded(false) || !m.guardAct(RefusedDispatch) {
		return nil
	}
	v, ok := m.drEvent(id)
	if !ok {
		return nil
	}
	if why := m.extendNoUse(v); why != "" {
		// :extend too: the controller would extend a release that never
		// comes, on the record.
		m.setFlash(why, true)
		return nil
	}
	d, by := m.opts.Dispatch, m.actor()
	// The words are taken here, on the model's goroutine, for the time
	// the command returns: the operator's, and the English the others'
	// announcement carries.
	say, inEnglish := m.extendedWords(), m.extendedWordsInEnglish()
	announce := m.announcer()
	return func() tea.Msg {
		at, err := d.Extend(id, by, dur, reasonExtended)
		if err != nil {
			return drDoneMsg{err: err}
		}
		// Told here, as a confirm is (announcer): the release moved
		// whether or not the session lives to read so.
		announce(Announcement{Kind: TellExtended, Event: v.Event, Release: at, English: inEnglish(id, at)})
		return drDoneMsg{text: say(id, at)}
	}
}

// proposeSuggestion turns the cursor feeder's suggestion into a pending
// event and opens its preview.
func (m *Model) proposeSuggestion(p *page) tea.Cmd {
	if !m.guardEnded(false) || !m.guardAct(RefusedDispatch) {
		return nil
	}
	rows := m.triageRows(p)
	if p.cursor >= len(rows) {
		return nil
	}
	id := m.snap.Feeders[rows[p.cursor].feeder].ID
	if v, ok := m.eventInForce(id); ok {
		m.setFlash(fmt.Sprintf(m.tr.t("%s is already in force on %s"), v.Event.ID, id), true)
		return nil
	}
	sg, ok := m.suggest[id]
	switch {
	case !ok || m.suggesting == id && sg.s == nil:
		// Still being planned: said until it shows (suggestMsg takes
		// this down), not "✕ no suggestion yet" beside the suggestion
		// that arrived a second later.
		m.setNotice(m.suggestionPending(id))
		return nil
	case sg.s == nil:
		m.setFlash(fmt.Sprintf(m.tr.t("no suggestion for %s: triage says why"), id), true)
		return nil
	}
	if long, short, changed := m.suggestionJustChanged(id); changed {
		// What the dispatcher read is not what p would propose: said
		// until the next key, which may be p for the offer as it reads.
		m.setNoticeFit(long, short, 1)
		return nil
	}
	// The cap triage offered: bounded to suggestMaxLength.
	ev, _ := boundedSuggestion(sg.s.Event)
	return m.propose(ev, control.OriginTriage)
}

// suggestionPending is what p says while feeder id's suggestion is being
// planned.
func (m *Model) suggestionPending(id string) string {
	return fmt.Sprintf(m.tr.t("planning a suggestion for %s: p again once it shows"), id)
}

// replace proposes ev in place of the pending event old: the new event
// is proposed first and old declined only once that succeeded, so a
// refused edit leaves the original standing.
func (m *Model) replace(ev feeds.EventFrame, old string, origin control.Origin) tea.Cmd {
	if !m.guardEnded(false) { // the form was open when the source ended
		return nil
	}
	d, by := m.opts.Dispatch, m.actor()
	t := m.tr.t
	replaced, proposed := m.wordedFor(Announcement{Kind: TellReplaced, Event: ev, Replaces: old}), m.wordedFor(Announcement{Kind: TellProposed, Event: ev})
	announce := m.announcer()
	return func() tea.Msg {
		id, err := d.Propose(ev, origin, by)
		if err != nil {
			return drDoneMsg{err: err}
		}
		// Told from here, whatever becomes of the session (announcer):
		// in place of old only once old is declined; a refused decline
		// leaves it pending, and the new event is only proposed.
		if err := d.Decline(old, by, fmt.Sprintf(reasonReplaced, id)); err != nil {
			announce(proposed(id))
			return drDoneMsg{err: fmt.Errorf("%s: %w", fmt.Sprintf(t("%s pending, but %s could not be declined"), id, old), err), open: id, preview: true}
		}
		announce(replaced(id))
		return drDoneMsg{text: fmt.Sprintf(t("%s pending, replaces %s"), id, old), open: id, preview: true}
	}
}

// propose makes ev a pending event and opens its preview.
func (m *Model) propose(ev feeds.EventFrame, origin control.Origin) tea.Cmd {
	if !m.guardEnded(false) { // the form was open when the source ended
		return nil
	}
	d, by := m.opts.Dispatch, m.actor()
	pending := m.tr.t("pending")
	tell, announce := m.wordedFor(Announcement{Kind: TellProposed, Event: ev}), m.announcer()
	return func() tea.Msg {
		id, err := d.Propose(ev, origin, by)
		if err != nil {
			return drDoneMsg{err: err}
		}
		// Told here, as a confirm is (announcer): the event is pending,
		// on the record, whether or not the session lives to open it.
		announce(tell(id))
		return drDoneMsg{text: id + " " + pending, open: id, preview: true}
	}
}

// maybeSuggest plans a suggestion for the feeder under the triage cursor
// when there is none for the last minute of fleet time.
func (m *Model) maybeSuggest() tea.Cmd {
	d := m.opts.Dispatch
	if d == nil || m.snap == nil || m.suggesting != "" || len(m.stack) == 0 || m.sourceEnded() {
		return nil // once the source has ended there is nothing to propose
	}
	p := m.page()
	if p.kind != pageTriage {
		return nil
	}
	rows := m.triageRows(p)
	if p.cursor >= len(rows) {
		return nil
	}
	id := m.snap.Feeders[rows[p.cursor].feeder].ID
	at := m.snap.At
	if sg, ok := m.suggest[id]; ok && at.Sub(sg.at) < time.Minute {
		return nil
	}
	m.suggesting = id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), dispatchTimeout)
		defer cancel()
		s, err := d.Suggest(ctx, id)
		return suggestMsg{feeder: id, at: at, s: s, err: err}
	}
}

// haveFleet reports whether the feed's topology is in: before it the desk
// waits for the feed, and there is nothing to plan a DR event on.
func (m *Model) haveFleet() bool { return m.snap != nil && m.snap.HaveTopology }

// syncDispatchKeys enables the DR keys that apply to page p. They stay on
// for a viewer, who is told the action is not theirs rather than finding a
// key that silently does nothing.
func (m *Model) syncDispatchKeys(p *page) {
	on := m.opts.Dispatch != nil
	events := p.kind == pageList && p.view == viewEvents && m.rowCount(p) > 0
	m.keys.NewEvent.SetEnabled(on && m.haveFleet() && (p.kind == pageList || p.kind == pageTriage || p.kind == pageFeeder))
	m.keys.Dispatch.SetEnabled(on && (events || p.kind == pageDispatch))
	m.keys.Decline.SetEnabled(on && (events || p.kind == pageDispatch))
	// p proposes the suggestion for the feeder under the cursor: only
	// offered when triage lists one.
	m.keys.PlanIt.SetEnabled(on && p.kind == pageTriage && len(m.triageRows(p)) > 0)
	m.keys.Edit.SetEnabled(false)
	m.keys.Extend.SetEnabled(false)
	t := m.tr.t
	m.keys.Enter.SetHelp("enter", t("open"))
	m.keys.Decline.SetHelp("c", t("decline or cancel"))
	// The footer names what enter and c do to this event, and offers only
	// what applies to its state: on a pending preview enter sends.
	state, known := control.State(""), false
	switch {
	case p.kind == pageDispatch:
		var v control.EventView
		v, known = m.drEvent(p.id)
		state = v.State
		// Offered once there is a plan to send: before it, enter only
		// says "no preview yet", and a footer promising a send misleads
		// (and a test waiting for it pressed enter too early).
		// Nor when the adapters route none of the plan's chargers: enter
		// then declines, which the page says.
		// Nor while an event in force overlaps it: the controller
		// refuses the confirmation, which the page says.
		m.keys.Enter.SetEnabled(known && state == control.StatePending && v.Preview != nil && m.canSend() && !m.unrouted(v.Preview).none() &&
			m.conflictRefusal(&v) == "")
		m.keys.Enter.SetHelp("enter", t("confirm and send"))
		m.keys.Dispatch.SetEnabled(on && known && state == control.StatePending)
		m.keys.Edit.SetEnabled(on && known && state == control.StatePending)
		// Only a hand-back has a release to push.
		// Nor once the day ends before its release could move (extendNoUse).
		m.keys.Extend.SetEnabled(on && known && state == control.StateActive && !v.HandBackSince.IsZero() && !v.ForcedRelease &&
			m.extendNoUse(v) == "")
	case events:
		var v control.EventView
		v, known = m.selectedDR(p)
		state = v.State
	}
	if p.kind == pageDispatch || events {
		switch {
		case known && state == control.StatePending:
			m.keys.Decline.SetHelp("c", t("decline"))
		case known && state == control.StateActive:
			m.keys.Decline.SetHelp("c", t("cancel the event"))
		default:
			m.keys.Decline.SetEnabled(false)
		}
	}
}
