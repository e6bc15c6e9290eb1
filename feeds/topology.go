package feeds

import (
	"log/slog"
	"time"
)

// topology is the site as the latest hello declares it. It is immutable once
// built and shared by the Fleet and every Snapshot taken under it.
type topology struct {
	site        string
	mode        Mode // what the hello says the feed is (ModeOf)
	loc         *time.Location
	system      *SystemInfo
	feeders     []FeederInfo
	feederIdx   map[string]int
	chargers    []ChargerInfo
	chargerIdx  map[string]int
	static      []chargerStatic // per charger, what the V2G pass needs, packed
	feederCount []int           // chargers on each feeder
}

// chargerStatic is the part of a charger's topology the snapshot's charger
// pass reads, packed to keep that pass in cache.
type chargerStatic struct {
	maxChargeKW, maxDischargeKW float64
	feeder                      int32 // index in feeders
}

// buildTopology checks a hello for consistency (RejectBadTopology: duplicate
// ids, a charger on an undeclared feeder) and indexes it. An unknown time
// zone is not a reason to lose the feed: the site is shown in UTC and the
// problem logged.
func buildTopology(h *Hello, log *slog.Logger) (*topology, *RejectError) {
	t := &topology{
		site:        h.Site,
		mode:        ModeOf(h.Mode),
		loc:         time.UTC,
		feeders:     h.Feeders,
		feederIdx:   make(map[string]int, len(h.Feeders)),
		chargers:    h.Chargers,
		chargerIdx:  make(map[string]int, len(h.Chargers)),
		static:      make([]chargerStatic, len(h.Chargers)),
		feederCount: make([]int, len(h.Feeders)),
	}
	if h.System != nil {
		sys := *h.System
		t.system = &sys
	}
	for i, f := range h.Feeders {
		if _, dup := t.feederIdx[f.ID]; dup {
			return nil, reject(RejectBadTopology, "hello %q: feeder %q declared twice", h.Site, f.ID)
		}
		t.feederIdx[f.ID] = i
	}
	for i, c := range h.Chargers {
		if _, dup := t.chargerIdx[c.ID]; dup {
			return nil, reject(RejectBadTopology, "hello %q: charger %q declared twice", h.Site, c.ID)
		}
		fi, ok := t.feederIdx[c.Feeder]
		if !ok {
			return nil, reject(RejectBadTopology, "hello %q: charger %q is on feeder %q, which the hello does not declare", h.Site, c.ID, c.Feeder)
		}
		t.chargerIdx[c.ID] = i
		t.static[i] = chargerStatic{maxChargeKW: c.MaxChargeKW, maxDischargeKW: c.MaxDischargeKW, feeder: int32(fi)}
		t.feederCount[fi]++
	}
	if h.TimeZone != "" {
		loc, err := time.LoadLocation(h.TimeZone)
		if err != nil {
			log.Warn("hello: unknown time zone, showing the site in UTC", "site", h.Site, "tz", h.TimeZone, "err", err)
		} else {
			t.loc = loc
		}
	}
	return t, nil
}
