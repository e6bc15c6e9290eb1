package replay

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// The speeds a Player (and the simulator) accept: recorded time per wall time.
const (
	MinSpeed = 0.5
	MaxSpeed = 3600
)

// CheckSpeed returns a *SpeedError (ErrSpeed) unless MinSpeed <= x <= MaxSpeed.
func CheckSpeed(x float64) error {
	if math.IsNaN(x) || x < MinSpeed || x > MaxSpeed {
		return &SpeedError{Speed: x}
	}
	return nil
}

// PlayerOptions configure a Player.
type PlayerOptions struct {
	Speed float64 // initial speed; 1 when zero
	Loop  bool    // start again from the beginning at the end
	// HoldAtEnd keeps Run going at the end of the recording (without
	// Loop): the sink is told the end (a LinkEvent with End), the clock
	// stays at the last frame, and a seek back plays from there, where
	// Run would otherwise return and every seek be ErrEnded. A presenter
	// at the end of a recorded day seeks back to show the peak again,
	// rather than restart the dashboard.
	HoldAtEnd bool
	Clock     clock.Clock // paces playback; Real when nil
	// Unpaced delivers every frame as fast as the sink takes it, ignoring
	// speed and pause (headless summaries).
	Unpaced bool
}

// Player plays a Recording as a feeds.Source. Its control methods are safe to
// call from any goroutine while Run runs.
//
// The replay clock (Now) runs at Speed times the wall clock from wherever
// playback is; frames are delivered when the replay clock reaches their time.
// A seek's catch-up (the frames up to its target, delivered at once) holds
// the clock back until it is delivered: see Now.
type Player struct {
	rec     *Recording
	clk     clock.Clock
	loop    bool
	hold    bool
	unpaced bool

	mu         sync.Mutex
	speed      float64
	paused     bool
	anchorRec  time.Time // replay time at anchorWall
	anchorWall time.Time
	seek       *time.Time // pending seek, handled by Run
	wake       chan struct{}
	emitted    time.Time // time of the last entry delivered
	// catching is set from Seek until Run has delivered every frame up to
	// target; meanwhile Now reads held or emitted, and the clock is
	// anchored at target (anchorRec, anchorWall) once the catch-up is in.
	catching bool
	catchUps uint64 // seeks begun (CatchingUp)
	target   time.Time
	held     time.Time // what Now says before the catch-up's frames pass it
	// targetBeforeRun: the seek being caught up with was taken before Run
	// started (the command line's --start).
	targetBeforeRun bool
	// refused is the latest seek the reading found past the recording's
	// end (Loading); its N counts them. onRefused, when set (OnRefused),
	// is told of each.
	refused   RefusedSeek
	onRefused func(RefusedSeek)
	started   bool
	loops     uint64 // restarts at the end (Loop)
	ended     bool   // Run returned at the end of the recording
	// holding: Run, with HoldAtEnd, is at the end of the recording and
	// has told the sink so; a seek (back) plays on.
	holding bool
	// waiting: Run has delivered every frame read so far and waits for the
	// reading (Open) to publish more (Loading).
	waiting bool

	// onWait, when set (tests only), is called each time Run blocks: with the
	// wall time it will wait, or -1 while paused.
	onWait func(d time.Duration)
	// onHold, when set (tests only), is called each time Run blocks at
	// the end of the recording (HoldAtEnd).
	onHold func()
	// onStarve, when set (tests only), is called each time Run blocks for
	// frames not read yet, with what it waits for (Loading).
	onStarve func(LoadState)
}

// NewPlayer returns a Player for rec, positioned at its start.
func NewPlayer(rec *Recording, opts PlayerOptions) (*Player, error) {
	if rec == nil || len(rec.view().entries) == 0 {
		return nil, ErrEmpty
	}
	speed := opts.Speed
	if speed == 0 {
		speed = 1
	}
	if err := CheckSpeed(speed); err != nil {
		return nil, err
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real()
	}
	p := &Player{rec: rec, clk: clk, loop: opts.Loop, hold: opts.HoldAtEnd && !opts.Loop, unpaced: opts.Unpaced, speed: speed,
		anchorRec: rec.Start(), anchorWall: clk.Now(), wake: make(chan struct{}, 1)}
	return p, nil
}

// HoldsAtEnd reports whether the player holds at the end of its
// recording (PlayerOptions.HoldAtEnd), where a seek back plays on: a desk
// offers :seek there rather than saying the clock has stopped.
func (p *Player) HoldsAtEnd() bool { return p.hold }

// Loops counts the times the player started its recording again at the
// end (PlayerOptions.Loop): a desk tells its audience the clock's jump
// back to the start is the loop.
func (p *Player) Loops() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loops
}

// Recording returns the recording being played.
func (p *Player) Recording() *Recording { return p.rec }

// Now returns the replay clock. While Run delivers a seek's catch-up it
// never says a time whose frames are still to come: it keeps the time
// before the seek (for a backward seek, the recording's start) until the
// frames delivered pass it, then reads the time of the last one delivered,
// and reaches the target when every frame up to it is in. A full day's
// catch-up to 18:00 takes seconds, and the desk that showed 18:00 over the
// night's figures meanwhile (and found the chargers not yet sent silent
// since midnight) now shows the hours go by as they arrive. The
// simulator's Now holds its clock the same way (replay/sim).
func (p *Player) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.nowLocked()
}

// CatchingUp reports how many seeks have begun, and whether one's frames
// are being delivered at once
// (from Seek until every frame up to its target is in; a backward seek's
// rebuild too). A desk's fleet passes it on in its snapshots
// (feeds.FleetOptions), and the alarm engine then holds back the
// conditions of the span skipped.
func (p *Player) CatchingUp() (n uint64, active bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.catchUps, p.catching
}

func (p *Player) nowLocked() time.Time {
	if p.unpaced {
		return p.emitted
	}
	if p.catching {
		if p.emitted.After(p.held) {
			return p.emitted
		}
		return p.held
	}
	return p.pacedLocked()
}

// pacedLocked is the clock that paces delivery outside a catch-up.
func (p *Player) pacedLocked() time.Time {
	if p.paused {
		return p.anchorRec
	}
	el := p.clk.Now().Sub(p.anchorWall)
	t := p.anchorRec.Add(time.Duration(float64(el) * p.speed))
	// The recording says nothing after its last frame: a clock running on
	// would age every figure into staleness and show a time they are not from.
	if end := p.rec.End(); t.After(end) {
		return end
	}
	return t
}

// reanchor restarts the replay clock's reckoning from now, so a change of
// speed or pause does not jump it. During a catch-up there is nothing to
// do: the clock is anchored at the target when the catch-up is in.
func (p *Player) reanchorLocked() {
	if p.catching {
		return
	}
	p.anchorRec = p.pacedLocked()
	p.anchorWall = p.clk.Now()
}

func (p *Player) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Speed returns the playback speed.
func (p *Player) Speed() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.speed
}

// SetSpeed changes the playback speed; it is an error outside MinSpeed..MaxSpeed.
func (p *Player) SetSpeed(x float64) error {
	if err := CheckSpeed(x); err != nil {
		return err
	}
	p.mu.Lock()
	p.reanchorLocked()
	p.speed = x
	p.mu.Unlock()
	p.poke()
	return nil
}

// Paused reports whether playback is paused.
func (p *Player) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.paused
}

// Pause stops the replay clock.
func (p *Player) Pause() {
	p.mu.Lock()
	if !p.paused {
		p.reanchorLocked()
		p.paused = true
	}
	p.mu.Unlock()
	p.poke()
}

// Resume restarts the replay clock where it stopped.
func (p *Player) Resume() {
	p.mu.Lock()
	if p.paused {
		p.anchorWall = p.clk.Now()
		p.paused = false
	}
	p.mu.Unlock()
	p.poke()
}

// Seek moves the replay clock to t, which must lie within the recording.
// Seeking forwards delivers the frames in between at once; seeking backwards
// sends the sink a LinkEvent with Reset, then every frame from the start up
// to the nearest earlier index point except charger measurements, the
// chargers' latest measurements there as one batch, then the frames from
// there up to t: the sink ends as a play from the start to t leaves it.
// Once Run has returned at the end of the recording it is ErrEnded.
// Now reaches t only once the frames up to t are delivered (see Now).
func (p *Player) Seek(t time.Time) error {
	p.mu.Lock()
	if err := p.checkSeekLocked(t); err != nil {
		p.mu.Unlock()
		return err
	}
	if !p.unpaced {
		// held is what Now said before this seek (a seek during a
		// catch-up keeps the earlier catch-up's reading).
		p.held = p.nowLocked()
		p.catching, p.target = true, t
		p.targetBeforeRun = !p.started
		p.catchUps++
	}
	p.seek = &t
	p.anchorRec = t
	p.anchorWall = p.clk.Now()
	p.mu.Unlock()
	p.poke()
	return nil
}

// CheckSeek returns the error Seek(t) would return now, without seeking:
// a desk that journals and announces a seek asks first, so a refused one
// is neither.
func (p *Player) CheckSeek(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.checkSeekLocked(t)
}

func (p *Player) checkSeekLocked(t time.Time) error {
	// Past what is read of a recording still being read is taken: the
	// seek waits for it (Loading), and one past the end the reading finds
	// stops there.
	if v := p.rec.view(); t.Before(v.Start()) || (v.done && t.After(v.End())) {
		e := &SeekRangeError{From: v.Start(), Loc: p.rec.Header.Location()}
		if v.done {
			// Before that, the end of what is read is not the recording's.
			e.To = v.End()
		}
		return e
	}
	if p.ended {
		return &EndedError{At: p.rec.End().In(p.rec.Header.Location())}
	}
	return nil
}

// Run implements feeds.Source: it delivers the recording to sink, paced by
// the clock, and returns nil at the end (unless looping) or ctx.Err().
func (p *Player) Run(ctx context.Context, sink feeds.Sink) error {
	p.mu.Lock()
	if p.started {
		p.mu.Unlock()
		return fmt.Errorf("replay: player already ran")
	}
	p.started = true
	p.anchorWall = p.clk.Now()
	p.mu.Unlock()

	v, more := p.rec.viewAndChange()
	entries := v.entries
	sink.HandleLink(feeds.LinkEvent{Up: true, At: p.rec.Start()})
	pos := 0
	first := true
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.mu.Lock()
		if p.seek != nil {
			target := *p.seek
			p.seek = nil
			p.holding = false
			p.mu.Unlock()
			pos = p.jump(sink, pos, target, first)
			continue
		}
		if pos >= len(entries) && !v.done {
			p.mu.Unlock()
			if v, more = p.rec.viewAndChange(); pos < len(v.entries) || v.done {
				entries = v.entries
				continue
			}
			p.starve(ctx, more)
			continue
		}
		if pos == len(entries) {
			if p.catching && p.target.After(p.rec.End()) {
				// Taken while the file was read; its end came first.
				p.refuseLocked()
				tell, refused := p.onRefused, p.refused
				p.mu.Unlock()
				if tell != nil {
					tell(refused)
				}
				continue
			}
			p.catchUpInLocked()
			if p.hold {
				tell := !p.holding
				p.holding = true
				p.mu.Unlock()
				if tell {
					// Played out: an end, not a lost link, as without
					// HoldAtEnd; a seek back takes it back (its Reset).
					sink.HandleLink(feeds.LinkEvent{At: p.rec.End(), End: true})
				}
				if p.onHold != nil {
					p.onHold()
				}
				select {
				case <-ctx.Done():
				case <-p.wake:
				}
				continue
			}
			if !p.loop {
				p.ended = true
				p.mu.Unlock()
				// Played out: an end, not a lost link.
				sink.HandleLink(feeds.LinkEvent{At: p.rec.End(), End: true})
				return nil
			}
			p.anchorRec, p.anchorWall = p.rec.Start(), p.clk.Now()
			p.emitted = time.Time{}
			p.loops++
			p.mu.Unlock()
			sink.HandleLink(feeds.LinkEvent{Up: true, At: p.rec.Start(), Reset: true})
			pos = 0
			continue
		}
		e := entries[pos]
		if p.unpaced {
			p.emitted = e.T
			p.mu.Unlock()
			sink.HandleFrame(e.Frame)
			pos++
			first = false
			continue
		}
		due := p.pacedLocked()
		if p.catching {
			due = p.target
		}
		if !e.T.After(due) {
			p.emitted = e.T
			p.mu.Unlock()
			sink.HandleFrame(e.Frame)
			pos++
			first = false
			continue
		}
		if p.catching {
			p.catchUpInLocked()
			p.mu.Unlock()
			continue
		}
		now := due
		var timer clock.Timer
		var fire <-chan time.Time
		wait := time.Duration(-1)
		if !p.paused {
			wait = time.Duration(math.Ceil(float64(e.T.Sub(now)) / p.speed))
			timer = p.clk.NewTimer(wait)
			fire = timer.C()
		}
		p.mu.Unlock()
		if p.onWait != nil {
			p.onWait(wait)
		}
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// RefusedSeek is a seek (or the command line's --start) that a Player
// took while its recording was still being read (Open), to a time the
// reading then found past the recording's end. Refused before the
// reading got there, it would have been told at once (CheckSeek); found
// now, the player undoes it: it goes back to Back as a backward seek
// does, and plays on from there.
type RefusedSeek struct {
	N      int       // seeks refused so far, from 1; 0: none
	Target time.Time // the time sought
	End    time.Time // the recording's end, as the reading found it
	// Back is where playback goes on from: what the clock read before
	// the seek, or the recording's start for a seek taken before Run
	// (BeforeRun, a --start), which had played nothing yet.
	Back      time.Time
	BeforeRun bool
}

// OnRefused makes f be told of each seek (or --start) the reading finds
// past the recording's end, as Loading().Refused says it, once it is
// refused and before it is undone; f runs on Run's goroutine and must not
// call the Player. A desk that journalled the seek (clock_seek) journals
// its refusal with it: the screen says the seek was refused, and the
// journal said only that it was made. nil stops the telling.
func (p *Player) OnRefused(f func(RefusedSeek)) {
	p.mu.Lock()
	p.onRefused = f
	p.mu.Unlock()
}

// refuseLocked undoes the catch-up under way, whose target the reading
// has found past the recording's end: the frames delivered on the way are
// taken back by a backward seek to where the clock was before it (the
// start, for a seek before Run), and the refusal is noted for Loading.
// Staying at the end instead would leave the desk on a time nobody asked
// for, with nothing more to play.
func (p *Player) refuseLocked() {
	back := p.held
	if p.targetBeforeRun || back.Before(p.rec.Start()) {
		back = p.rec.Start()
	}
	p.refused = RefusedSeek{N: p.refused.N + 1, Target: p.target, End: p.rec.End(), Back: back, BeforeRun: p.targetBeforeRun}
	p.catching, p.target, p.targetBeforeRun = true, back, false
	p.catchUps++
	p.seek = &back
	p.anchorRec, p.anchorWall = back, p.clk.Now()
}

// starve waits until the reading publishes more (more is closed), a
// control wakes Run, or ctx is done. The clock holds at the last frame
// read meanwhile (pacedLocked stops at the recording's end as read) and
// runs on from there, not from where it would have got to.
func (p *Player) starve(ctx context.Context, more <-chan struct{}) {
	p.mu.Lock()
	p.waiting = true
	state := p.loadingLocked()
	p.mu.Unlock()
	if p.onStarve != nil {
		p.onStarve(state)
	}
	select {
	case <-ctx.Done():
	case <-p.wake:
	case <-more:
	}
	p.mu.Lock()
	p.waiting = false
	if !p.catching && !p.paused && !p.unpaced && !p.emitted.IsZero() {
		p.anchorRec, p.anchorWall = p.emitted, p.clk.Now()
	}
	p.mu.Unlock()
}

// LoadState is what a Player waits for, if anything, while its recording
// is still being read (Open), and how far the reading has got.
type LoadState struct {
	// Waiting: Run waits for frames not read yet: a seek's (or
	// --start's) Target past the last frame read, which it delivers what
	// is read on the way to, or (Target zero) playback has caught up with
	// the reading.
	Waiting bool
	Target  time.Time
	// Refused is the latest seek the reading found past the recording's
	// end, undone (N 0: none).
	Refused RefusedSeek
	Progress
}

// Loading returns what the player waits for and how far the reading of
// its recording has got.
func (p *Player) Loading() LoadState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loadingLocked()
}

func (p *Player) loadingLocked() LoadState {
	s := LoadState{Progress: p.rec.Progress(), Refused: p.refused}
	switch {
	case s.Done:
	case p.catching:
		// Delivering what is read on the way counts as waiting too (the
		// desk says "loading 17:00…" all through, not "up" in between);
		// once the target is read, Run is about to deliver it.
		if p.target.After(s.Until) {
			s.Waiting, s.Target = true, p.target
		}
	default:
		s.Waiting = p.waiting
	}
	return s
}

// catchUpInLocked ends a catch-up (if one is under way): every frame up to
// its target is delivered, so the clock reads the target from now on and
// runs from there. The pace starts now, not at the seek: the seconds spent
// delivering would otherwise be owed at once as a second catch-up.
func (p *Player) catchUpInLocked() {
	if !p.catching {
		return
	}
	p.catching = false
	p.anchorRec, p.anchorWall = p.target, p.clk.Now()
}

// jump handles a seek to target from position pos and returns the new
// position. Forward seeks just let the loop deliver the frames in between
// (a start later than the recording's too: the dashboard's day curves want
// them); backward ones reset the sink and rebuild it from the start up to
// the index point before target (rebuild), after which the loop delivers
// the rest. Unpaced, a start later skips to the index point's state: the
// headless summary begins at the start it was given.
func (p *Player) jump(sink feeds.Sink, pos int, target time.Time, first bool) int {
	v := p.rec.view() // holds at least pos entries: a view only grows
	entries := v.entries
	forward := pos > 0 && !entries[pos-1].T.After(target)
	if forward || (pos == 0 && first && !p.unpaced) {
		return pos // the loop catches up
	}
	if pos == 0 && first {
		cp := v.checkpointBefore(target)
		if cp.pos == 0 {
			return 0
		}
		p.restore(sink, cp)
		return cp.pos
	}
	cp := v.checkpointBefore(target)
	// The sink forgets everything: the clock starts over from the
	// recording's start and follows the rebuild (see Now).
	p.mu.Lock()
	p.held, p.emitted = p.rec.Start(), time.Time{}
	p.mu.Unlock()
	sink.HandleLink(feeds.LinkEvent{Up: true, At: target, Reset: true})
	p.rebuild(sink, v, cp)
	return cp.pos
}

// restore sends a checkpoint's hello and state.
func (p *Player) restore(sink feeds.Sink, cp checkpoint) {
	// the sink may read Now while it takes the state: it is the state's time
	p.mu.Lock()
	p.emitted = cp.t
	p.mu.Unlock()
	if cp.hello != nil {
		sink.HandleFrame(cp.hello)
	}
	if len(cp.state) > 0 {
		if b := stateBatch(cp.state); b != nil {
			sink.HandleFrame(b)
		}
	}
}

// rebuild brings a reset sink to where a play from the start would have it
// at checkpoint cp: every frame before cp but charger measurements, in
// order (the feeder loads behind the day curves and sparklines, hellos,
// events, acks), then each charger's latest measurement as one batch. A
// fleet keeps only a charger's latest, and those are most of a recording,
// so this costs a fraction of playing it all again.
func (p *Player) rebuild(sink feeds.Sink, v view, cp checkpoint) {
	v.historyFrames(cp.pos, func(t time.Time, frame []byte) {
		p.mu.Lock()
		p.emitted = t
		p.mu.Unlock()
		sink.HandleFrame(frame)
	})
	if len(cp.chargers) > 0 {
		// The clock reads the oldest charger's time while the sink takes
		// them: each is heard at its own time, as a play hears it (a
		// fleet on a replay counts a frame stamped ahead of its clock
		// from its stamp).
		p.mu.Lock()
		p.emitted = cp.chargersFrom
		p.mu.Unlock()
		if b := stateBatch(cp.chargers); b != nil {
			sink.HandleFrame(b)
		}
	}
}

// span writes from..to in loc compactly: "2024-01-17 16:28..23:59", with the
// second day written out when they differ and seconds when either has any;
// a zero to (an end not known yet) leaves the span open: "2024-01-17 16:28..".
func span(from, to time.Time, loc *time.Location) string {
	from = from.In(loc)
	clock := "15:04"
	if from.Second() != 0 || to.Second() != 0 || from.Nanosecond() != 0 || to.Nanosecond() != 0 {
		clock = "15:04:05"
	}
	if to.IsZero() {
		return from.Format("2006-01-02 "+clock) + ".."
	}
	to = to.In(loc)
	end := to.Format(clock)
	if y, m, d := from.Date(); to.Year() != y || to.Month() != m || to.Day() != d {
		end = to.Format("2006-01-02 " + clock)
	}
	return from.Format("2006-01-02 "+clock) + ".." + end
}
