package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// extendNoUse says why extending event v's hand-back would change nothing,
// or "" when it would change something: on a simulated day whose end comes
// at or before the hand-back's release, the desk ends the event at the
// day's end, so a later release never comes. Near midnight x was offered
// all the same, and its flash promised a release after the day.
func (m *Model) extendNoUse(v control.EventView) string {
	end, ok := m.scenarioDayEnd()
	if !ok || v.ReleaseAt.IsZero() || v.ReleaseAt.Before(end) {
		return ""
	}
	loc := m.loc()
	return fmt.Sprintf(m.tr.t("the scenario day ends at %s, before the hand-back's release at %s: extending it would change nothing"),
		hhmm(end, loc), hhmm(v.ReleaseAt, loc))
}

// extendedText says that event id's hand-back was extended to at, in the
// operator's language: its chargers released then at the latest or, when
// at is after the scenario day, when the day ends, since the desk ends the
// event there. The flash and the other sessions read "chargers released at
// 03:00 at the latest" on a day that stops at 00:00.
func (m *Model) extendedText(id string, at time.Time) string {
	return m.extendedWords()(id, at)
}

// extendedWordsInEnglish is extendedWords in English, for the others'
// announcement (Announcement.English); the translator is set aside for
// the call, as inEnglish does, and the words keep the English it had.
func (m *Model) extendedWordsInEnglish() func(id string, at time.Time) string {
	tr := m.tr
	m.tr = translator{}
	defer func() { m.tr = tr }()
	return m.extendedWords()
}

// extendedWords is extendedText as a function of the model's state now,
// for a command to word its answer off the model's goroutine.
func (m *Model) extendedWords() func(id string, at time.Time) string {
	t, loc := m.tr.t, m.loc()
	end, dayEnds := m.scenarioDayEnd()
	// The controller's words for the release time, with the zone taken
	// now: whyWords' clock reads the model when called.
	words := m.whyWords()
	words.Clock = func(t time.Time) string { return hhmm(t, loc) }
	return func(id string, at time.Time) string {
		if dayEnds && at.After(end) {
			return fmt.Sprintf(t("extended %s's hand-back to %s, after the scenario day: its chargers are released when the day ends at %s"),
				id, hhmm(at, loc), hhmm(end, loc))
		}
		return fmt.Sprintf(t("extended %s's hand-back: %s"), id, control.ReleasedByText(words, at))
	}
}
