package main

import (
	"fmt"
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// wrapOvernight makes the demo day a steady-state weekday: as if every
// session came back at the same time each day, the session's copies that
// plugged in on earlier days and are still plugged in at 00:00 are added,
// plugged in from 00:00: last evening's car until the session's plug-out
// less 24 h, and, for the few sessions that last past the second midnight
// (plugged in late, up to 36 h), the car of the evening before until its
// plug-out less 48 h. Without them the early morning has almost no EVs,
// where a real residential weekday has most of last evening's cars still
// plugged in, which is what overnight valley filling works with.
//
// A copy's state of charge at 00:00 is what the session would hold after
// charging unmanaged (full power, as the simulator does without setpoints)
// from its plug-in to that midnight, and it wants the rest of the session's
// energy, so the copy continues the session: the same target, and
// unmanaged load continuous across midnight. It keeps the session's
// feeder, power, battery and V2G ability, and its charger: the charger
// hosts last evening's car until that plugs out (the session's plug-out
// less a day), then tonight's. A session that lasts more than a day cannot
// take turns with its copies (a copy plugs out after the session plugs in,
// and two copies are both there at 00:00), so its copies get chargers of
// their own, numbered on from the last session's (CP-3001… in the demo).
// A copy gets its own id, numbered on from the last session, in the order
// of the sessions it continues. It returns how many sessions it added and
// how many of them got a charger of their own.
func wrapOvernight(sc *scenario.Scenario, day time.Time) (added, ownCharger int) {
	n := len(sc.Sessions)
	for i := 0; i < n; i++ {
		s := sc.Sessions[i]
		turns := s.Plugout.Sub(s.Plugin) <= 24*time.Hour
		arrival := s.ArrivalKWh()
		need := s.TargetKWh() - arrival // battery side
		for k := 1; ; k++ {
			midnight := day.AddDate(0, 0, k)
			if !s.Plugout.After(midnight) {
				break
			}
			charged := math.Min(need, sc.ChargeEfficiency*s.MaxKW*midnight.Sub(s.Plugin).Hours())
			w := s
			w.ID = fmt.Sprintf("S-%04d", n+added+1)
			if !turns {
				ownCharger++
				w.Charger = fmt.Sprintf("CP-%04d", n+ownCharger)
			}
			w.Plugin = day
			w.Plugout = s.Plugout.Add(-time.Duration(k) * 24 * time.Hour)
			w.EnergyKWh = round(math.Max(0, need-charged), 100)
			// ArrivalSoC zero would mean "derive it": the smallest positive
			// value keeps an empty battery empty to four decimals
			w.ArrivalSoC = math.Max(round((arrival+charged)/s.BatteryKWh, 10000), 1e-4)
			sc.Sessions = append(sc.Sessions, w)
			added++
		}
	}
	return added, ownCharger
}
