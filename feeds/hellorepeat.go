package feeds

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// A desk gets the same hello twice per connection (on connecting, and in
// answer to subscribe: docs/protocol.md) and again on every reconnect, and
// at 100,000 chargers decoding and applying one costs it about 0.2 s
// (docs/benchmarks.md). So the Fleet keeps a digest of the hello its
// topology came from, over every top-level member but "ts", and a hello
// with the same digest is not decoded or applied again: only its ts is
// read, to move the data clock and to tell a simulator restarted at an
// earlier hour (a new day, applyHello). The ts is left out because it is
// the one member a repeat changes: the simulator splices the current time
// into the hello it built once (replay/sim, helloLocked).

// helloDigest is the SHA-256 of a hello's top-level members other than
// "ts", each name and value length-prefixed, in order. A cryptographic
// hash, because a collision would keep a topology that changed (a
// charger's bounds, which the guard holds setpoints to).
type helloDigest [sha256.Size]byte

// typeScanLimit is how far into a message its "type" member is looked for
// before it is taken not to be a hello worth recognising: the check runs
// on every message, and a batch's "type" leads it (v2gdesk writes "v" and
// "type" first), so a message whose type follows a large member is decoded
// as before, whatever it is.
const typeScanLimit = 4 << 10

// leadingType returns the type of the JSON object raw as its first "type"
// member says, when that member starts within typeScanLimit bytes; ""
// otherwise, or when raw does not scan that far as an object with plain
// member names. It reads no further than that member.
func leadingType(raw []byte) FrameType {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return ""
	}
	i = skipWS(raw, i+1)
	for i < len(raw) && i < typeScanLimit && raw[i] == '"' {
		end, esc, err := scanString(raw, i)
		if err != nil || esc {
			return ""
		}
		key := raw[i+1 : end-1]
		i = skipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return ""
		}
		i = skipWS(raw, i+1)
		vs := i
		if i, err = skipValue(raw, i, 2); err != nil {
			return ""
		}
		if string(key) == "type" {
			return knownType(stringBytes(raw[vs:i]))
		}
		if i = skipWS(raw, i); i >= len(raw) || raw[i] != ',' {
			return ""
		}
		i = skipWS(raw, i+1)
	}
	return ""
}

// digestHello returns the digest of raw when it is a hello (as Decode
// would read its header) and its ts. ok is false for any other message, a
// hello whose header or ts would not decode, or one the fast scanner
// declines: Decode then decides, and says what is wrong.
func digestHello(raw []byte) (d helloDigest, ts time.Time, ok bool) {
	if len(raw) > MaxHelloBytes || leadingType(raw) != TypeHello {
		return d, ts, false
	}
	var buf [24]member
	m, mayDup, err := splitter{fast: true}.object(raw, buf[:0])
	if err != nil {
		return d, ts, false
	}
	var rerr *RejectError
	f := fields{kind: "hello", m: m, mayDup: mayDup, sp: splitter{fast: true}, errp: &rerr}
	if typ, herr := header(&f); herr != nil || typ != TypeHello {
		return d, ts, false
	}
	ts, _ = f.time("ts", true)
	if rerr != nil {
		return d, ts, false
	}
	h := sha256.New()
	var n [8]byte
	for _, mb := range m {
		if string(mb.key) == "ts" {
			continue // every "ts": the last is the hello's, and it is read above
		}
		for _, b := range [2][]byte{mb.key, mb.val} {
			binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
	}
	h.Sum(d[:0])
	return d, ts, true
}

// repeatHello takes a hello with digest d and time ts, of n bytes, as a
// repeat when the topology held came from a hello with the same digest:
// it counts the message (accepted, and in FeedStats.HelloRepeats), starts
// a new day when ts says the simulator restarted earlier, and moves the
// data clock, as applying it would. It reports whether it did; false: the
// hello is to be decoded and applied.
func (fl *Fleet) repeatHello(wall time.Time, n int, d helloDigest, ts time.Time) bool {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.topo == nil || !fl.haveHello || fl.helloSum != d {
		return false
	}
	fl.dirty = true
	fl.stats.received(wall, n)
	if fl.helloResetsLocked(fl.topo.mode, ts) {
		fl.resetLocked()
	}
	fl.advanceData(ts)
	fl.stats.accepted(wall)
	fl.stats.helloRepeats++
	return true
}
