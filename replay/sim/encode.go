package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// maxBatchBytes keeps every batch well under feeds.MaxFrameBytes.
const maxBatchBytes = feeds.MaxFrameBytes / 2

func (s *Sim) buildHello() ([]byte, error) {
	h := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: s.sc.Site, TimeZone: s.sc.TimeZone,
		TS: s.now, Mode: "simulation"}
	if s.sc.SystemLimitKW > 0 {
		h.System = &feeds.SystemInfo{ImportLimitKW: s.sc.SystemLimitKW}
	}
	for _, f := range s.sc.Feeders {
		h.Feeders = append(h.Feeders, feeds.FeederInfo{ID: f.ID, Name: f.Name, ImportLimitKW: f.ImportLimitKW, ExportLimitKW: f.ExportLimitKW})
	}
	h.Chargers = make([]feeds.ChargerInfo, len(s.evs))
	for i, e := range s.evs {
		h.Chargers[i] = feeds.ChargerInfo{ID: e.id, Feeder: s.sc.Feeders[e.feeder].ID, MaxChargeKW: e.maxC, MaxDischargeKW: e.maxD, Adapter: s.adapter}
	}
	b, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("sim: hello: %w", err)
	}
	return b, nil
}

// Hello returns the hello frame, with the current time as its ts.
func (s *Sim) Hello() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.helloLocked()
}

// helloTS is how the hello's ts member starts in s.hello. It is the first
// such run of bytes there: the members before it (v, type, site, tz) are
// numbers and strings, in which a quote is always escaped.
const helloTS = `"ts":"`

// helloLocked is s.hello with s.now as its ts. The hello lists every
// charger (9.3 MB for 100,000), so the ts is spliced into the bytes built
// once rather than the whole hello decoded and encoded again: that took a
// second at 100,000 chargers, under the lock that the simulation and every
// new client wait on.
func (s *Sim) helloLocked() []byte {
	i := bytes.Index(s.hello, []byte(helloTS))
	if i < 0 {
		return s.hello
	}
	rest := s.hello[i+len(helloTS):]
	j := bytes.IndexByte(rest, '"')
	ts, err := s.now.MarshalJSON() // as json.Marshal writes a time, quotes included
	if j < 0 || err != nil {
		return s.hello
	}
	out := make([]byte, 0, len(s.hello)+len(ts))
	out = append(out, s.hello[:i+len(helloTS)-1]...)
	out = append(out, ts...)
	return append(out, rest[j+1:]...)
}

// StateFrames returns the whole state now (every feeder and charger) as
// batches, without marking anything as emitted.
func (s *Sim) StateFrames() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.encode(true, false)
}

// frames returns this step's batches and marks what they report as emitted.
func (s *Sim) frames(full bool) [][]byte { return s.encode(full, true) }

// batcher accumulates frames into batches under maxBatchBytes. A batch is
// written into one scratch buffer that is reused, then copied out once at
// its exact size: grown by append from nothing, a 512 KiB batch was copied
// about twice over while growing, and kept up to twice its size (at
// 100,000 EVs, 4.4 MB a step, 44 MB/s at 600x).
type batcher struct {
	out     [][]byte
	cur     []byte
	scratch []byte // cur's storage, kept between batches
	n       int
}

func (b *batcher) add(frame []byte) {
	if b.n > 0 && len(b.cur)+len(frame)+2 > maxBatchBytes {
		b.close()
	}
	if b.n == 0 {
		b.cur = append(b.scratch[:0], `{"v":1,"type":"batch","frames":[`...)
	} else {
		b.cur = append(b.cur, ',')
	}
	b.cur = append(b.cur, frame...)
	b.n++
}

func (b *batcher) close() {
	if b.n == 0 {
		return
	}
	b.cur = append(b.cur, "]}"...)
	b.out = append(b.out, append(make([]byte, 0, len(b.cur)), b.cur...))
	b.scratch, b.cur, b.n = b.cur, nil, 0
}

// appendFeeders adds a frame per feeder at s.now to b.
func (s *Sim) appendFeeders(b *batcher) {
	ts := s.now.In(s.loc).AppendFormat(nil, time.RFC3339)
	var buf []byte
	for i, kw := range s.feederKW {
		buf = appendFeeder(buf[:0], s.feederHeads[i], ts, kw)
		b.add(buf)
	}
}

func (s *Sim) encode(full, mark bool) [][]byte {
	ts := s.now.In(s.loc).AppendFormat(nil, time.RFC3339)
	var b batcher
	var buf []byte
	s.appendFeeders(&b)
	beatSlot := -1
	if s.beat > 0 {
		beatSlot = int(s.stats.Steps % uint64(s.beat))
	}
	for i := range s.evs {
		e := &s.evs[i]
		if !full && (beatSlot < 0 || i%s.beat != beatSlot) && !e.changed() {
			continue
		}
		buf = e.appendFrame(buf[:0], s.chargerHeads[i], ts)
		b.add(buf)
		if mark {
			e.emitted, e.lastState, e.lastKW, e.lastSP = true, e.state(), e.kw, e.sp
		}
	}
	b.close()
	return b.out
}

// appendNum appends x rounded to decimals places, as
// strconv.AppendFloat(b, math.Round(x*10^decimals)/10^decimals, 'f', -1, 64)
// writes it (the bytes the protocol's peers have always read; "0", never
// "-0"), but from the rounded integer: the shortest-form float formatting
// was a tenth of the simulator's time at 100,000 EVs. Below fastNumLimit
// the decimal with decimals places is the only one that rounds to that
// float, so it is the shortest form; beyond it, or not finite, x goes the
// float way (TestAppendNumAsFloat).
func appendNum(b []byte, x float64, decimals int) []byte {
	p := math.Pow10(decimals)
	n := math.Round(x * p)
	if !(math.Abs(n) < fastNumLimit) {
		x = n / p
		if x == 0 {
			x = 0 // no "-0"
		}
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	}
	i := int64(n)
	if i < 0 {
		b = append(b, '-')
		i = -i
	}
	unit := int64(p)
	b = strconv.AppendInt(b, i/unit, 10)
	frac := i % unit
	if frac == 0 {
		return b
	}
	var digits [18]byte
	for k := decimals - 1; k >= 0; k-- {
		digits[k] = byte('0' + frac%10)
		frac /= 10
	}
	end := decimals
	for digits[end-1] == '0' {
		end--
	}
	b = append(b, '.')
	return append(b, digits[:end]...)
}

// fastNumLimit bounds the rounded integers appendNum writes itself: under
// 1e14 units of 10^-decimals (1e11 kW at 3 places), a float's spacing is
// well under one unit, so no other decimal of as many places rounds to the
// same float.
const fastNumLimit = 1e14

// frameHeads returns, for each id, how its frame of type typ starts, up to
// the opening quote of its ts: the same for every frame of it, so written
// once rather than the id quoted and escaped for each frame.
func frameHeads(typ string, ids []string) [][]byte {
	heads := make([][]byte, len(ids))
	for i, id := range ids {
		h := append([]byte(`{"v":1,"type":"`), typ...)
		h = append(h, `","id":`...)
		h = strconv.AppendQuote(h, id)
		heads[i] = append(h, `,"ts":"`...)
	}
	return heads
}

// appendFeeder encodes a feeder frame; head is its frameHeads entry.
func appendFeeder(b, head, ts []byte, kw float64) []byte {
	b = append(b, head...)
	b = append(b, ts...)
	b = append(b, `","kw":`...)
	b = appendNum(b, kw, 3)
	return append(b, '}')
}

// appendFrame encodes e as a protocol v1 charger frame; head is its
// frameHeads entry.
func (e *ev) appendFrame(b, head, ts []byte) []byte {
	b = append(b, head...)
	b = append(b, ts...)
	b = append(b, `","state":"`...)
	b = append(b, e.state()...)
	b = append(b, `","kw":`...)
	b = appendNum(b, e.kw, 3)
	if e.phase != phasePlugged {
		return append(b, `,"plugged":false}`...)
	}
	b = append(b, `,"plugged":true,"soc":`...)
	b = appendNum(b, e.e/e.cap, 4)
	b = append(b, `,"battery_kwh":`...)
	b = appendNum(b, e.cap, 3)
	b = append(b, `,"target_soc":`...)
	b = appendNum(b, e.target/e.cap, 4)
	b = append(b, `,"departure":"`...)
	b = append(b, e.departure...)
	b = append(b, '"')
	if e.sp.active {
		b = append(b, `,"setpoint_kw":`...)
		b = appendNum(b, e.sp.kw, 3)
	}
	return append(b, '}')
}
