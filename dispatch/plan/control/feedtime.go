package control

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// feedEventTime is when the feed sent event id, in the site's time zone:
// the data time its frame came at (Snapshot.EventHeardAt), or the
// snapshot's time when the fleet does not say. A seek's catch-up hands a
// skipped span's events over late, and the controller takes them only
// once it is in (Step), but each was proposed when the feed sent it.
func feedEventTime(id string, snap *feeds.Snapshot) time.Time {
	at := snap.EventHeardAt(id)
	if at.IsZero() {
		at = snap.At
	}
	return at.In(locOf(snap))
}

// proposedDataTS is the data time a feed event's dispatch_propose record
// carries: when the feed sent it (feedEventTime), on a simulated or
// replayed day, where the journal dates records by the data clock
// (adapters.Journal.SetDataClock) and would otherwise give the time the
// desk got round to it: during a seek's catch-up, whatever time the
// catch-up had reached. A live feed's record has none: its wall time (TS)
// is the time, as for every record of a live desk.
func proposedDataTS(sent time.Time, snap *feeds.Snapshot) *time.Time {
	if snap.FeedMode != feeds.ModeSimulation && snap.FeedMode != feeds.ModeReplay {
		return nil
	}
	// To the second, in the site's zone (sent is), as the journal's data
	// clock writes every other record's (feeds.Fleet.DataTime).
	at := sent.Truncate(time.Second)
	return &at
}
