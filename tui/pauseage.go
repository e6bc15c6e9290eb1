package tui

import "time"

// The header's "age" is how long ago the feed's latest frame came, by the
// wall clock. A paused source sends nothing, on purpose: its age counted
// up ("age 3 min", "延迟 3 分钟") as a failing feed's does, beside a badge
// saying PAUSED and a clock standing still. While the source is paused (the
// desk's own replay or simulation, or the simulator serving a --feed) the
// age stands at what it was when the pause began, and after the resume it
// counts on from there, not from where the wall time spent paused would
// have put it, as the feed's data clock does (docs/protocol.md, Pause).

// pauseAge is what the header knows of the source's pauses: when the one
// under way began (by the wall clock, as the header first drew it), and
// the last one that ended.
type pauseAge struct {
	since    time.Time // the pause under way began; zero: running
	from, to time.Time // the last pause that ended
}

// age returns how long ago the latest frame (last) came as of now, without
// the time the source was paused since; paused says whether it is now.
func (p *pauseAge) age(now, last time.Time, paused bool) time.Duration {
	if paused {
		if p.since.IsZero() {
			p.since = now
		}
		return max(0, p.since.Sub(last))
	}
	if !p.since.IsZero() {
		p.from, p.to, p.since = p.since, now, time.Time{}
	}
	d := now.Sub(last)
	if !p.to.IsZero() && last.Before(p.from) {
		// No frame since the resume: its age is the one it had at the
		// pause, and counts on from the resume.
		d -= p.to.Sub(p.from)
	}
	return max(0, d)
}
