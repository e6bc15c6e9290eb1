package feeds

import "time"

// Chargers' latest values live in fixed-size chunks. A Snapshot shares the
// chunks that exist when it is taken; the Fleet copies a shared chunk before
// its next write to it (copy on write), so a snapshot costs a slice of chunk
// pointers instead of a copy of every charger.

const (
	chunkBits = 8
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// chargerLive is what a charger last said, stored compactly. Frames are
// rebuilt from it on demand (chargerLive.frame); their optional pointers point
// into the (then immutable) chunk.
type chargerLive struct {
	// Read by every snapshot's charger pass: kept together in the first
	// 64 bytes so that pass touches one cache line per charger.
	kw, soc, bat, tgt      float64
	heard                  int64 // fleet clock (Unix ns) when last measured
	depNS                  int64 // dep in Unix ns
	state                  uint8 // index in ChargerStates
	seen, plugged          bool
	hasSoC, hasBat, hasTgt bool
	hasDep, hasSetp        bool

	setp    float64
	ts, dep time.Time
	ack     *AckFrame
}

type chargerChunk struct {
	live [chunkSize]chargerLive
}

// set stores a charger frame.
func (c *chargerLive) set(f *ChargerFrame, heard time.Time) {
	*c = chargerLive{
		ts: f.TS, kw: f.KW, heard: heard.UnixNano(), ack: c.ack,
		state: uint8(f.State.Index()), seen: true, plugged: f.Plugged,
	}
	if f.SoC != nil {
		c.soc, c.hasSoC = *f.SoC, true
	}
	if f.BatteryKWh != nil {
		c.bat, c.hasBat = *f.BatteryKWh, true
	}
	if f.TargetSoC != nil {
		c.tgt, c.hasTgt = *f.TargetSoC, true
	}
	if f.Departure != nil {
		c.dep, c.hasDep = *f.Departure, true
		c.depNS = c.dep.UnixNano()
	}
	if f.SetpointKW != nil {
		c.setp, c.hasSetp = *f.SetpointKW, true
	}
}

// frame rebuilds the ChargerFrame. c must be in a chunk nobody writes any
// more (a snapshot's), since the optional fields point into it.
func (c *chargerLive) frame(id string) ChargerFrame {
	f := ChargerFrame{
		Header: NewHeader(TypeCharger), ID: id, TS: c.ts,
		State: ChargerStates[c.state], KW: c.kw, Plugged: c.plugged,
	}
	if c.hasSoC {
		f.SoC = &c.soc
	}
	if c.hasBat {
		f.BatteryKWh = &c.bat
	}
	if c.hasTgt {
		f.TargetSoC = &c.tgt
	}
	if c.hasDep {
		f.Departure = &c.dep
	}
	if c.hasSetp {
		f.SetpointKW = &c.setp
	}
	return f
}

// chargerStore holds the chunks and which of them a snapshot shares.
type chargerStore struct {
	chunks []*chargerChunk
	shared []bool
}

func newChargerStore(n int) chargerStore {
	k := (n + chunkSize - 1) / chunkSize
	s := chargerStore{chunks: make([]*chargerChunk, k), shared: make([]bool, k)}
	for i := range s.chunks {
		s.chunks[i] = new(chargerChunk)
	}
	return s
}

// at returns charger i for reading.
func (s *chargerStore) at(i int) *chargerLive { return &s.chunks[i>>chunkBits].live[i&chunkMask] }

// mut returns charger i for writing, copying its chunk first if shared.
func (s *chargerStore) mut(i int) *chargerLive {
	k := i >> chunkBits
	if s.shared[k] {
		cp := *s.chunks[k]
		s.chunks[k] = &cp
		s.shared[k] = false
	}
	return &s.chunks[k].live[i&chunkMask]
}

// share marks every chunk shared and returns a copy of the chunk list.
func (s *chargerStore) share() []*chargerChunk {
	for i := range s.shared {
		s.shared[i] = true
	}
	return append([]*chargerChunk(nil), s.chunks...)
}
