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
		m.setFlash(m.tr.t("the recording played to its end: playing it again from its start (--loop)"), false)
	}
}
