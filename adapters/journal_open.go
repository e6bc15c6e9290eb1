package adapters

import "time"

// OpenOptions tune what OpenJournalWith keeps of the records it reads.
type OpenOptions struct {
	// ForgetBefore, when not zero, forgets while reading what
	// ForgetExpired(ForgetBefore) would forget after it: every id whose
	// setpoint's valid_until is before it, as soon as its outcome is read.
	// A month of a site's journal holds millions of ids; read whole and
	// then forgotten, they took gigabytes at start-up though a re-send of
	// any of them can only be refused as expired.
	ForgetBefore time.Time
	// NoSetpoints keeps no setpoint id at all (no outcome, first use or
	// last-sent time): the journal of a desk that cannot send (a live
	// feed without adapters) only records actions, and holding a month's
	// ids for it would take gigabytes for nothing. The scan still checks
	// and reports every line (torn tail, corrupt lines, seq breaks). A
	// Guard must not be made on such a journal: it could not answer a
	// re-send from it.
	NoSetpoints bool
}

// OpenOptionsFor returns the OpenOptions of a journal a guard made with
// opts will use: ids forgotten by the cutoff NewGuard forgets them by (its
// clock's now less the batch timeout). A simulated clock, days before the
// journal's wall-clock times, forgets none, as NewGuard does.
func OpenOptionsFor(opts GuardOptions) OpenOptions {
	now, timeout := opts.Now, opts.BatchTimeout
	if now == nil {
		now = time.Now
	}
	if timeout <= 0 {
		timeout = DefaultBatchTimeout
	}
	return OpenOptions{ForgetBefore: now().Add(-timeout)}
}
