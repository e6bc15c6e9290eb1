package sim

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// A forward seek simulates the hours in between; a seek back cannot undo
// them, since the past depends on the setpoints that were obeyed. Restart
// is the way back: the day starts over at its target, simulated afresh from
// midnight as a late Options.Start is, and a desk on the feed takes it for
// a new day (docs/protocol.md: a simulated feed's hello from before the
// data held resets the fleet), as it does a replay's backward seek.

// Restart starts the simulated day over at t: the state becomes the day's,
// simulated from its start up to t without setpoints (as before a late
// Options.Start), and the setpoints in force are dropped with it; the
// counters of setpoints answered are kept. t may be before or after the
// clock; past the end of the day it is a *PastEndError, before its start
// a *BeforeStartError (both replay.ErrSeekRange).
//
// While Run runs, the sink then gets LinkEvent{Up: true, Reset: true}, the
// hello stamped t and every feeder and charger as of t, with no backfill
// and no catch_up signals: a Fleet forgets what it held (the link event in
// process, the hello from before its data over a websocket) and starts the
// day again at t. Before Run, Run simply starts at t.
func (s *Sim) Restart(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkRestartLocked(t); err != nil {
		return err
	}
	if !s.started {
		fresh := &Sim{params: s.params, model: s.dawn.clone()}
		var fill *batcher
		if s.backfillOn {
			fill = &batcher{}
		}
		fresh.catchUp(t, fill, "before the restart")
		fresh.stats.Accepted, fresh.stats.Clamped, fresh.stats.Rejected = s.stats.Accepted, s.stats.Clamped, s.stats.Rejected
		s.model = fresh.model
		s.backfill = nil
		if fill != nil {
			fill.close()
			s.backfill = fill.out
		}
		return nil
	}
	// A restart overrides a seek not yet taken: it names where to be.
	s.seek = nil
	s.restart = &t
	s.poke()
	return nil
}

// CheckRestart returns the error Restart(t) would return, without
// restarting: a desk that journals and announces a seek back asks first,
// so a refused one is neither.
func (s *Sim) CheckRestart(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkRestartLocked(t)
}

func (s *Sim) checkRestartLocked(t time.Time) error {
	if t.Before(s.sc.Start()) {
		return &BeforeStartError{Start: s.sc.Start().In(s.loc)}
	}
	if t.After(s.end) {
		return &PastEndError{End: s.end.In(s.loc)}
	}
	return nil
}

// InForce counts the setpoints in force now: accepted, and valid past the
// simulation's clock (those taken during a seek included). A Restart drops
// them; `v2gdesk sim` says how many when its presenter seeks back, since
// the desks that sent them still count them in force until their validity.
func (s *Sim) InForce() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inForceLocked()
}

func (s *Sim) inForceLocked() int {
	now := s.clockLocked().UnixNano()
	n := 0
	for i := range s.evs {
		if sp := s.evs[i].sp; sp.active && sp.until > now {
			n++
		}
	}
	if sk := s.seeking; sk != nil {
		n += len(sk.setpoints)
	}
	return n
}

// restartAt is Run's restart at target, called with s.mu held and
// returning with it released, s.held the time before it. As seekAhead does, it simulates the new day
// on a model of its own with the lock released (seconds at 100,000 EVs)
// and makes the swap under the lock; setpoints that come meanwhile are
// refused (ApplySetpoint): they were planned on the day it drops. It returns what to deliver
// after the reset: the hello stamped target, then the whole state, then
// the restart signal saying how many setpoints in force it dropped.
func (s *Sim) restartAt(target time.Time) [][]byte {
	dropped := s.inForceLocked() // the old day's, before its setpoints go
	from := s.now
	s.seeking = &seekState{at: target, restart: true}
	s.mu.Unlock()

	fresh := &Sim{params: s.params, model: s.dawn.clone()}
	fresh.catchUp(target, nil, "before the restart")

	s.mu.Lock()
	defer s.mu.Unlock()
	sk := s.seeking
	s.seeking = nil
	answered := s.stats
	s.model = fresh.model
	s.stats.Accepted = answered.Accepted + sk.accepted
	s.stats.Clamped = answered.Clamped + sk.clamped
	s.stats.Rejected = answered.Rejected + sk.rejected // sk.setpoints is empty: all refused
	// Now keeps the old day's time until the sink has been told to
	// forget it, and the restart stays under way (CatchingUp) until the
	// sink has the new day: Run moves held to target at the reset and
	// clears it after. A desk's snapshot between the swap and the reset
	// found the clock at the target over the old day's data, and its
	// controller, stepping there, took the seek back for no seek at all:
	// the evening's event in force was planned on into the morning.
	s.held = &from
	out := append([][]byte{s.helloLocked()}, s.encode(true, true)...)
	// A desk on the feed resets at the hello; its guard and journal keep
	// the setpoints they sent, which this tells them are gone.
	return append(out, restartSignal(target.In(s.loc), dropped))
}

// restartSignal is the batch without frames that says the day started
// over at at, dropping n setpoints in force (docs/protocol.md, Restart).
func restartSignal(at time.Time, n int) []byte {
	return fmt.Appendf(nil, restartHead+`{"at":"%s","dropped":%d}}`, at.Format(time.RFC3339Nano), n)
}

// restartHead starts every restart signal the simulator sends.
const restartHead = `{"v":1,"type":"batch","frames":[],"restart":`

// restartLink is the link event that tells an in-process sink to forget
// what it holds before a restart's frames.
func restartLink(at time.Time) feeds.LinkEvent {
	return feeds.LinkEvent{Up: true, Reset: true, At: at}
}

// Heading returns where the simulation is going: its clock, or while a
// seek or a restart is asked for and not yet delivered, the time it
// reaches. Now keeps the time before a seek until the seek is delivered,
// for the desk's snapshots; an operator who seeks and asks at once where
// the simulator is, or seeks again relative to it, means the target.
func (s *Sim) Heading() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.restart != nil:
		return *s.restart
	case s.seek != nil && s.now.Before(*s.seek) && s.now.Before(s.end):
		return s.stepsTo(s.now, *s.seek)
	case s.seeking != nil:
		return s.seeking.at
	}
	return s.now
}
