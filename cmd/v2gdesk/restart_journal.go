package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// journalRestart records that the simulator serving the desk's --feed
// started its day over (a restart signal, docs/protocol.md, Restart) and
// dropped the setpoints in force: the setpoint records before it are no
// longer in force, whatever their validity says. Nothing without a
// journal; a failed write is logged.
func journalRestart(j *adapters.Journal, r feeds.RestartSignal, log *slog.Logger) {
	if j == nil {
		return
	}
	if err := j.Append(restartRecord(r)); err != nil {
		log.Error("the simulator's restart was not journalled", "err", fmt.Errorf("journal %s: %w", j.Path(), err))
	}
}

// restartRecord is the journal record of restart r.
func restartRecord(r feeds.RestartSignal) adapters.Record {
	what := fmt.Sprintf("%d setpoints", r.Dropped)
	if r.Dropped == 1 {
		what = "1 setpoint"
	}
	return adapters.Record{Kind: adapters.RecFeedRestart,
		Reason: fmt.Sprintf("the simulator started its day over at %s and dropped %s in force", r.At.Format("15:04"), what),
		Detail: fmt.Sprintf("at=%s dropped=%d", r.At.Format(time.RFC3339), r.Dropped)}
}
