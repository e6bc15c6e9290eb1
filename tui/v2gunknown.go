package tui

import "github.com/v2gdesk/v2gdesk/feeds"

// v2gUnknown reports whether v's figures say nothing: chargers were left
// out for want of a fresh frame, plugged ones gone stale (StalePlugged) or
// ones never heard from (Unheard), and none was counted. During a link
// loss, or before a desk's first charger frames, the figures fall to 0,
// which a dispatcher reads as "no flexibility", not "not known".
func v2gUnknown(v feeds.V2GCapacity) bool { return v.Unknown() }

// v2gFigure is text, one of v's figures, as the desk draws it: "—" when
// v2gUnknown, the figure marked stale ("310 ○", as a stale feeder's
// standing alarm reads "▲ HIGH ○") when some of the chargers it would
// count are stale or unheard and it is a floor, else the figure alone.
func (m *Model) v2gFigure(v feeds.V2GCapacity, text string) string {
	switch {
	case v2gUnknown(v):
		return "—"
	case v.Partial():
		return text + m.st.stale.Render(" ○")
	}
	return text
}
