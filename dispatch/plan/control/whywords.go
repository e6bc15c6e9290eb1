package control

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// The sentences of the controller's reasons (Why.Text, HandBack.Text), in
// the journal's English. A desk translates each by it (WhyFormats).
const (
	fmtNewSlot        = "new slot %s"
	fmtHandBack       = "hand-back %s"
	fmtSeek           = "seek from %s to %s"
	fmtSeekBack       = "seek back from %s to %s"
	fmtSeekTo         = "seek to %s"
	fmtOverCap        = "over cap: measured %s kW, cap %s kW"
	fmtOverShed       = "over the shed target: measured %s kW, target %s kW"
	fmtExportShort    = "export short: measured %s, target %s kW export"
	fmtDrift          = "drift: measured %s kW, planned %s kW"
	fmtDriftFlow      = "drift: measured %s, planned %s"
	fmtImport         = "%s kW import"
	fmtExport         = "%s kW export"
	fmtReleasedNow    = "%s; if released now, %s"
	fmtReleased       = "window over; released: unmanaged charging stays under the %s kW limit"
	fmtNoHandBackPlan = "window over; released: no hand-back plan (%s)"
	fmtForcedRelease  = "window over; released at the %s hand-back limit, though %s"
	fmtUnconfirmed    = "its window ended before it was confirmed"
	fmtScenarioEnded  = "the scenario ended at %s"
	fmtReplayEnded    = "the replay ended at %s"
	fmtFeedEnded      = "the feed ended at %s"
	fmtEarlierPass    = "the clock went back from %s to %s, before its confirmation: an earlier pass of the day, not planned again"
	fmtWouldTake      = "charging would take %s to %s kW (%s) at %s (limit %s kW)"
	fmtTheSystem      = "the system"
	fmtHours          = "h"
)

// WhyFormats lists every text Why.Text and HandBack.Text hand to Words.T,
// so that a desk can check it translates them all.
func WhyFormats() []string {
	return []string{
		string(WhyConfirmed), string(WhyWindowOver),
		fmtNewSlot, fmtHandBack, fmtSeek, fmtSeekBack, fmtSeekTo,
		fmtOverCap, fmtOverShed, fmtExportShort, fmtDrift, fmtDriftFlow, fmtImport, fmtExport,
		fmtReleasedNow, fmtReleased, fmtNoHandBackPlan, fmtForcedRelease, fmtUnconfirmed,
		fmtScenarioEnded, fmtReplayEnded, fmtFeedEnded, fmtEarlierPass, fmtWouldTake, fmtTheSystem, fmtHours,
	}
}

// Words are how a reason is written out (Why.Text): T translates a
// sentence (one of WhyFormats), the others write its figures. Every field
// but Cause and Mode is required; JournalWords are the journal's.
type Words struct {
	T func(format string) string
	// KW writes a limit or a peak ("4,000"), Load a measured or planned
	// load and an over-cap reason's target, which may be below zero.
	KW, Load func(kw float64) string
	// Clock writes a time of day ("18:15"), Pct a percentage ("102%").
	Clock func(t time.Time) string
	Pct   func(pct float64) string
	// Cause, when set, writes why no hand-back plan could be made from
	// Why.Cause; nil: Why.Err as it is.
	Cause func(w Why) string
	// Mode, when set, names the source that ended in place of Why.Mode
	// (a desk names it as its header does).
	Mode feeds.Mode
}

// JournalWords are the words of the journal, the setpoints' reasons and
// the log: English, loads in whole kW ("3712"), limits and peaks grouped
// ("4,000"), times as given (in the site's zone).
func JournalWords() Words {
	return Words{
		T:     func(s string) string { return s },
		KW:    numtext.KW,
		Load:  func(kw float64) string { return fmt.Sprintf("%.0f", kw) },
		Clock: func(t time.Time) string { return t.Format("15:04") },
		Pct:   func(p float64) string { return fmt.Sprintf("%.0f%%", math.Floor(p)) },
	}
}

// hours writes a duration in hours as a sentence says it: "4 h", "1.5 h".
func (words Words) hours(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', -1, 64) + " " + words.T(fmtHours)
}

// Text is what releasing the chargers would do, in words (Why.Text): "charging
// would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)"; "" when
// there is no check.
func (h HandBack) Text(words Words) string {
	if h.PeakAt.IsZero() {
		return ""
	}
	scope := h.Scope
	if scope == feeds.ScopeSystem {
		scope = words.T(fmtTheSystem)
	}
	return fmt.Sprintf(words.T(fmtWouldTake), scope, words.KW(h.PeakKW), words.Pct(100*h.PeakKW/h.LimitKW),
		words.Clock(h.PeakAt), words.KW(h.LimitKW))
}
