package sim

import (
	"fmt"
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// ApplySetpoint takes a setpoint for the EV at sp.Charger (the session
// plugged in there now) and answers it.
// It is refused (status rejected, reason saying why) for an unknown charger,
// a missing id, a power that is not a finite number, a missing or already
// passed valid_until, a negative power on a charger that cannot discharge,
// or a charger with no EV plugged in. A power beyond the charger's bounds is
// clamped to them (status clamped, AppliedKW the bounded power). The setpoint
// holds from the next step until valid_until or the EV leaves; within it the
// EV's power is further bounded by its battery's energy.
//
// During a seek (source.go) it answers at once, as of the time the seek
// reaches, as it did when it waited for the seek's lock: whether an EV is
// plugged in then follows from its session's times, and an accepted
// setpoint is applied to the state the seek swaps in. From a Restart until
// its new day is delivered it refuses every setpoint (restartingReason): the
// desk that sent it planned it on the day being dropped, and has not yet
// seen the day start over.
func (s *Sim) ApplySetpoint(sp feeds.SetpointFrame) feeds.AckFrame {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clockLocked()
	accepted, clamped, rejected := &s.stats.Accepted, &s.stats.Clamped, &s.stats.Rejected
	if sk := s.seeking; sk != nil {
		accepted, clamped, rejected = &sk.accepted, &sk.clamped, &sk.rejected
	}
	ack := feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: sp.ID, Charger: sp.Charger, TS: now, Status: feeds.AckRejected}
	reject := func(format string, a ...any) feeds.AckFrame {
		ack.Reason = fmt.Sprintf(format, a...)
		*rejected++
		s.log.Info("sim: setpoint rejected", "id", sp.ID, "charger", sp.Charger, "reason", ack.Reason)
		return ack
	}
	i, ok := s.chargerIdx[sp.Charger]
	switch {
	case !ok:
		return reject("unknown charger %q", sp.Charger)
	case sp.ID == "":
		return reject("setpoint id missing")
	case math.IsNaN(sp.KW) || math.IsInf(sp.KW, 0):
		return reject("kw is not a finite number")
	case sp.ValidUntil.IsZero():
		return reject("valid_until missing")
	case !sp.ValidUntil.After(now):
		return reject("expired: valid_until %s is not after the simulation time %s",
			sp.ValidUntil.Format(time.RFC3339), now.In(s.loc).Format(time.RFC3339))
	}
	if at, ok := s.restartingLocked(); ok {
		return reject("%s", restartingReason(at.In(s.loc)))
	}
	e := &s.evs[i]
	if sp.KW < 0 && e.maxD == 0 {
		return reject("charger %s is not bidirectional", sp.Charger)
	}
	plugged := e.phase == phasePlugged
	if s.seeking != nil {
		plugged = e.pluggedAt(now)
	}
	if !plugged {
		return reject("no EV plugged in at charger %s", sp.Charger)
	}
	applied := math.Min(math.Max(sp.KW, -e.maxD), e.maxC)
	ack.AppliedKW = applied
	if applied != sp.KW {
		ack.Status = feeds.AckClamped
		ack.Reason = fmt.Sprintf("limited to the charger's bounds %g..%g kW", -e.maxD, e.maxC)
		*clamped++
	} else {
		ack.Status = feeds.AckAccepted
		*accepted++
	}
	set := setpoint{active: true, kw: applied, until: sp.ValidUntil.UnixNano(), id: sp.ID}
	if sk := s.seeking; sk != nil {
		sk.setpoints = append(sk.setpoints, pendingSetpoint{i: i, sp: set})
		return ack
	}
	e.sp = set
	return ack
}

// pluggedAt reports whether one of the charger's sessions is plugged in at
// t, a step time: decide plugs it in at the first step at or after its
// plug-in and out at the first at or after its plug-out.
func (e *ev) pluggedAt(t time.Time) bool {
	at := t.UnixNano()
	for _, v := range e.visits {
		if at >= v.plugin && at < v.plugout {
			return true
		}
	}
	return false
}

// restartingLocked reports whether a Restart is asked for or being made,
// and its target: the day the desks see is about to be dropped. Callers
// hold s.mu.
func (s *Sim) restartingLocked() (time.Time, bool) {
	switch {
	case s.restart != nil:
		return *s.restart, true
	case s.seeking != nil && s.seeking.restart:
		return s.seeking.at, true
	}
	return time.Time{}, false
}

// restartingReason is the reason of a setpoint refused during a restart to
// at. An earlier pass's setpoint applied to the new day would steer it, to
// its validity, from data the day never had: a hand-back of 22:27 went on
// at 08:00 until 22:42.
func restartingReason(at time.Time) string {
	return fmt.Sprintf("the simulated day is starting over at %s: a setpoint planned before it is not applied", at.Format("15:04"))
}
