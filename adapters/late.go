package adapters

// LateSink is where an adapter reports an answer from the equipment that
// came after its Apply or Release had already returned: the caller was told
// timeout (or failed), but the equipment did act, and the journal must say
// so. The Guard is the sink of each adapter it runs that is a LateReporter.
type LateSink interface {
	// LateResult journals r, the equipment's answer to sp (the setpoint
	// as the adapter was given it), as a late_result record after sp's
	// result record, and counts it (GuardStats.Late, and in Results in
	// place of the result reported); while sp is its charger's latest
	// setpoint, r becomes the charger's latest result (Guard.Latest).
	LateResult(sp Setpoint, r Result)
	// LateRelease journals a release record for what became of a release
	// of charger after Release returned (reported failed): it went out
	// after all (status empty), or the equipment answered it (status says
	// what it did: StatusAccepted, the charger was released). detail says
	// which, for the journal.
	LateRelease(charger string, status Status, detail string)
}

// LateReporter is an optional capability: an adapter that can still hear
// an answer once Apply has returned (OCPP: an answer sent after a
// reconnect, or after ocpp-go's own request timeout) is given a LateSink
// by the Guard when it is added (Guard.AddAdapter).
type LateReporter interface {
	SetLateSink(LateSink)
}

// lateSink is a Guard's LateSink for the adapter of one lane.
type lateSink struct {
	g    *Guard
	lane string
}

// LateResult implements LateSink. It waits until sp's batch has journalled
// its result (at most the batch timeout), so late_result never precedes
// the result record it follows.
func (s lateSink) LateResult(sp Setpoint, r Result) {
	g := s.g
	g.mu.Lock()
	e := g.seen[sp.ID]
	asked := sp.KW
	if e != nil && e.first.KW != nil {
		asked = *e.first.KW
	}
	b, _, _ := g.route(sp.Charger)
	note := g.boundsNote(sp.Charger, asked)
	g.mu.Unlock()
	if e != nil {
		<-e.done
	}
	r.Adapter = s.lane
	r = g.finish(sp, asked, b, note, r)
	g.log.Warn("late answer from equipment, journalled as late_result", "adapter", s.lane, "setpoint", sp.ID,
		"charger", sp.Charger, "status", r.Status, "reason", r.Reason)
	if err := g.j.Append(resultRecord(RecLateResult, sp, r)); err != nil {
		g.jlog.failed(g.log, "late result not journalled", "late_results_not_journalled", 1, err, "setpoint", sp.ID)
	} else {
		g.jlog.ok(g.log)
	}
	g.lateAnswer(sp, r)
}

// LateRelease implements LateSink.
func (s lateSink) LateRelease(charger string, status Status, detail string) {
	g := s.g
	g.log.Warn("release after it was reported failed, journalled", "adapter", s.lane, "charger", charger, "status", status, "detail", detail)
	rec := Record{Kind: RecRelease, Charger: charger, Adapter: s.lane, Status: status, Detail: detail}
	if err := g.j.Append(rec); err != nil {
		g.jlog.failed(g.log, "late release answer not journalled", "late_releases_not_journalled", 1, err, "charger", charger)
	} else {
		g.jlog.ok(g.log)
	}
}
