package main

import (
	"context"
	"errors"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// sourceEndedWhen says where event id was when its source ended at at
// (zero when unknown), for followEvent's last line: before the end of its
// window, or with the window over and its chargers not yet handed back
// (the event stays active after its window until releasing them is safe).
// It said "before DR-1's end at 23:00" of a source that ended at 00:00,
// in the event's hand-back.
func sourceEndedWhen(at time.Time, id string, ev feeds.EventFrame, loc *time.Location) string {
	end := ev.End.In(loc).Format("15:04") + control.DayMark(ev.End, ev.Start, loc)
	switch {
	case at.IsZero() || at.Before(ev.End):
		return "before " + id + "'s end at " + end
	case at.Equal(ev.End):
		return "as " + id + "'s window ended, before its chargers were handed back"
	default:
		return "after " + id + "'s window ended at " + end + ", before its chargers were handed back"
	}
}

// stopCause is why following stopped, for the journal's dispatch_cancel and
// the last line: Ctrl-C or SIGTERM in words, another error as it is. Both
// read "context canceled", which an auditor cannot tell from a fault.
func stopCause(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted by Ctrl-C or SIGTERM"
	}
	return err.Error()
}
