package alarm

import "cmp"

// WorseFirst orders alarms for every list that shows them (the alarms
// view's Board, the overview's worst unacknowledged): what an operator must
// look at first at 3 a.m., not the latest to arrive. Newest first among
// equals listed a feeder at 101 % above one at 108 %.
//
// The order: by state (unacknowledged, returned-unacknowledged,
// acknowledged, shelved), a condition that still holds before one that has
// returned to normal, highest priority, lost telemetry first among its
// priority (every other figure is frozen while it lasts), most severe,
// among loading alarms the higher loading, then the one that has waited
// longest (lowest Seq: the order in which alarms last asked for
// attention; Last also moves when an alarm eases, which asks for nothing),
// then by ID so that the order is total.
func WorseFirst(a, b Alarm) int {
	if c := cmp.Compare(stateRank(a.State), stateRank(b.State)); c != 0 {
		return c
	}
	if a.Active != b.Active {
		if a.Active {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
		return c
	}
	if la, lb := feedLost(a.Kind, a.Source), feedLost(b.Kind, b.Source); la != lb {
		if la {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if a.Kind == KindLoading && b.Kind == KindLoading {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(a.Seq, b.Seq); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// stateRank orders states in the list: what needs an operator first.
func stateRank(s State) int {
	switch s {
	case StateUnack:
		return 0
	case StateRTNUnack:
		return 1
	case StateAcked:
		return 2
	default:
		return 3
	}
}
