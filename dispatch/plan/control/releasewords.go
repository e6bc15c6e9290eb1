package control

import (
	"fmt"
	"time"
)

// The sentences of a hand-back's release time, in the journal's English:
// the notice of a forced release (ReleaseDue.Text), an extension's
// (ExtendText) and the latest release time (ReleasedByText). A desk words
// them by the same functions with its own Words, so the journal and the
// screen cannot say different things (ReleaseFormats lists them for its
// translation check).
const (
	fmtReleaseDue    = "chargers will be released at %s (the %s hand-back limit)"
	fmtReleaseDueIn  = "chargers will be released at %s (in %d min)"
	fmtReleaseAt     = "chargers released at %s"
	fmtThough        = "%s, though %s"
	fmtReleasedBy    = "chargers will be released at %s at the latest"
	fmtExtendedBy    = "hand-back extended by %s: %s"
	fmtExtendedByWas = "hand-back extended by %s: %s (was %s)"
)

// ReleaseFormats lists every sentence ReleaseDue.Text, ExtendText and
// ReleasedByText hand to Words.T, for a desk's translation check.
func ReleaseFormats() []string {
	return []string{fmtReleaseDue, fmtReleaseDueIn, fmtReleaseAt, fmtThough, fmtReleasedBy, fmtExtendedBy, fmtExtendedByWas, fmtHours}
}

// ReleaseDue is the notice of a hand-back's forced release: its chargers
// are released At, Hold after the window ended (the hand-back limit and
// its extensions), though releasing them would take the scope over its
// limit (HandBack, the latest check).
type ReleaseDue struct {
	At       time.Time
	Hold     time.Duration
	HandBack HandBack
	// Now, when set (a desk's screen), words the time left to At in
	// minutes in place of the hand-back limit: a dispatcher acts on the
	// minutes; the journal, written once, keeps the limit.
	Now time.Time
}

// Text is the notice in words: "chargers will be released at 01:00 (the 4 h
// hand-back limit), though charging would take F10 to 2,058 kW (136%) at
// 00:45 (limit 1,510 kW)"; with Now, "chargers will be released at 01:00 (in 25
// min), though …".
func (r ReleaseDue) Text(words Words) string {
	var s string
	switch {
	case r.Now.IsZero():
		s = fmt.Sprintf(words.T(fmtReleaseDue), words.Clock(r.At), words.hours(r.Hold))
	case r.Now.Before(r.At):
		s = fmt.Sprintf(words.T(fmtReleaseDueIn), words.Clock(r.At), minutesLeft(r.Now, r.At))
	default:
		s = fmt.Sprintf(words.T(fmtReleaseAt), words.Clock(r.At))
	}
	if why := r.HandBack.Text(words); why != "" {
		s = fmt.Sprintf(words.T(fmtThough), s, why)
	}
	return s
}

// minutesLeft is the whole minutes from now to at, rounded up: "in 1 min"
// until the minute it happens.
func minutesLeft(now, at time.Time) int {
	d := at.Sub(now)
	m := int(d / time.Minute)
	if d%time.Minute > 0 {
		m++
	}
	return m
}

// ReleaseDueText is the notice of a forced release as the journal records
// it: "chargers will be released at 01:00 (the 4 h hand-back limit), though
// charging would take F10 to 2,058 kW (136%) at 00:45 (limit 1,510 kW)".
func ReleaseDueText(at time.Time, hold time.Duration, h HandBack) string {
	return ReleaseDue{At: at, Hold: hold, HandBack: h}.Text(JournalWords())
}

// ReleasedByText is a hand-back's latest release time in words: "chargers
// released at 01:00 at the latest".
func ReleasedByText(words Words, at time.Time) string {
	return fmt.Sprintf(words.T(fmtReleasedBy), words.Clock(at))
}

// ExtendText is an extension of a hand-back by d in words: "hand-back
// extended by 1 h: chargers will be released at 02:00 at the latest (was 01:00)";
// without was (zero), the release time alone.
func ExtendText(words Words, d time.Duration, at, was time.Time) string {
	if was.IsZero() {
		return fmt.Sprintf(words.T(fmtExtendedBy), words.hours(d), ReleasedByText(words, at))
	}
	return fmt.Sprintf(words.T(fmtExtendedByWas), words.hours(d), ReleasedByText(words, at), words.Clock(was))
}
