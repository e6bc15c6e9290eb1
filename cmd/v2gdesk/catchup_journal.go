package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// journalCatchUp returns the alarm engine's OnCatchUp for a desk with the
// journal j: each catch-up that skipped conditions becomes one
// alarm_catch_up record, so what nobody watched is on the record beside
// the clock_seek that caused it, where the log is named only when the
// desk ends. Nil (nothing to record) without a journal. A failed write is
// logged: the summary stays on the alarms page and in the log.
func journalCatchUp(j *adapters.Journal, log *slog.Logger) func(alarm.CatchUp, *feeds.Snapshot) {
	if j == nil {
		return nil
	}
	return func(c alarm.CatchUp, s *feeds.Snapshot) {
		if err := j.Append(catchUpRecord(c, s.Location)); err != nil {
			log.Error("alarm: the catch-up summary was not journalled", "err", fmt.Errorf("journal %s: %w", j.Path(), err))
		}
	}
}

// catchUpRecord is the journal record of catch-up c, its times in loc
// (the site's zone; UTC when nil): Reason the summary the alarms page
// shows, Detail the span, the count of conditions per kind and the first
// alarm.MaxListed of them, as the log names them, then "and N more": a
// record naming each ran to megabytes at 100,000 EVs, one line that
// `v2gdesk audit` reads whole.
func catchUpRecord(c alarm.CatchUp, loc *time.Location) adapters.Record {
	if loc == nil {
		loc = time.UTC
	}
	d := c.Digest(loc, alarm.MaxListed)
	return adapters.Record{Kind: adapters.RecAlarmCatchUp, Reason: tui.CatchUpSummary(c, loc),
		Detail: fmt.Sprintf("from=%s to=%s counts=%q missed=%q", c.From.In(loc).Format(time.RFC3339), c.To.In(loc).Format(time.RFC3339),
			d.Counts, d.Listed)}
}
