package tui

import "github.com/charmbracelet/bubbles/key"

// Once the source has ended, the footer is what a presenter reads to go on
// (help, open, back, quit), but the keys left after the DR and clock keys
// are dropped still overflowed 80 columns, and the footer's cut from the
// end took q quit first. An ended footer that does not fit gives up its
// least useful keys instead, in endedDropOrder, and keeps its order on
// screen.

// endedDropOrder is the order in which an ended footer gives up keys that
// do not fit: sorting and freezing a day that no longer moves first, then
// the ways to look around, and acknowledging last. Help and quit are never
// given up: help lists what was dropped, and quit is how a presenter ends.
func (k *keyMap) endedDropOrder() []*key.Binding {
	return []*key.Binding{&k.Reverse, &k.Sort, &k.Freeze, &k.Triage, &k.Filter, &k.Command, &k.Shelve, &k.Enter, &k.Back, &k.Ack}
}

// fitEnded disables k's keys in endedDropOrder until its short help, as m
// draws it, is at most cells wide (or nothing is left to give up).
func (m *Model) fitEnded(k *keyMap, cells int) {
	h := m.help
	h.Width = 0 // whole: the measure must not be cut
	for _, b := range k.endedDropOrder() {
		if width(h.ShortHelpView(k.ShortHelp())) <= cells {
			return
		}
		b.SetEnabled(false)
	}
}
