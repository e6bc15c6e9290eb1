package tui

import "github.com/v2gdesk/v2gdesk/feeds"

// v2gUnknown reports whether v's figures say nothing: plugged chargers were
// left out for being stale (StalePlugged) and none was counted. During a
// link loss every charger is stale and the figures fall to 0, which a
// dispatcher reads as "no flexibility", not "not known".
func v2gUnknown(v feeds.V2GCapacity) bool {
	return v.StalePlugged > 0 && v.Plugged == 0
}

// v2gFigure is text, one of v's figures, as the desk draws it: "—" when
// v2gUnknown, the figure marked stale ("310 ○", as a stale feeder's
// standing alarm reads "▲ HIGH ○") when some of its plugged chargers are
// stale and it is a floor, else the figure alone.
func (m *Model) v2gFigure(v feeds.V2GCapacity, text string) string {
	switch {
	case v2gUnknown(v):
		return "—"
	case v.StalePlugged > 0:
		return text + m.st.stale.Render(" ○")
	}
	return text
}
