package feeds

import "time"

// Chargers' latest values live in fixed-size chunks. A Snapshot shares the
// chunks that exist when it is taken; the Fleet copies a shared chunk before
// its next write to it (copy on write), so a snapshot costs a slice of chunk
// pointers instead of a copy of every charger.

const (
	chunkBits = 6
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// A charger's latest values are split in two, stored compactly: the hot
// part every snapshot's charger pass reads (56 bytes, so a pass over 100,000
// chargers streams 5.6 MB rather than all of it) and the cold rest. Frames
// are rebuilt on demand (chargerFrame); their optional pointers point into
// the (then immutable) chunk.
type chargerHot struct {
	kw, soc, bat, tgt      float64
	heard                  int64 // fleet clock (Unix ns) when last measured
	depNS                  int64 // departure in Unix ns
	state                  uint8 // index in ChargerStates
	seen, plugged          bool
	hasSoC, hasBat, hasTgt bool
	hasDep, hasSetp        bool
}

type chargerCold struct {
	setp    float64
	ts, dep time.Time
	ack     *AckFrame
}

type chargerChunk struct {
	hot  [chunkSize]chargerHot
	cold [chunkSize]chargerCold
}

// set stores a charger frame as charger j of the chunk, keeping its ack.
func (k *chargerChunk) set(j int, f *ChargerFrame, heard time.Time) {
	h, c := &k.hot[j], &k.cold[j]
	*h = chargerHot{kw: f.KW, heard: heard.UnixNano(), state: uint8(f.State.Index()), seen: true, plugged: f.Plugged}
	*c = chargerCold{ts: f.TS, ack: c.ack}
	if f.SoC != nil {
		h.soc, h.hasSoC = *f.SoC, true
	}
	if f.BatteryKWh != nil {
		h.bat, h.hasBat = *f.BatteryKWh, true
	}
	if f.TargetSoC != nil {
		h.tgt, h.hasTgt = *f.TargetSoC, true
	}
	if f.Departure != nil {
		c.dep, h.hasDep, h.depNS = *f.Departure, true, f.Departure.UnixNano()
	}
	if f.SetpointKW != nil {
		c.setp, h.hasSetp = *f.SetpointKW, true
	}
}

// frame rebuilds charger j's ChargerFrame. The chunk must be one nobody
// writes any more (a snapshot's), since the optional fields point into it.
func (k *chargerChunk) frame(j int, id string) ChargerFrame {
	h, c := &k.hot[j], &k.cold[j]
	f := ChargerFrame{
		Header: NewHeader(TypeCharger), ID: id, TS: c.ts,
		State: ChargerStates[h.state], KW: h.kw, Plugged: h.plugged,
	}
	if h.hasSoC {
		f.SoC = &h.soc
	}
	if h.hasBat {
		f.BatteryKWh = &h.bat
	}
	if h.hasTgt {
		f.TargetSoC = &h.tgt
	}
	if h.hasDep {
		f.Departure = &c.dep
	}
	if h.hasSetp {
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

// at returns the chunk holding charger i, for reading, and i's index in it.
func (s *chargerStore) at(i int) (*chargerChunk, int) { return s.chunks[i>>chunkBits], i & chunkMask }

// mut returns the chunk holding charger i for writing, copying it first if
// a snapshot shares it, and i's index in it.
func (s *chargerStore) mut(i int) (*chargerChunk, int) {
	k := i >> chunkBits
	if s.shared[k] {
		cp := *s.chunks[k]
		s.chunks[k] = &cp
		s.shared[k] = false
	}
	return s.chunks[k], i & chunkMask
}

// copyFrom copies charger j of store o to charger i of s (s unshared).
func (s *chargerStore) copyFrom(i int, o *chargerStore, j int) {
	dk, di := s.mut(i)
	sk, sj := o.at(j)
	dk.hot[di], dk.cold[di] = sk.hot[sj], sk.cold[sj]
}

// share marks every chunk shared and returns a copy of the chunk list.
func (s *chargerStore) share() []*chargerChunk {
	for i := range s.shared {
		s.shared[i] = true
	}
	return append([]*chargerChunk(nil), s.chunks...)
}
