package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// Minimum terminal size; below it the Model shows a "too small" screen
// that still quits. Between this and 100 columns the layout is compact.
const (
	minWidth     = 64
	minHeight    = 18
	compactBelow = 100
	// snapInterval spaces snapshot reads: at most 4 per second reach the
	// Model however fast the feed runs.
	snapInterval = 250 * time.Millisecond
	flashFor     = 6 * time.Second
)

// viewID is a top-level view, in tab order.
type viewID int

const (
	viewOverview viewID = iota
	viewFeeders
	viewChargers
	viewAlarms
	viewEvents
	numViews
)

// pageKind is what a page on the navigation stack shows.
type pageKind int

const (
	pageList      pageKind = iota // the view itself
	pageFeeder                    // one feeder: its curve and its chargers
	pageCharger                   // one charger
	pageTriage                    // the feeders over or near their limit
	pageDispatch                  // one DR event: preview, confirmation, progress
	pageEventForm                 // a new DR event
)

// page is one entry of the navigation stack with its own cursor, filter
// and sort, so esc returns to where the operator was.
type page struct {
	view   viewID
	kind   pageKind
	id     string // feeder or charger id for detail pages
	cursor int
	offset int
	// sel is the id of what the cursor is on (a feeder, charger, alarm or
	// DR event): the rows move under the cursor when the list re-sorts or
	// another operator acts, and the cursor follows sel, not the row.
	sel     string
	filter  string
	sortCol int
	desc    bool
	visible int // rows the page showed at the last render

	// Cached row index for charger tables, valid for idxSeq and idxKey.
	idx    []int
	rows   []triageRow // triage's cached rows
	idxSeq uint64
	idxKey string
}

// inputMode is what the footer line is editing.
type inputMode int

const (
	inputNone inputMode = iota
	inputFilter
	inputCommand
	inputShelve
	inputForm // the new-event form has the keys
)

// SnapshotMsg carries a new fleet snapshot to the Model. The Model's own
// reader sends one per tick at most; callers that drive the Model
// themselves may send it too (the newest wins).
type SnapshotMsg struct {
	Snapshot *feeds.Snapshot
}

// snapReadMsg is a snapshot read from Options.Snapshots; ok is false when
// the channel was closed.
type snapReadMsg struct {
	snap *feeds.Snapshot
	ok   bool
}

// snapWaitMsg says the next read of Options.Snapshots may start.
type snapWaitMsg struct{}

// clockMsg refreshes the clock and feed age once a second.
type clockMsg time.Time

// controlMsg reports the outcome of a call on the Control: text, or err
// after lead (what was asked, "seek 18:00", in the operator's language).
type controlMsg struct {
	text string
	lead string
	err  error
}

// Model is the dashboard, one per session. It implements tea.Model.
type Model struct {
	opts   Options
	st     styles
	tr     translator
	keys   keyMap
	help   help.Model
	alarms *alarm.Engine
	now    func() time.Time

	w, h int
	// sized: a WindowSizeMsg has come, so w and h are the terminal's (a
	// client may report 0x0) rather than not known yet.
	sized bool

	snap, latest *feeds.Snapshot
	// pauseAge keeps the header's age of the latest frame from counting
	// the time the source is paused (pauseage.go).
	pauseAge    pauseAge
	frozen      bool
	frozenBoard *alarm.Board
	feedEnded   bool
	// catchUpSeen is the last catch-up (alarm.CatchUp.N) this session
	// has flashed or was started after.
	catchUpSeen uint64
	// restartSeen is the feed's restart count (Stats.Restarts) this
	// session has told or joined after; restartKnown: it has a snapshot.
	restartSeen  uint64
	restartKnown bool
	// catchUp is the latest catch-up summary that skipped conditions, on
	// this session's alarms page until dismissed (d); nil: none.
	catchUp *alarm.CatchUp

	roots [numViews]*page
	stack []*page

	input    inputMode
	text     []rune
	shelveID string
	showHelp bool

	flash      string
	flashKind  flashKind
	flashUntil time.Time
	// releaseTold is, by event, the forced release time this session has
	// told its operator of (refreshDispatch): one notice per release
	// time, again after an extension moves it.
	releaseTold map[string]time.Time
	// releaseShown is the forced release the footer's notice tells of, so
	// the notice goes once that release is no longer to come
	// (dropPassedReleaseNotice).
	releaseShown releaseNotice
	// noticeNarrow is the shorter wording of the footer's notice, chosen
	// for the width when the footer is drawn (noticefit.go).
	noticeNarrow narrowNotice
	// damageSeen: a key was pressed since the start, so the footer no
	// longer says what the recording held back (the header still marks it),
	// damageSeenAs, as it was then: damage the reading finds later (a
	// recording read while it plays) is told until the next key.
	damageSeen   bool
	damageSeenAs RecordingDamage
	// refusalSeen is the last seek refusal (Reading.Refused.N) flashed.
	refusalSeen int
	// loopsSeen is the last count of a looping replay's restarts
	// (Looper) told in the footer (noteLoop).
	loopsSeen uint64

	derived derived
	// routes is which chargers of the shown plan the adapters route.
	routes routeCache

	// The DR workflow: the Dispatcher's events as of the latest refresh,
	// the event form, the event waiting for its second confirmation, and
	// triage suggestions by feeder (the one being planned in suggesting).
	dr []control.EventView
	// srcEnded are the events this session saw the controller end at the
	// source's end. The controller ends them one by one (each a change),
	// so the line that tells of them grows rather than names only the last.
	srcEnded map[string]bool
	// passEnded are the events this session saw the controller end at a
	// seek back, told once (passended.go).
	passEnded passEndedEvents
	// cancelQueued are the events whose cancel this session's operator
	// asked for while a plan was in flight (control.ErrCancelQueued): when
	// the controller has run it, the operator and the other desks are
	// told it is done.
	cancelQueued map[string]bool
	form         *eventForm
	armed        string
	// armedPreview is the plan the first enter armed (see confirm).
	armedPreview *plan.Preview
	// quitArmed: q was pressed once while this local desk steers a DR
	// event; the next q quits, any other key disarms.
	quitArmed bool
	// cancelArmed is the active DR event whose cancel waits for a second
	// c: one key must not stop a running dispatch.
	cancelArmed string
	helpOffset  int // first line of the help screen shown
	suggest     map[string]suggestion
	suggesting  string
}

// New returns a dashboard Model for one session.
func New(opts Options) *Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ShelveFor <= 0 {
		opts.ShelveFor = 8 * time.Hour
	}
	if opts.Mode == "" {
		opts.Mode = feeds.ModeLive
	}
	if opts.Alarms == nil {
		opts.Alarms = alarm.NewEngine(alarm.Options{Clock: opts.Now})
	}
	m := &Model{
		opts:   opts,
		st:     newStyles(opts.Renderer),
		tr:     newTranslator(opts.Lang),
		alarms: opts.Alarms,
		now:    opts.Now,
	}
	if c, ok := opts.Alarms.LastCatchUp(); ok {
		m.catchUpSeen = c.N
		if len(c.Missed) > 0 {
			// Not flashed (it is old news), but the alarms page says it:
			// an operator who joins later learns what was skipped too.
			m.catchUp = &c
		}
	}
	m.keys = newKeyMap(m.tr.t)
	m.help = help.New()
	m.help.ShortSeparator = "  "
	m.help.Styles = help.Styles{
		Ellipsis: m.st.sep, ShortKey: m.st.key, ShortDesc: m.st.desc, ShortSeparator: m.st.sep,
		FullKey: m.st.key, FullDesc: m.st.desc, FullSeparator: m.st.sep,
	}
	for v := range m.roots {
		m.roots[v] = &page{view: viewID(v), kind: pageList}
	}
	m.roots[viewOverview].sortCol, m.roots[viewOverview].desc = feederSortLoading, true
	m.stack = []*page{m.roots[viewOverview]}
	m.syncKeys()
	return m
}

// Init starts the snapshot reader and the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.readSnapshot(), clockTick(), m.waitDispatch())
}

// readSnapshot waits for the next snapshot and takes whatever else is
// already queued, so one message carries the newest.
func (m *Model) readSnapshot() tea.Cmd {
	ch := m.opts.Snapshots
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return snapReadMsg{}
		}
		for {
			select {
			case n, more := <-ch:
				if !more {
					return snapReadMsg{snap: s, ok: true}
				}
				s = n
			default:
				return snapReadMsg{snap: s, ok: true}
			}
		}
	}
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return clockMsg(t) })
}

// Update handles one message. On the triage page it also starts planning
// a suggestion for the feeder under the cursor when there is none yet.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// The alarm list is shared with the other operators, and the lists
	// re-sort as loads change: a key acts on what the cursor was drawn
	// on, wherever that row is now.
	before := m.page()
	m.follow(before)
	cur := before.cursor
	model, cmd := m.update(msg)
	if p := m.page(); p == before && p.cursor != cur {
		m.pin(p) // the operator moved the cursor
	} else {
		m.follow(p)
	}
	if s := m.maybeSuggest(); s != nil {
		cmd = tea.Batch(cmd, s)
	}
	// The footer's keys follow the new state; View only draws.
	m.syncKeys()
	return model, cmd
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Found by the reading, not by a message of its own: looked for on
	// every message (snapshots come several times a second while it plays).
	m.noteRefusal()
	if ok, cmd := m.dispatchMsg(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h, m.sized = msg.Width, msg.Height, true
		m.help.Width = msg.Width
	case SnapshotMsg:
		m.apply(msg.Snapshot)
	case snapReadMsg:
		if !msg.ok {
			m.feedEnded = true
			m.setFlash(m.tr.t("the feed has ended"), false)
			return m, nil
		}
		m.apply(msg.snap)
		// Space reads out so no more than one snapshot per interval reaches
		// the Model; the Hub keeps only the newest meanwhile.
		return m, tea.Tick(snapInterval, func(time.Time) tea.Msg { return snapWaitMsg{} })
	case snapWaitMsg:
		return m, m.readSnapshot()
	case clockMsg:
		m.refreshDispatch()
		return m, clockTick()
	case controlMsg:
		if msg.err != nil {
			// English reads as it did: "seek 18:00: " and the error.
			s := m.clockErrText(msg.err)
			if msg.lead != "" {
				s = msg.lead + ": " + s
			}
			m.setFlash(s, true)
		} else if msg.text != "" {
			m.setFlash(msg.text, false)
		}
	case tea.KeyMsg:
		m.damageSeen = true
		if d := m.damage(); d != nil {
			m.damageSeenAs = *d
		}
		return m.handleKey(msg)
	}
	return m, nil
}

// apply takes a new snapshot: the alarm engine always sees it; the display
// only when not frozen.
func (m *Model) apply(s *feeds.Snapshot) {
	if s == nil {
		return
	}
	m.alarms.Observe(s)
	m.latest = s
	m.noteLoop()
	if !m.frozen {
		m.snap = s
	}
	// After the snapshot: the summary's times are in the site's zone
	// (m.loc), which a session's first snapshot brings; before it they
	// read in UTC ("skipped 16:00–08:00" for 00:00–16:00 Shanghai).
	m.noteCatchUp()
	m.noteRestart()
	// The new-event form's start and end follow the clock until typed.
	m.followFormClock()
	// After the snapshot: a notice's time left is by its clock (it said
	// "in 31 min" at 22:30, by the snapshot before).
	m.refreshDispatch()
}

// board is the alarm list to display: frozen with the display.
func (m *Model) board() *alarm.Board {
	if m.frozen && m.frozenBoard != nil {
		return m.frozenBoard
	}
	return m.alarms.Board()
}

// flashKind is what a flash is, which says how the footer draws it and
// how long it stays.
type flashKind int

const (
	flashDone flashKind = iota // an outcome, for flashFor
	// flashError is a refusal or a failure, for flashFor.
	flashError
	// flashAsk asks for a second key ("q again quits …"): a question,
	// drawn as a warning, not as an error; for flashFor.
	flashAsk
	// flashNotice is the controller's notice (a forced release coming):
	// drawn as a warning, it stays until the next key, not flashFor, so an
	// operator who looked away still reads it.
	flashNotice
	// flashHeldError is a refusal found later than asked (a seek past
	// the end of a recording still read when it was taken): drawn as an
	// error, it stays until the next key, as a notice does.
	flashHeldError
)

func (m *Model) setFlash(s string, isErr bool) {
	m.flash, m.flashKind, m.flashUntil = s, flashDone, m.now().Add(flashFor)
	if isErr {
		m.flashKind = flashError
	}
}

// setAsk shows s, a "press again" prompt, for flashFor: a question the
// operator answers with the same key, in the warning style (in the error
// style it read as if the first key had failed).
func (m *Model) setAsk(s string) {
	m.setFlash(s, false)
	m.flashKind = flashAsk
}

// setNotice shows s, the controller's notice, until the next key.
func (m *Model) setNotice(s string) {
	m.flash, m.flashKind = s, flashNotice
}

// setHeldError shows s, an error found later than asked, until the next key.
func (m *Model) setHeldError(s string) {
	m.flash, m.flashKind = s, flashHeldError
}

// flashShown reports whether the footer shows the flash now.
func (m *Model) flashShown() bool {
	return m.flash != "" && (m.flashKind == flashNotice || m.flashKind == flashHeldError || m.now().Before(m.flashUntil))
}

// page returns the page on top of the navigation stack.
func (m *Model) page() *page { return m.stack[len(m.stack)-1] }

// LocalOperator is who acts at a desk with no operator named (the local
// dashboard, Options.Operator empty): the alarm engine, the DR workflow and
// the journal record it as is, and the program that journals the desk's
// other actions (cmd/v2gdesk's local desk) names the operator with it, so
// that every record of one desk names the same operator. A zh-CN screen
// shows it as 本地 (who).
const LocalOperator = "local"

// operator is who acknowledges: the session's operator, or LocalOperator.
func (m *Model) operator() string {
	if m.opts.Operator != "" {
		return m.opts.Operator
	}
	return LocalOperator
}

// who is an operator's name on screen: the local desk's default operator
// in the session's language (a zh-CN desk showed "local"), any other name
// as it is. The records keep "local".
func (m *Model) who(name string) string {
	if name == LocalOperator {
		return m.tr.t("local")
	}
	return name
}

// canAct reports whether the operator may acknowledge, shelve and steer.
func (m *Model) canAct() bool { return m.opts.Role != RoleViewer }

// sourceEnded reports whether the source has ended (the simulated day is
// over, the recording played out): by the newest snapshot, not the one a
// frozen display shows, since it says what can still be done, not what is
// on screen.
func (m *Model) sourceEnded() bool { return m.latest != nil && m.latest.Stats.Ended }

// guardEnded tells the operator, once the source has ended, that what they
// asked for cannot happen, and reports whether it still can. A DR event
// would never run (the clock has stopped) and its setpoints would go to a
// simulator that is gone; the clock controls steer a clock that has
// stopped. clock picks which of the two to say.
func (m *Model) guardEnded(clock bool) bool {
	if !m.sourceEnded() {
		return true
	}
	m.setFlash(m.endedWhy(clock), true)
	return false
}

// endedWhy is the one line that says why, once the source has ended, a DR
// action (clock false) or a clock control (clock true) does nothing.
func (m *Model) endedWhy(clock bool) string {
	// Each sentence is spelt out so the translation check sees it.
	switch mode := m.mode(); {
	case mode == feeds.ModeSimulation && clock && m.holdsAtEnd():
		return m.tr.t("the scenario has ended: :seek back to play it again")
	case mode == feeds.ModeSimulation && clock:
		return m.tr.t("the scenario has ended: its clock has stopped")
	case mode == feeds.ModeSimulation:
		return m.tr.t("the scenario has ended: nothing more can be dispatched")
	case mode == feeds.ModeReplay && clock && m.holdsAtEnd():
		return m.tr.t("the replay has ended: :seek back to play it again")
	case mode == feeds.ModeReplay && clock:
		return m.tr.t("the replay has ended: its clock has stopped")
	case mode == feeds.ModeReplay:
		return m.tr.t("the replay has ended: nothing more can be dispatched")
	case clock:
		return m.tr.t("the feed has ended: its clock has stopped")
	}
	return m.tr.t("the feed has ended: nothing more can be dispatched")
}

// loc is the site's time zone.
func (m *Model) loc() *time.Location {
	if m.snap != nil && m.snap.Location != nil {
		return m.snap.Location
	}
	return time.UTC
}

// mode is the mode the desk runs in: Options.Mode, except that a desk told
// it is live (a websocket feed) shows what the feed's hello says it is, a
// simulation or a replay. Such a feed stamps its data with its own clock,
// which alarms, charts and the event form follow; a badge reading LIVE
// beside the wall clock would have a dispatcher type times hours off.
func (m *Model) mode() feeds.Mode {
	if m.opts.Mode == feeds.ModeLive && m.latest != nil {
		if fm := m.latest.FeedMode; fm == feeds.ModeSimulation || fm == feeds.ModeReplay {
			return fm
		}
	}
	return m.opts.Mode
}

// endedText says that the source of s has ended, and when by its clock:
// "scenario ended 00:00" when the simulated day is over. The header shows
// it in place of the link state, which would otherwise read DOWN, and the
// figures on screen are then the last of the day.
func (m *Model) endedText(s *feeds.Snapshot) string {
	// Each sentence is spelt out so the translation check sees it.
	format := m.tr.t("feed ended %s")
	switch m.mode() {
	case feeds.ModeSimulation:
		format = m.tr.t("scenario ended %s")
	case feeds.ModeReplay:
		format = m.tr.t("replay ended %s")
	}
	return m.st.stale.Render("■ " + fmt.Sprintf(format, s.Stats.EndedAt.In(m.loc()).Format("15:04")))
}

// siteNow is the clock shown in the badge: the replay or simulation clock
// when there is one (the feed's data clock for a simulated feed), the wall
// clock on a live feed.
func (m *Model) siteNow() time.Time {
	if c, ok := m.opts.Control.(Clock); ok {
		return c.Now()
	}
	if m.mode() != feeds.ModeLive && m.snap != nil {
		return m.snap.At
	}
	return m.now()
}
