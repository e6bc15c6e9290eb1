package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// v2gHours is how far ahead the V2G outlook looks.
const v2gHours = 4

// derived holds figures computed from one snapshot, rebuilt only when a
// newer snapshot is displayed and only when a visible view needs them.
type derived struct {
	seq     uint64
	have    bool
	v2gNext [v2gHours * 2]float64 // discharge kW at each half hour ahead
}

// v2gOutlook returns the discharge capacity over the next hours, one value
// per half hour. It scales the fleet's DischargeKW by the share of the
// plugged bidirectional chargers' discharge power still plugged at each
// time by their declared departures (unknown departure: stays), so the
// first value is the fleet's own figure.
func (m *Model) v2gOutlook() []float64 {
	s := m.snap
	if m.derived.have && m.derived.seq == s.Seq {
		return m.derived.v2gNext[:]
	}
	var present [v2gHours * 2]float64
	now := s.At
	for i, n := 0, s.NumChargers(); i < n; i++ {
		c := s.ChargerAt(i)
		if !c.Seen || c.Stale || !c.Last.Plugged || !c.Bidirectional() {
			continue
		}
		if c.Last.State == feeds.StateFaulted || c.Last.State == feeds.StateOffline {
			continue
		}
		for k := range present {
			at := now.Add(time.Duration(k) * 30 * time.Minute)
			if c.Last.Departure == nil || c.Last.Departure.After(at) {
				present[k] += c.MaxDischargeKW
			}
		}
	}
	for k := range present {
		v := 0.0
		if present[0] > 0 {
			v = s.V2G.DischargeKW * present[k] / present[0]
		}
		m.derived.v2gNext[k] = v
	}
	m.derived.seq, m.derived.have = s.Seq, true
	return m.derived.v2gNext[:]
}
