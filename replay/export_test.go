package replay

import "time"

// SetOnWait lets the external tests (which may import the simulator, which
// imports this package) learn when a Player has caught up: f is called each
// time Run blocks, with the wall time it will wait or -1 while paused.
func SetOnWait(p *Player, f func(d time.Duration)) { p.onWait = f }
