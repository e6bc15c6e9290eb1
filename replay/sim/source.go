package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
)

// Run implements feeds.Source: it sends the hello and the full state, then
// one step's batches every Step/Speed of wall time, until the end of the
// scenario day (nil) or ctx is done (ctx.Err()). With Options.HoldAtEnd it
// holds at the end instead (AtEnd) until a Restart goes on from earlier, or
// it returns nil at ReleaseEnd or when ctx is done: the day did end. A Sim
// runs once.
func (s *Sim) Run(ctx context.Context, sink feeds.Sink) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("sim: already running or ran")
	}
	s.started = true
	defer s.endRun()
	hello := s.helloLocked()
	state := s.encode(true, true)
	backfill := s.backfill
	s.backfill = nil
	s.filling = len(backfill) > 0
	if s.filling {
		s.catchUps++
	}
	at, speed := s.now, s.speed
	s.mu.Unlock()

	sink.HandleLink(feeds.LinkEvent{Up: true, At: at})
	handOver(sink, hello)
	// toldSpeed is the speed the sink was last told (clockSignal): with
	// the hello, again at each SetSpeed, and after a restart, whose reset
	// made a desk on the feed forget it.
	toldSpeed := speed
	handOver(sink, clockSignal(toldSpeed))
	deliver(sink, backfill)
	deliver(sink, state)
	s.mu.Lock()
	s.filling = false
	s.mu.Unlock()
	last := s.clk.Now()
	// pausedAt is the data time of the pause signal last sent (zero: the
	// sink was told of none, or of the resume since).
	var pausedAt time.Time
	for {
		if err := ctx.Err(); err != nil {
			s.mu.Lock()
			ended, at := s.ended && s.restart == nil, s.now
			s.mu.Unlock()
			if ended {
				// Stopped while holding at the end: the day did end, and
				// a desk on the feed shows that rather than a lost link.
				sink.HandleLink(feeds.LinkEvent{At: at, End: true})
				return nil
			}
			return err
		}
		s.mu.Lock()
		if s.restart != nil {
			target := *s.restart
			s.restart = nil
			s.pace.stopWindow()
			s.ended = false // the day goes on from target
			out := s.restartAt(target)
			s.mu.Lock()
			s.held = &target // the sink forgets the old day now
			s.mu.Unlock()
			sink.HandleLink(restartLink(target))
			deliver(sink, out)
			s.mu.Lock()
			s.held = nil // the new day is delivered
			s.mu.Unlock()
			s.markTaken()
			last = s.clk.Now()
			pausedAt = time.Time{} // the reset ended the pause the sink knew
			toldSpeed = 0
			continue
		}
		if s.seek != nil {
			target := *s.seek
			s.seek = nil
			s.pace.stopWindow()
			if !s.now.Before(target) || !s.now.Before(s.end) {
				s.mu.Unlock()
				s.markTaken() // nothing to simulate: taken as it is
				last = s.clk.Now()
				continue
			}
			out := s.seekAhead(target)
			deliver(sink, out)
			s.mu.Lock()
			s.held = nil
			s.mu.Unlock()
			s.markTaken()
			last = s.clk.Now()
			continue
		}
		if s.speed != toldSpeed {
			// A desk on the feed has no Speed to ask (docs/protocol.md,
			// Clock).
			x := s.speed
			s.mu.Unlock()
			handOver(sink, clockSignal(x))
			toldSpeed = x
			continue
		}
		if !s.now.Before(s.end) && !s.holdEnd {
			at := s.now
			s.mu.Unlock()
			// The day is over: an end, not a lost link.
			sink.HandleLink(feeds.LinkEvent{At: at, End: true})
			return nil
		}
		if !s.now.Before(s.end) && !s.ended {
			// Options.HoldAtEnd: the clock stops at the end and the sink is
			// told as for a pause, so a desk on the feed shows the source
			// paused instead of a feed gone silent, until a restart.
			s.ended = true
			at := s.now.In(s.loc)
			endHeld := s.endHeld
			s.mu.Unlock()
			switch {
			case endHeld:
				// Options.EndWhenHeld: the day is over for the sink, which
				// a Restart's reset takes back. Noted as told, so no
				// pause signal follows it.
				sink.HandleLink(feeds.LinkEvent{At: at, End: true})
				pausedAt = at
			case !at.Equal(pausedAt):
				handOver(sink, pauseSignal(at, false))
				pausedAt = at
			}
			if s.onHold != nil {
				s.onHold(at)
			}
			continue
		}
		stopped := s.paused || s.ended
		if stopped || !pausedAt.IsZero() {
			s.pace.stopWindow() // the wall time stopped is not the steps'
		}
		if stopped && !s.now.Equal(pausedAt) {
			// Paused, or sought while paused: a desk on the feed has no
			// Paused to ask (docs/protocol.md, Pause).
			at := s.now.In(s.loc)
			s.mu.Unlock()
			handOver(sink, pauseSignal(at, false))
			pausedAt = at
			continue
		}
		if !stopped && !pausedAt.IsZero() {
			at := s.now.In(s.loc)
			s.mu.Unlock()
			handOver(sink, pauseSignal(at, true))
			pausedAt = time.Time{}
			last = s.clk.Now()
			continue
		}
		if stopped {
			s.mu.Unlock()
			if s.onWait != nil {
				s.onWait(-1)
			}
			select {
			case <-ctx.Done():
			case <-s.wake:
			}
			last = s.clk.Now()
			continue
		}
		interval := time.Duration(float64(s.step) / s.speed)
		due := last.Add(interval)
		wait := due.Sub(s.clk.Now())
		if wait <= 0 {
			s.step1(sink, due, &last)
			continue
		}
		timer := s.clk.NewTimer(wait)
		s.mu.Unlock()
		if s.onWait != nil {
			s.onWait(wait)
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-timer.C():
		}
		timer.Stop()
	}
}

// step1 is Run's step due at due, called with s.mu held and returning
// with it released: it advances the simulation, hands the step's batches
// to sink off the lock, moves *last on to due (or to now, when over a
// second late: Run does not rush to catch up, and that time is slipped)
// and accounts for the step's pace, logging a window's verdict.
func (s *Sim) step1(sink feeds.Sink, due time.Time, last *time.Time) {
	from, simFrom, speed := s.clk.Now(), s.now, s.speed
	out := s.advance(true)
	simNow := s.now
	s.mu.Unlock()
	deliver(sink, out)
	done := s.clk.Now()
	*last = due
	var lost time.Duration
	if behind := done.Sub(due); behind > time.Second {
		*last, lost = done, behind
	}
	s.mu.Lock()
	prev := s.pace.last
	v := s.pace.stepped(from, done, simFrom, simNow, speed, s.step, lost)
	s.mu.Unlock()
	if v != nil {
		s.logPace(prev, *v)
	}
}

// seekState is a seek Run is computing off the lock: the time the
// simulation will be at when it is swapped in, and the setpoints (and their
// counts) taken meanwhile, to be applied to the new state.
type seekState struct {
	at        time.Time
	restart   bool // a Restart's new day, not a seek ahead: setpoints are refused
	setpoints []pendingSetpoint
	accepted  uint64
	clamped   uint64
	rejected  uint64
}

// pendingSetpoint is a setpoint accepted during a seek for s.evs[i].
type pendingSetpoint struct {
	i  int
	sp setpoint
}

// seekAhead is Run's seek to target, called with s.mu held and returning
// with it released; s.now is before target and the end. It simulates up to
// target on a copy of the model with the lock released, then swaps the copy
// in under the lock, which it holds only to mark the seek and to swap: at
// 100,000 EVs a seek over the day takes seconds, and the desk's calls
// (Now, status, setpoints from dispatch, snapshots) stalled behind it.
//
// Meanwhile the live model is not written (Run is here, and ApplySetpoint
// queues in s.seeking), so reading it off the lock to copy it is safe, and
// Now, EV, FeederLoads and StateFrames read the state before the seek.
// Setpoints are judged as they were when they waited for the lock: at the
// time the seek reaches, and they apply to the new state.
//
// It returns what to deliver, with s.held set to the time before the seek,
// which Run clears once the sink has it (see Now).
func (s *Sim) seekAhead(target time.Time) [][]byte {
	from := s.now
	s.seeking = &seekState{at: s.stepsTo(from, target)}
	s.mu.Unlock()

	ahead := &Sim{params: s.params, model: s.model.clone()}
	out := ahead.seekLocked(target)
	if s.onSeekAhead != nil {
		s.onSeekAhead()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	sk := s.seeking
	s.seeking = nil
	s.model = ahead.model
	s.stats.Accepted += sk.accepted
	s.stats.Clamped += sk.clamped
	s.stats.Rejected += sk.rejected
	for _, p := range sk.setpoints {
		s.evs[p.i].sp = p.sp
	}
	// Now keeps the time before the seek until the sink has it all: a
	// desk's snapshot taken mid-delivery must not find the clock at the
	// target and the chargers still to come silent since before it.
	s.held = &from
	if len(out) == 0 {
		return nil
	}
	// A desk on the feed has no Now to ask: the catch_up signals tell it
	// where the span begins and ends (docs/protocol.md, Catch-up).
	begin, end := catchUpSignals(s.catchUps, s.now.In(s.loc))
	return append(append([][]byte{begin}, out...), end)
}

// catchUpSignals returns the two messages that bracket the delivery of seek
// n, which reaches to: a batch without frames whose catch_up begins it, and
// one whose catch_up says it is done.
func catchUpSignals(n uint64, to time.Time) (begin, end []byte) {
	const head = catchUpHead + `{"seek":%d,"to":"%s"`
	at := to.Format(time.RFC3339Nano)
	return fmt.Appendf(nil, head+`}}`, n, at), fmt.Appendf(nil, head+catchUpDone+`}}`, n, at)
}

// pauseSignal returns the batch without frames that says the simulation
// is paused at at, or (resumed) runs again from at.
func pauseSignal(at time.Time, resumed bool) []byte {
	b := fmt.Appendf(nil, pauseHead+`{"at":"%s"`, at.Format(time.RFC3339Nano))
	if resumed {
		b = append(b, pauseResumed...)
	}
	return append(b, "}}"...)
}

// pauseHead starts every pause signal the simulator sends, and
// pauseResumed marks a resume: the Server tells them by these bytes.
const (
	pauseHead    = `{"v":1,"type":"batch","frames":[],"pause":`
	pauseResumed = `,"resumed":true`
)

// catchUpHead starts every catch_up signal the simulator sends, and
// catchUpDone marks an end: the Server tells them by these bytes.
const (
	catchUpHead = `{"v":1,"type":"batch","frames":[],"catch_up":`
	catchUpDone = `,"done":true`
)

// stepsTo is where stepping from from stops for to: the first step at or
// after to, as catchUp goes.
func (p *params) stepsTo(from, to time.Time) time.Time {
	for from.Before(to) {
		from = from.Add(p.step)
	}
	return from
}

// clockLocked is the time the simulation is at, for judging a seek or a
// setpoint: during a seek, the time it reaches.
func (s *Sim) clockLocked() time.Time {
	if s.seeking != nil {
		return s.seeking.at
	}
	return s.now
}

// seekLocked simulates up to target for a seek and returns what to
// deliver: the feeder loads of every step skipped (so the day's load curve
// has no gap), then every feeder and charger as of target, as the
// quarter-hour refresh sends them. A desk then holds what it would hold had
// it played the day through: each charger's latest state as of target, sent
// at target. Replaying each skipped step's charger frames instead sent
// every charger dozens of times, all of them older than the clock, and a
// desk that looked mid-delivery saw every charger silent since before the
// jump (3,016 stale alarms on the demo day after `:seek 18:30` from 00:00).
// The caller holds s.mu, or owns s outright (seekAhead's copy).
func (s *Sim) seekLocked(target time.Time) [][]byte {
	if !s.now.Before(target) || !s.now.Before(s.end) {
		return nil
	}
	var fill batcher
	s.catchUp(target, &fill, "during the seek")
	fill.close()
	return append(fill.out, s.encode(true, true)...)
}

func deliver(sink feeds.Sink, batches [][]byte) {
	for _, b := range batches {
		handOver(sink, b)
	}
}

// keeper is a sink that may keep what it is handed without copying it:
// the Server, whose clients' queues hold the messages until written.
type keeper interface{ keep(raw []byte) }

// handOver gives sink one message of Run's. Every message Run sends is
// made for it (a step's batches, a signal, the state) or never written
// after New (the hello), so a keeper keeps it as it is; any other sink
// gets it by HandleFrame, which must not retain it (feeds.Sink).
func handOver(sink feeds.Sink, raw []byte) {
	if k, ok := sink.(keeper); ok {
		k.keep(raw)
		return
	}
	sink.HandleFrame(raw)
}

func (s *Sim) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Speed returns the simulation speed (simulated time per wall time).
func (s *Sim) Speed() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.speed
}

// SetSpeed changes the speed; it is an error outside replay.MinSpeed..MaxSpeed.
func (s *Sim) SetSpeed(x float64) error {
	if err := replay.CheckSpeed(x); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	s.mu.Lock()
	s.speed = x
	s.mu.Unlock()
	s.poke()
	return nil
}

// Paused reports whether the simulation is paused.
func (s *Sim) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

// Pause stops the simulation clock; setpoints are still taken.
func (s *Sim) Pause() {
	s.mu.Lock()
	s.paused = true
	s.mu.Unlock()
	s.poke()
}

// Resume restarts the simulation clock. At the end of the day, where Run
// holds (Options.HoldAtEnd), there is nothing left to run: the clock stays
// there (AtEnd) and runs again from a Restart's target.
func (s *Sim) Resume() {
	s.mu.Lock()
	s.paused = false
	s.mu.Unlock()
	s.poke()
}

// AtEnd reports whether Run holds at the end of the day (Options.HoldAtEnd)
// with no Restart asked for: the clock stands at End, the sink was told the
// feed is paused there, and only a Restart, ReleaseEnd or Run's ctx moves it.
func (s *Sim) AtEnd() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended && s.restart == nil
}

// ReleaseEnd undoes Options.HoldAtEnd: Run ends at the end of the day as
// without it, at once when it holds there now. `v2gdesk sim` calls it at
// the end of its commands (Ctrl-D, stdin /dev/null): nobody is left to
// seek back, so holding would only keep the desks waiting.
func (s *Sim) ReleaseEnd() {
	s.mu.Lock()
	s.holdEnd = false
	s.mu.Unlock()
	s.poke()
}

// Seek moves the simulation forward to t, simulating (and, while Run runs,
// delivering) every step in between at once. Seeking backwards returns
// ErrSeekBackwards: the past depends on the setpoints obeyed, so it cannot
// be recomputed; a seek past the end of the day is a *PastEndError
// (replay.ErrSeekRange).
func (s *Sim) Seek(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkSeekLocked(t); err != nil {
		return err
	}
	if !s.started {
		// Run has not sent anything yet: it sends the state as of t, after
		// the backfill, which gets the loads of the hours skipped.
		var fill *batcher
		if s.backfillOn {
			fill = &batcher{}
		}
		s.catchUp(t, fill, "before the start")
		if fill != nil {
			fill.close()
			s.backfill = append(s.backfill, fill.out...)
		}
		return nil
	}
	s.seek = &t
	s.catchUps++
	s.poke()
	return nil
}

// CheckSeek returns the error Seek(t) would return now, without seeking:
// a desk that journals and announces a seek asks first, so a refused one
// is neither.
func (s *Sim) CheckSeek(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkSeekLocked(t)
}

func (s *Sim) checkSeekLocked(t time.Time) error {
	// The caller names the target; the bound is what the operator lacks,
	// and it must fit the dashboard's footer at 80 columns. During a seek
	// the simulation is as good as at its target: a second seek to before
	// it waited for the first and was refused.
	now := s.clockLocked()
	if s.restart != nil {
		now = *s.restart // Run has yet to take it: the day is as good as there
	}
	if t.Before(now) {
		return &SeekBackwardsError{At: now.In(s.loc)}
	}
	if t.After(s.end) {
		return &PastEndError{End: s.end.In(s.loc)}
	}
	return nil
}

// compile-time checks that the controls match what the dashboard expects.
var _ interface {
	Now() time.Time
	Speed() float64
	SetSpeed(float64) error
	Paused() bool
	Pause()
	Resume()
	Seek(time.Time) error
	CheckSeek(time.Time) error
	Run(context.Context, feeds.Sink) error
} = (*Sim)(nil)

// The simulator's seek errors carry their figures so a screen can word
// them in its operator's language; Error is the English the log reads.

// SeekBackwardsError is a seek to before the simulator's clock; it is
// ErrSeekBackwards. At is the clock, in the scenario's time zone.
type SeekBackwardsError struct{ At time.Time }

// Error is the English the log and the journal keep.
func (e *SeekBackwardsError) Error() string {
	return ErrSeekBackwards.Error() + ": it is at " + e.At.Format("15:04")
}

// Unwrap makes a SeekBackwardsError ErrSeekBackwards.
func (e *SeekBackwardsError) Unwrap() error { return ErrSeekBackwards }

// PastEndError is a seek past the end of the simulated day: it is
// replay.ErrSeekRange, told in the simulator's words (there is no
// recording). End is the day's end, in the scenario's time zone.
type PastEndError struct{ End time.Time }

// Error is the English the log and the journal keep.
func (e *PastEndError) Error() string {
	return "the simulated day ends at " + e.End.Format("2006-01-02 15:04")
}

// Unwrap makes a PastEndError replay.ErrSeekRange.
func (e *PastEndError) Unwrap() error { return replay.ErrSeekRange }

// BeforeStartError is a seek before the start of the simulated day: it is
// replay.ErrSeekRange, told in the simulator's words as PastEndError is.
// Start is the day's start, in the scenario's time zone.
type BeforeStartError struct{ Start time.Time }

// Error is the English the log and the journal keep.
func (e *BeforeStartError) Error() string {
	return "the simulated day starts at " + e.Start.Format("2006-01-02 15:04")
}

// Unwrap makes a BeforeStartError replay.ErrSeekRange.
func (e *BeforeStartError) Unwrap() error { return replay.ErrSeekRange }
