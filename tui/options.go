package tui

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// Options configure a dashboard Model. Every field is optional; an SSH
// session must pass its own Renderer.
type Options struct {
	// Snapshots delivers fleet snapshots (from feeds.Hub: latest wins, at
	// most 4 per second). The Model reads it in a tea.Cmd, coalescing to at
	// most one SnapshotMsg per tick. Nil when the caller sends SnapshotMsg
	// itself.
	Snapshots <-chan *feeds.Snapshot
	// Mode is shown in the mode badge.
	Mode feeds.Mode
	// Control is the replay player or simulator, when there is one. It is
	// used through the small interfaces Clock, Pauser, SpeedSetter and
	// Seeker, found by type assertion; a Control with none of them is fine.
	Control any
	// Alarms is the alarm engine, shared by every session of a process so an
	// acknowledgement by one operator is visible to all. Nil: the Model makes
	// its own.
	Alarms *alarm.Engine
	// Operator and Role name who is at the desk (Role: viewer, dispatcher or
	// admin); both empty for a local desk. A viewer cannot acknowledge or
	// shelve alarms or steer a replay.
	Operator, Role string
	// Lang is "en" (default) or "zh-CN".
	Lang string
	// Renderer builds every style: one per session, so colours follow each
	// client's terminal (termenv.Ascii under NO_COLOR).
	Renderer *lipgloss.Renderer
	// Now is the wall clock; time.Now when nil.
	Now func() time.Time
	// Plan gives the system load plan for the rest of the day, drawn dotted
	// on the overview (the desk passes its *control.Controller: the plan of
	// the DR event in force); nil when there is none.
	Plan Plan
	// Events gives the DR events operators entered at the desk, listed with
	// those from the feed; nil when there are none.
	Events EventLister
	// Dispatch is the demand-response workflow (a *control.Controller shared
	// by every session): the events view then lists its events, pending,
	// active and done, with their previews and progress, and n, d, c and p
	// create, plan, decline or cancel, and propose triage's suggestion.
	// Nil: the events view lists what the feed and Events announce.
	Dispatch Dispatcher
	// Session identifies an SSH session for dispatch claims; 0 locally.
	Session uint64
	// Done is closed when the dashboard's session has ended (an SSH
	// session's OnClose); nil when the dashboard lives as long as the
	// process. A wait on shared state (the Dispatcher's next change) stops
	// then: on a desk where no DR event changed for hours, every session
	// closed meanwhile kept its program and model alive in that wait.
	Done <-chan struct{}
	// Sources, when set, reports each telemetry source of a merged desk (a
	// feed beside OCPP central systems, feeds.Merger.Links): with more than
	// one, the header says how many are up and names those that are not,
	// where the merged link alone would read "up" while one is down. Nil:
	// a single source.
	Sources func() []feeds.SourceLink
	// SetpointsOnFeed names the adapters whose setpoints travel on the
	// feed's own connection (a wsjson adapter without url, as the demo's
	// "sim"): while the feed is down (the first of Sources, else the
	// snapshot's link) none of theirs reaches a charger, and an event's
	// page says so. Nil: none do.
	SetpointsOnFeed []string
	// OwnSessions, on a shared desk, counts the sessions open under this
	// operator's name, this one included (an operator logged in twice has
	// 2). Quitting one of them leaves their DR events in force with the
	// other, so q asks nothing then (quitAsk). Nil: this session alone.
	OwnSessions func() int
	// Online lists who is connected to a shared desk ("ana (dispatcher)"),
	// this operator included; the header shows the others. Nil locally.
	Online func() []string
	// Act, when set, is asked before an operator acts on an alarm (kind
	// ActAlarmAck, ActAlarmShelve or ActAlarmUnshelve) or on a shared
	// simulation's clock (ActClockPause, ActClockResume, ActClockSpeed,
	// ActClockSeek): it may refuse (the error is shown), and otherwise
	// journals the action (a.English, "acknowledged ▲ HIGH F07 loading
	// 118%", follows the operator's name) and tells the other operators,
	// whose sessions word a in their own language (Model.Tell); a.Kind is
	// kind. The SSH desk passes its session's authorisation here.
	Act func(kind string, a Announcement, detail map[string]any) error
	// Announce, when set, tells the other operators of a shared desk what
	// this one did to a DR event (proposed, confirmed, declined, cancelled:
	// a Tell* kind), for their sessions to word (Model.Tell); the DR
	// workflow journals the action itself. Nil: a desk alone. Every DR
	// action (propose, replace, confirm, decline, cancel, extend) calls it
	// from its command's goroutine as soon as the controller has done it,
	// not from Update, and a cancel queued behind a plan in flight again
	// from a goroutine of its own once it has run: a session that ends
	// before the answer reaches it (its ssh killed just after enter) still
	// tells the others. It must be safe to call from any goroutine, also
	// after the session has ended.
	Announce func(a Announcement)
	// Refused, when set, is told of an action the operator's role does not
	// allow (RefusedAlarm, RefusedDispatch or RefusedClock) and returns the
	// sentence to show, naming the role it needs; the SSH desk also writes
	// the refusal to the audit journal (kind forbidden). Nil: the desk says
	// "viewers cannot do that".
	Refused func(action string) error
	// ShelveFor is how long a shelved alarm stays shelved (ISA-18.2 wants
	// shelving time-limited); default 8 hours, one shift.
	ShelveFor time.Duration
	// TimeOfUse are the site's price periods by local time of day, drawn as
	// bands under the load curve; nil to omit them.
	TimeOfUse []TOUBand
	// Setpoints counts what became of the setpoints the desk sent through
	// its guard (the desk passes its *adapters.Guard); the overview shows
	// the counters on one line, so a refusal or a timeout is seen without
	// reading logs. Nil: the desk has no guard (a feed or a replay without
	// --adapters), and the overview says no adapters are configured rather
	// than showing zeros. It must not be a nil pointer in a non-nil
	// interface.
	Setpoints SetpointCounter
	// Routing, when set, says whether the desk's adapters reach a charger
	// (the desk passes its guard's Route, with --adapters): a pending
	// event's page says how many of its plan's chargers they do not reach,
	// and enter refuses a plan none of whose chargers they reach, declining
	// it on the record, as `v2gdesk dispatch --yes` does. Nil: every
	// charger is reached (the demo's simulator) or nothing can be sent.
	Routing func(charger string) (adapters.RouteFault, string)
	// Routes names what routes the setpoints in those sentences
	// ("--adapters site.json").
	Routes string
	// Damage is what reading the recording a replay plays held back
	// (skipped lines, time jumps, an early stop): the footer says so in a
	// line from the start until the first key, and the header marks the
	// replay as damaged while it plays. Nil, or nothing in it: a whole file.
	Damage *RecordingDamage
	// Loading names the recording a replay is loading ("day.v2grec"):
	// until the source delivers its first frame the header says it is
	// loading it, where it would otherwise read DOWN (or "no data"), and so
	// does the body. Empty: any other source.
	Loading string
	// Reading, for a replay whose recording is read while it plays, says
	// how far the reading has got and what the player waits for: the
	// header says so while a seek waits for a part not read yet ("◌
	// loading 14:00… (read to 11:32, 45%)"), and the damage the reading has
	// found so far stands in for Damage. It is called on every frame drawn,
	// so it must be cheap and safe for concurrent use. Nil: the recording
	// was read whole, or any other source.
	Reading func() Reading
}

// SetpointCounter is the guard the desk's setpoints leave through, as the
// overview sees it: its counters since the desk started. Stats is called
// on every frame drawn, so it must be cheap and safe for concurrent use
// (*adapters.Guard copies its counters under a lock).
type SetpointCounter interface {
	Stats() adapters.GuardStats
}

// The operator roles Options.Role takes; it is empty for a local desk.
const (
	RoleViewer     = "viewer"
	RoleDispatcher = "dispatcher"
	RoleAdmin      = "admin"
)

// Plan is a load plan or forecast.
type Plan interface {
	// SystemPlanKW returns one value per minute from from (inclusive) to to
	// (exclusive): the planned system load in kW, NaN where there is none.
	SystemPlanKW(from, to time.Time) []float64
}

// EventLister gives the DR events entered by operators (the dispatch
// workflow), to list beside those the feed announced.
type EventLister interface {
	OperatorEvents() []feeds.EventFrame
}

// Clock is a Control that runs its own clock (replay or simulation time).
type Clock interface {
	Now() time.Time
}

// Pauser is a Control that can pause.
type Pauser interface {
	Paused() bool
	Pause()
	Resume()
}

// SpeedSetter is a Control whose speed can change.
type SpeedSetter interface {
	Speed() float64
	SetSpeed(float64) error
}

// Seeker is a Control that can jump in time.
type Seeker interface {
	Seek(time.Time) error
}

// SeekChecker is a Seeker that can say whether it would refuse a seek
// (outside the recording, backwards on a simulation) before the desk
// journals the seek and tells the other operators of it.
type SeekChecker interface {
	CheckSeek(time.Time) error
}

// EndHolder is a control that holds at the end of its recording
// (replay.Player with HoldAtEnd) or simulated day (the dashboard's
// in-process simulator): once the source has ended, a seek back still
// plays, where another ended source's clock has stopped for good.
type EndHolder interface {
	HoldsAtEnd() bool
}

// Looper is a control that starts its recording again at the end
// (replay.Player with Loop): Loops counts the restarts so far.
type Looper interface {
	Loops() uint64
}

// TOUKind is a time-of-use price period.
type TOUKind string

// The time-of-use periods (峰平谷).
const (
	TOUValley TOUKind = "valley"
	TOUFlat   TOUKind = "flat"
	TOUPeak   TOUKind = "peak"
)

// TOUBand is one price period, From (inclusive) to To (exclusive) as
// durations since local midnight.
type TOUBand struct {
	From, To time.Duration
	Kind     TOUKind
}

func (k TOUKind) glyph() rune {
	switch k {
	case TOUValley:
		return '░'
	case TOUFlat:
		return '▒'
	case TOUPeak:
		return '▓'
	}
	return ' '
}

// bandAt returns the band holding time of day d, or a zero band.
func bandAt(bands []TOUBand, d time.Duration) TOUKind {
	for _, b := range bands {
		if d >= b.From && d < b.To {
			return b.Kind
		}
	}
	return ""
}

// What Options.Refused is told a viewer tried to do.
const (
	RefusedAlarm    = "alarm"    // acknowledge, shelve or unshelve an alarm
	RefusedDispatch = "dispatch" // propose, edit, confirm, decline, cancel or extend a DR event
	RefusedClock    = "clock"    // pause, speed up or seek a shared simulation or replay
)

// The kinds Options.Act is asked about; the SSH desk journals them as they
// are.
const (
	ActAlarmAck      = "alarm_ack"      // acknowledge an alarm
	ActAlarmShelve   = "alarm_shelve"   // shelve an alarm, with a reason
	ActAlarmUnshelve = "alarm_unshelve" // unshelve an alarm
	ActClockPause    = "clock_pause"    // pause a shared simulation or replay
	ActClockResume   = "clock_resume"   // resume it
	ActClockSpeed    = "clock_speed"    // set its speed
	ActClockSeek     = "clock_seek"     // move it to another time
)

// Actions returns every action the dashboard asks Options.Refused about
// (Refused*) and every kind it asks Options.Act about (Act*), for the table
// that gives each the permission it needs and for that table's test.
func Actions() []string {
	return []string{
		RefusedAlarm, RefusedDispatch, RefusedClock,
		ActAlarmAck, ActAlarmShelve, ActAlarmUnshelve,
		ActClockPause, ActClockResume, ActClockSpeed, ActClockSeek,
	}
}
