package adapters

import (
	"log/slog"
	"sync"
	"time"
)

// journalLogEvery is how often, while the journal keeps failing, the guard
// logs a line summing up the failures since its last: a desk on a full disk
// re-plans and retries every couple of seconds, and a line per failure
// (four a retry) filled the disk further.
const journalLogEvery = 5 * time.Minute

// journalLog collapses the guard's log lines about a failing journal into
// the first failure of each kind, logged at once, a summary every
// journalLogEvery with how many failures it stands for, and a line when
// an append succeeds again. Nothing is lost from the counts: every failure
// is in one line or another, and the journal's Health counts them all.
// Safe for concurrent use.
type journalLog struct {
	mu    sync.Mutex
	now   func() time.Time // wall clock; tests set a fake one
	every time.Duration

	failing bool
	since   time.Time       // when this spell of failures began
	last    time.Time       // when a line about it was last logged
	logged  map[string]bool // kinds of failure logged at once this spell
	// quiet and quietSetpoints are the failures not logged since last,
	// and the setpoints they concerned; spell and spellSetpoints, every
	// failure of the spell.
	quiet, quietSetpoints int
	spell, spellSetpoints int
}

// newJournalLog returns a journalLog on the wall clock.
func newJournalLog() *journalLog {
	return &journalLog{now: time.Now, every: journalLogEvery, logged: map[string]bool{}}
}

// failed logs, or counts for the next summary, an append that failed with
// err: msg says what was not journalled, setpoints how many setpoints it
// concerned, attrs the rest.
func (l *journalLog) failed(log *slog.Logger, msg string, err error, setpoints int, attrs ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.failing {
		l.failing, l.since, l.last = true, now, now
	}
	l.spell++
	l.spellSetpoints += setpoints
	if !l.logged[msg] {
		// The first of its kind is logged whole, at once.
		l.logged[msg] = true
		log.Error(msg, append([]any{"err", err, "count", setpoints}, attrs...)...)
		return
	}
	l.quiet++
	l.quietSetpoints += setpoints
	if now.Sub(l.last) < l.every {
		return
	}
	log.Error("audit journal still failing", "failures", l.quiet, "setpoints", l.quietSetpoints,
		"since", l.since, "failures_since", l.spell, "err", err)
	l.last, l.quiet, l.quietSetpoints = now, 0, 0
}

// ok notes an append that succeeded: after failures, a line says the
// journal is written again, with the spell's totals and the failures no
// line has counted yet.
func (l *journalLog) ok(log *slog.Logger) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.failing {
		return
	}
	log.Warn("audit journal written again", "failed_for", l.now().Sub(l.since).Round(time.Second),
		"failures", l.spell, "setpoints", l.spellSetpoints, "failures_not_logged_before", l.quiet)
	l.failing, l.since, l.last, l.logged = false, time.Time{}, time.Time{}, map[string]bool{}
	l.quiet, l.quietSetpoints, l.spell, l.spellSetpoints = 0, 0, 0, 0
}
