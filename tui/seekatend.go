package tui

// holdsAtEnd reports whether the desk's control holds at the end of its
// recording or simulated day (EndHolder): a presenter at the end of a
// replayed day, or of the in-process demo day, can :seek back to show it
// again.
func (m *Model) holdsAtEnd() bool {
	h, ok := m.opts.Control.(EndHolder)
	return ok && h.HoldsAtEnd()
}
