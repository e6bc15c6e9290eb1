package tui

// A presenter's seek back starts the simulator's day over and drops the
// setpoints in force; the desks that sent them still count them until
// their validity (their guard and journal keep their own record). The
// simulator says so after the new day's hello (docs/protocol.md, Restart:
// Snapshot.Stats.LastRestart), and the footer tells the operator once, as
// a notice that stays until the next key: one who looked away still reads
// it. A session that joins after the restart finds it old news.

// noteRestart shows the latest restart signal's notice once, when it
// dropped setpoints.
func (m *Model) noteRestart() {
	s := m.latest
	if s == nil {
		return
	}
	n := s.Stats.Restarts
	if !m.restartKnown {
		m.restartSeen, m.restartKnown = n, true // joined after it: old news
		return
	}
	if n == m.restartSeen {
		return
	}
	m.restartSeen = n
	r := s.Stats.LastRestart
	if r.Dropped == 0 {
		return
	}
	at := r.At.In(m.loc()).Format("15:04")
	t := m.tr.t
	text := plural(r.Dropped, t("the simulator started its day over at %s: %d setpoint in force dropped (still counted here until its validity)"),
		t("the simulator started its day over at %s: %d setpoints in force dropped (still counted here until their validity)"), at, r.Dropped)
	short := plural(r.Dropped, t("sim restarted %s: %d setpoint dropped"), t("sim restarted %s: %d setpoints dropped"), at, r.Dropped)
	if !m.joinPassNotice(text, short) {
		m.setNoticeFit(text, short, 1)
	}
}
