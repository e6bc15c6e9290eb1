package tui

import "fmt"

// pluggedAll is the EVs plugged in by every charger's latest frame, stale
// or not: the sum of the feeder rows' EVs column (FeederState.Plugged).
func (m *Model) pluggedAll() int {
	n := 0
	for i := range m.snap.Feeders {
		n += m.snap.Feeders[i].Plugged
	}
	return n
}

// v2gPluggedWide is the V2G box's count line in w cells. The V2G figures
// count only the EVs usable now (fresh, plugged, neither faulted nor
// offline: docs/protocol.md), the feeder rows every plugged charger; where
// the box counts fewer, during a link loss above all, it says which it
// counts: "0 plugged" stood beside feeder rows of 163 EVs. (It cannot
// count more, the usable being plugged; if the feeder rows missed some
// chargers it would, and its own count stands alone.)
func (m *Model) v2gPluggedWide(w int) string {
	t := m.tr.t
	v := m.snap.V2G
	usable, bidi := thousands(int64(v.Plugged)), thousands(int64(v.Bidirectional))
	all := m.pluggedAll()
	if v.Plugged >= all {
		return usable + " " + pluralForm(v.Plugged, t("EV plugged"), t("EVs plugged")) + " · " + bidi + " " + t("V2G-capable")
	}
	of := thousands(int64(all))
	lines := []string{
		plural(all, t("%s usable of %s EV plugged · %s V2G-capable"), t("%s usable of %s EVs plugged · %s V2G-capable"), usable, of, bidi),
		fmt.Sprintf(t("%s usable of %s plugged · %s V2G"), usable, of, bidi),
	}
	for _, l := range lines {
		if width(l) <= w {
			return l
		}
	}
	return m.v2gPluggedShort()
}

// v2gPluggedShort is the compact V2G line's count: "74 plugged", or,
// where the usable EVs are fewer than the plugged ones, "0 usable of 163
// plugged" (v2gPluggedWide says why).
func (m *Model) v2gPluggedShort() string {
	v := m.snap.V2G
	if all := m.pluggedAll(); v.Plugged < all {
		return fmt.Sprintf(m.tr.t("%s usable of %s plugged"), thousands(int64(v.Plugged)), thousands(int64(all)))
	}
	// A count of EVs, not of chargers: zh-CN counts them in 辆 as the
	// wide layout's "EVs plugged" does; English keeps it short.
	return fmt.Sprintf(m.tr.t("%s plugged"), thousands(int64(v.Plugged)))
}
