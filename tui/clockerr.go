package tui

import (
	"errors"
	"fmt"

	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// seekParseError is a :seek argument that is no time the desk reads.
type seekParseError struct{ arg string }

func (e *seekParseError) Error() string {
	return fmt.Sprintf("seek %q: want HH:MM, HH:MM:SS or an RFC 3339 time", e.arg)
}

// clockErrText words, in the operator's language, what the replay's or
// the simulator's clock refused (a seek outside the recording or the
// simulated day, backwards on the simulator, after the replay ended; a
// speed out of range) and a :seek the desk could not read, from the
// figures the errors carry. In English, and for any other error, the
// error as it is.
func (m *Model) clockErrText(err error) string {
	if m.tr.m == nil {
		return m.errText(err)
	}
	t := m.tr.t
	var (
		pe *seekParseError
		re *replay.SeekRangeError
		ee *replay.EndedError
		se *replay.SpeedError
		be *sim.SeekBackwardsError
		xe *sim.PastEndError
		bs *sim.BeforeStartError
	)
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf(t("seek %q: want HH:MM, HH:MM:SS or an RFC 3339 time"), pe.arg)
	case errors.As(err, &re):
		return fmt.Sprintf(t("outside the recording (%s)"), re.Span())
	case errors.As(err, &ee):
		return fmt.Sprintf(t("the replay has ended at %s"), ee.At.Format("2006-01-02 15:04:05"))
	case errors.As(err, &se):
		return fmt.Sprintf(t("speed %s is out of range (allowed %s to %s)"),
			speedText(se.Speed), speedText(replay.MinSpeed), speedText(replay.MaxSpeed))
	case errors.As(err, &be):
		return fmt.Sprintf(t("the simulator cannot seek backwards: it is at %s"), be.At.Format("15:04"))
	case errors.As(err, &xe):
		return fmt.Sprintf(t("the simulated day ends at %s"), xe.End.Format("2006-01-02 15:04"))
	case errors.As(err, &bs):
		return fmt.Sprintf(t("the simulated day starts at %s"), bs.Start.Format("2006-01-02 15:04"))
	}
	// Anything else (a bug, the operating system's) is said to be English.
	return m.drErrText(err)
}
