package adapters

import (
	"log/slog"
	"maps"
	"slices"
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
	since   time.Time // when this spell of failures began
	last    time.Time // when a line about it was last logged
	// quiet counts the failures not logged since last, and quietItems
	// what they left out by kind ("setpoints_not_sent": 64); spell and
	// spellItems, every failure of the spell. A kind in spellItems has
	// had its first failure logged.
	quiet, spell           int
	quietItems, spellItems map[string]int
}

// newJournalLog returns a journalLog on the wall clock.
func newJournalLog() *journalLog {
	return &journalLog{now: time.Now, every: journalLogEvery, quietItems: map[string]int{}, spellItems: map[string]int{}}
}

// failed logs, or counts for the next summary, an append that failed with
// err: msg says what was not journalled, kind names its items in the
// counts ("setpoints_not_sent"), n how many it left out, attrs the rest.
func (l *journalLog) failed(log *slog.Logger, msg, kind string, n int, err error, attrs ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.failing {
		l.failing, l.since, l.last = true, now, now
	}
	l.spell++
	_, logged := l.spellItems[kind]
	l.spellItems[kind] += n
	if !logged {
		// The first of its kind is logged whole, at once.
		log.Error(msg, append([]any{"err", err, "count", n}, attrs...)...)
		return
	}
	l.quiet++
	l.quietItems[kind] += n
	if now.Sub(l.last) < l.every {
		return
	}
	log.Error("audit journal still failing", append(append([]any{"failures", l.quiet}, counts(l.quietItems)...),
		"since", l.since, "failures_since", l.spell, "err", err)...)
	l.last, l.quiet = now, 0
	clear(l.quietItems)
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
	log.Warn("audit journal written again", append(append([]any{"failed_for", l.now().Sub(l.since).Round(time.Second), "failures", l.spell},
		counts(l.spellItems)...), "failures_not_logged_before", l.quiet)...)
	l.failing, l.since, l.last, l.quiet, l.spell = false, time.Time{}, time.Time{}, 0, 0
	clear(l.quietItems)
	clear(l.spellItems)
}

// counts is items as log attributes, in the order of their names.
func counts(items map[string]int) []any {
	var out []any
	for _, k := range slices.Sorted(maps.Keys(items)) {
		out = append(out, k, items[k])
	}
	return out
}
