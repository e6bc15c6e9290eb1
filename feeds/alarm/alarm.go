package alarm

import (
	"errors"
	"time"
)

// Kind is the condition an alarm watches.
type Kind string

// The alarm kinds.
const (
	KindLoading        Kind = "loading"    // a feeder's load against its import limit
	KindStaleFeed      Kind = "stale_feed" // the feed, or one feeder, stopped reporting
	KindFault          Kind = "fault"      // a charger reports the faulted state
	KindCommLost       Kind = "comm_lost"  // a charger stopped reporting or is offline
	KindFeedDown       Kind = "feed_down"  // the link to the feed is down
	KindCapMissed      Kind = "cap_missed" // a confirmed DR cap is missed (Options.Conditions)
	feedSource              = "feed"       // Source of feed-wide alarms
	idSep                   = "/"          // between kind and source in an alarm ID
	maxReasonLen            = 200          // longest shelving reason kept
	defaultDeadbandPct      = 3.0          // loading must fall this far below a threshold to clear
	defaultDelayOn          = 30 * time.Second
)

// The default feeder loading thresholds, in percent of the limit in force.
// `v2gdesk status` judges a feeder by the same numbers as the alarm list.
const (
	DefaultWarnPct = 90.0  // △ WARN at or above
	DefaultHighPct = 100.0 // ▲ HIGH at or above
)

// Severity is what an alarm shows as its status glyph and word. It is
// ordered: a larger Severity is more urgent.
type Severity int

// The severities, least urgent first.
const (
	SevNone  Severity = iota // no alarm
	SevStale                 // ○ STALE: no data, so the true state is unknown
	SevFault                 // ✕ FAULT: equipment reports a fault
	SevWarn                  // △ WARN
	SevHigh                  // ▲ HIGH
)

// Priority is the ISA-18.2 priority an alarm is annunciated with.
type Priority int

// The priorities, least urgent first.
const (
	PriorityLow Priority = iota + 1
	PriorityMedium
	PriorityHigh
)

// State is an alarm's ISA-18.2 state. Normal alarms are not listed.
type State int

// The alarm states.
const (
	StateNormal   State = iota // condition clear and acknowledged: not listed
	StateUnack                 // active, unacknowledged
	StateAcked                 // active, acknowledged
	StateRTNUnack              // returned to normal, unacknowledged
	StateShelved               // shelved by an operator
)

// Errors returned by the operator actions. Callers branch on them to tell
// the operator what went wrong.
var (
	ErrUnknownAlarm   = errors.New("no such alarm")
	ErrNotAckable     = errors.New("alarm is not unacknowledged")
	ErrReasonRequired = errors.New("shelving needs a reason")
	ErrNotShelved     = errors.New("alarm is not shelved")
	ErrNoOperator     = errors.New("operator name is empty")
)

// Alarm is one alarm as the list shows it. It is a copy: changing it
// changes nothing in the Engine.
type Alarm struct {
	ID     string // kind/source, stable for the life of the condition
	Kind   Kind
	Source string // feeder or charger id, or "feed"
	Feeder string // the feeder the source belongs to, when known
	// Severity is the level the condition is at now (or was at when it
	// returned to normal).
	Severity Severity
	// Priority is what the alarm is annunciated with: that of Peak, so an
	// unacknowledged HIGH that eased to WARN still sorts and reads high.
	Priority Priority
	State    State
	// Peak and PeakValue are the most severe level and the largest Value the
	// alarm reached since it was last acknowledged (ISA-18.2: an
	// unacknowledged alarm keeps the highest priority it reached, so an
	// operator back at the desk learns that F10 was at 119 % even after it
	// eased to 96 %). Once acknowledged they follow Severity and Value.
	Peak      Severity
	PeakValue float64
	// Active reports whether the condition holds now (also while shelved).
	Active bool
	// Value is the measured figure behind the alarm: loading in percent for
	// KindLoading, seconds without data for the stale kinds.
	Value float64
	// First is when the condition first became active; Last when it last
	// changed (activation, escalation, easing, return to normal). Snapshot clock.
	First, Last time.Time
	// BeganUnseen: the condition already held at the first reading of its
	// source the engine judged, or the first after a gap in its data, so it
	// began at or before First, unseen. A desk that joined a feed during
	// an overload dated the overload from its join, and the feed carries
	// no start (docs/protocol.md): what it did not see it must not claim.
	// Loading alarms only; a catch-up that dates one from its minute
	// history clears it.
	BeganUnseen bool
	// Seq orders alarms by when they last needed attention; larger is newer.
	Seq uint64

	AckedBy      string
	AckedAt      time.Time
	ShelvedBy    string
	ShelvedAt    time.Time
	ShelvedUntil time.Time // zero: until unshelved
	ShelveReason string
}

// Unacknowledged reports whether the alarm waits for an acknowledgement:
// active unacknowledged or returned to normal unacknowledged.
func (a Alarm) Unacknowledged() bool {
	return a.State == StateUnack || a.State == StateRTNUnack
}

// Counts summarises an alarm list.
type Counts struct {
	Unack     int // active or returned, unacknowledged
	Acked     int // active, acknowledged
	Shelved   int
	Active    int      // conditions holding now, shelved or not
	Listed    int      // every alarm not in the normal state
	Highest   Severity // of the active, unshelved alarms
	HighUnack int      // unacknowledged, active and having reached SevHigh
	// HighestUnack is the most severe level an unacknowledged alarm, active
	// or returned, reached (its Peak): what a badge counting the
	// unacknowledged shows.
	HighestUnack Severity
}

// feedLost reports whether an alarm of kind k on source says that all
// telemetry is lost: the link to the feed is down, or the feed is silent.
func feedLost(k Kind, source string) bool {
	return source == feedSource && (k == KindFeedDown || k == KindStaleFeed)
}

func alarmID(k Kind, source string) string { return string(k) + idSep + source }

// priorityOf is the priority an alarm of kind k on source at severity s is
// annunciated with: by severity, except that losing all telemetry (the
// feed's link down or the whole feed silent) is high whatever its glyph.
// Every other figure on the desk is then frozen, the loading alarms
// included, and the operator must know before trusting any of them.
func priorityOf(k Kind, source string, s Severity) Priority {
	if feedLost(k, source) {
		return PriorityHigh
	}
	switch s {
	case SevHigh:
		return PriorityHigh
	case SevWarn, SevFault:
		return PriorityMedium
	default:
		return PriorityLow
	}
}
