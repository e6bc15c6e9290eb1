package tui

// noteLoop tells, in the footer, that a looping replay (Looper) has
// started its recording again: the clock jumped back to the start with
// nothing on screen to say why, in front of an audience.
func (m *Model) noteLoop() {
	l, ok := m.opts.Control.(Looper)
	if !ok {
		return
	}
	if n := l.Loops(); n > m.loopsSeen {
		m.loopsSeen = n
		text := m.tr.t("the recording played to its end: playing it again from its start (--loop)")
		if m.w > 0 && width(text)+footerKeysMin > m.w-1 {
			// Too long to sit beside the keys, it took the whole footer
			// for its 6 seconds (at 80 columns in English), ? help with
			// it: the short form leaves the keys their room.
			text = m.tr.t("replay restarted from its start (--loop)")
		}
		m.setFlash(text, false)
	}
}

// footerKeysMin is the room a message leaves the footer's keys, at least,
// or the footer gives the message the whole line (footerLine).
const footerKeysMin = 12
