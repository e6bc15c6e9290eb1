package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/replay"
)

// journalRefusedSeek returns what a replay's player is told of a seek the
// reading found past the recording's end (replay.Player.OnRefused) on a
// desk with the journal j: a clock_seek_refused record, by operator (whose
// clock_seek it follows), so the journal does not say the clock was sought
// to a time it never reached. Its to= is the clock_seek's, its back= where
// the clock stayed; the summary's times are in loc (the recording's zone;
// UTC when nil). A --start (BeforeRun) is not journalled as a clock_seek, so its
// refusal is not either. A failed write is logged: the screen has said it.
func journalRefusedSeek(j *adapters.Journal, operator string, loc *time.Location, log *slog.Logger) func(replay.RefusedSeek) {
	au := journalAuditor{j}
	if loc == nil {
		loc = time.UTC
	}
	return func(r replay.RefusedSeek) {
		if r.BeforeRun {
			return
		}
		at := func(t time.Time) string { return t.In(loc).Format("15:04") }
		err := au.Record(string(adapters.RecClockSeekRefused), operator, map[string]any{
			// Where the clock stayed is in the reason too: an audit
			// table fitted to 80 columns cuts the detail short.
			"reason":  "after the recording's end " + at(r.End) + " (found once the reading got there); the clock stayed at " + at(r.Back),
			"summary": fmt.Sprintf("seek %s is after the recording's end %s: stays at %s", at(r.Target), at(r.End), at(r.Back)),
			// to= as the clock_seek's (the time the desk sought, as
			// it was given); end= and back= in the recording's zone.
			"to": r.Target, "end": r.End.In(loc), "back": r.Back.In(loc),
		})
		if err != nil {
			log.Error("replay: the refused seek was not journalled", "to", r.Target, "err", err)
		}
	}
}
