package tui

import (
	"cmp"
	"slices"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// worstUnacked returns the unacknowledged alarms of as, worst first: what a
// dispatcher must look at first at 3 a.m., not the latest to arrive. The
// board lists newest first among equals, so two HIGH loading alarms showed
// the newer, milder one on the overview.
func worstUnacked(as []alarm.Alarm) []alarm.Alarm {
	var out []alarm.Alarm
	for _, a := range as {
		if a.Unacknowledged() {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, worseFirst)
	return out
}

// worseFirst orders alarms worst first: a condition that still holds before
// one that has returned to normal, then highest priority (lost telemetry
// leading it), then most severe
// (among loading alarms, the higher loading), then the one that has waited
// longest for an acknowledgement.
func worseFirst(a, b alarm.Alarm) int {
	if a.Active != b.Active {
		if a.Active {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
		return c
	}
	// Lost telemetry leads its priority, as on the alarms view: every
	// other figure is frozen while it lasts.
	if la, lb := telemetryLost(a), telemetryLost(b); la != lb {
		if la {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if a.Kind == alarm.KindLoading && b.Kind == alarm.KindLoading {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
	}
	if c := a.Last.Compare(b.Last); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// telemetryLost reports whether a is the whole feed's link down or silent.
func telemetryLost(a alarm.Alarm) bool {
	return a.Source == "feed" && (a.Kind == alarm.KindFeedDown || a.Kind == alarm.KindStaleFeed)
}
