package feeds

import (
	"encoding/json"
	"math"
	"time"
)

// This file turns the members of a frame into its Go type, checking each
// field. Rules common to all frames (docs/protocol.md, "Frames"):
//   - a required field that is absent or null is RejectMissingField (a
//     required string must also be non-empty); a timestamp is RejectBadTime;
//   - a field of the wrong JSON kind is RejectBadJSON;
//   - a number that overflows float64 or leaves its range is RejectOutOfRange.

// chargerBox holds a charger frame and its optional values in one
// allocation; the frame's pointers point into the box.
type chargerBox struct {
	fr                  ChargerFrame
	soc, bat, tgt, setp float64
	dep                 time.Time
}

func decodeCharger(f *fields) *ChargerFrame {
	f.kind = "charger"
	id := f.str("id", true)
	f.id = id
	ts, _ := f.time("ts", true)
	st := chargerState(f)
	kw, _ := f.num("kw", true)
	plugged := f.boolean("plugged", true)
	box := &chargerBox{fr: ChargerFrame{Header: NewHeader(TypeCharger), ID: id, TS: ts, State: st, KW: kw, Plugged: plugged}}
	fr := &box.fr
	var ok bool
	if box.soc, ok = f.numIn("soc", false, 0, 1); ok {
		fr.SoC = &box.soc
	}
	if box.bat, ok = f.numMin("battery_kwh", false, 0); ok {
		fr.BatteryKWh = &box.bat
	}
	if box.tgt, ok = f.numIn("target_soc", false, 0, 1); ok {
		fr.TargetSoC = &box.tgt
	}
	if box.dep, ok = f.time("departure", false); ok {
		fr.Departure = &box.dep
	}
	if box.setp, ok = f.num("setpoint_kw", false); ok {
		fr.SetpointKW = &box.setp
	}
	return fr
}

// chargerState reads "state" without allocating.
func chargerState(f *fields) ChargerState {
	b, ok := f.rawStr("state")
	if !ok {
		return ""
	}
	for _, s := range ChargerStates {
		if string(b) == string(s) {
			return s
		}
	}
	f.fail(RejectBadState, "state %q is not one of available, charging, discharging, suspended, faulted, offline", b)
	return ""
}

type feederBox struct {
	fr    FeederFrame
	limit float64
}

func decodeFeeder(f *fields) *FeederFrame {
	f.kind = "feeder"
	id := f.str("id", true)
	f.id = id
	ts, _ := f.time("ts", true)
	kw, _ := f.num("kw", true)
	box := &feederBox{fr: FeederFrame{Header: NewHeader(TypeFeeder), ID: id, TS: ts, KW: kw}}
	var ok bool
	if box.limit, ok = f.numMin("limit_kw", false, 0); ok {
		box.fr.LimitKW = &box.limit
	}
	return &box.fr
}

func decodeEvent(f *fields) *EventFrame {
	f.kind = "event"
	e := &EventFrame{Header: NewHeader(TypeEvent)}
	e.ID = f.str("id", true)
	f.id = e.ID
	if b, ok := f.rawStr("kind"); ok {
		switch k := EventKind(b); k {
		case EventImportCap, EventShed, EventExport, EventPrice:
			e.Kind = k
		default:
			f.fail(RejectBadState, "kind %q is not one of import_cap, shed, export, price", b)
		}
	}
	e.Scope = f.str("scope", true)
	e.Start, _ = f.time("start", true)
	e.End, _ = f.time("end", true)
	if *f.errp == nil && !e.End.After(e.Start) {
		// Quote the times as the sender wrote them: the parsed ones are in
		// UTC, and "end 09:00Z" reads as another time than the file's 17:00+08:00.
		start, _ := f.rawStr("start")
		end, _ := f.rawStr("end")
		f.fail(RejectBadTime, "end %s is not after start %s", end, start)
	}
	e.KW, _ = f.num("kw", true)
	if p, ok := f.num("price", e.Kind == EventPrice); ok {
		e.Price = &p
	}
	e.Source = f.str("source", false)
	return e
}

func decodeAck(f *fields) *AckFrame {
	f.kind = "ack"
	a := &AckFrame{Header: NewHeader(TypeAck)}
	a.ID = f.str("id", true)
	f.id = a.ID
	a.Charger = f.str("charger", false)
	a.TS, _ = f.time("ts", false)
	if b, ok := f.rawStr("status"); ok {
		switch s := AckStatus(b); s {
		case AckAccepted, AckClamped, AckRejected, AckFailed:
			a.Status = s
		default:
			f.fail(RejectBadState, "status %q is not one of accepted, clamped, rejected, failed", b)
		}
	}
	a.AppliedKW, _ = f.num("applied_kw", true)
	a.Reason = f.str("reason", false)
	return a
}

func decodeHello(f *fields) *Hello {
	f.kind = "hello"
	h := &Hello{Header: NewHeader(TypeHello)}
	h.Site = f.str("site", true)
	f.id = h.Site
	h.TimeZone = f.str("tz", false)
	h.TS, _ = f.time("ts", true)
	h.Mode = f.str("mode", false)
	if sub, ok := f.object("system"); ok {
		lim, _ := sub.numMin("import_limit_kw", true, 0)
		h.System = &SystemInfo{ImportLimitKW: lim}
	}
	feeders, _ := f.array("feeders", true)
	h.Feeders = make([]FeederInfo, 0, len(feeders))
	for i, raw := range feeders {
		sub, ok := f.element("hello feeders", i, raw)
		if !ok {
			break
		}
		var fi FeederInfo
		fi.ID = sub.str("id", true)
		sub.id = fi.ID
		fi.Name = sub.str("name", false)
		fi.ImportLimitKW, _ = sub.numMin("import_limit_kw", true, 0)
		if x, ok := sub.numMin("export_limit_kw", false, 0); ok {
			fi.ExportLimitKW = &x
		}
		h.Feeders = append(h.Feeders, fi)
		if !f.adopt(&sub) {
			break
		}
	}
	chargers, _ := f.array("chargers", true)
	h.Chargers = make([]ChargerInfo, 0, len(chargers))
	for i, raw := range chargers {
		sub, ok := f.element("hello chargers", i, raw)
		if !ok {
			break
		}
		var ci ChargerInfo
		ci.ID = sub.str("id", true)
		sub.id = ci.ID
		ci.Feeder = sub.str("feeder", true)
		ci.MaxChargeKW, _ = sub.numMin("max_charge_kw", true, 0)
		ci.MaxDischargeKW, _ = sub.numMin("max_discharge_kw", false, 0)
		ci.Adapter = sub.str("adapter", false)
		h.Chargers = append(h.Chargers, ci)
		if !f.adopt(&sub) {
			break
		}
	}
	return h
}

// element splits the i'th element of an array of objects.
func (f *fields) element(kind string, i int, raw []byte) (fields, bool) {
	if *f.errp != nil {
		return fields{}, false
	}
	name := kind + "[" + itoa(i) + "]"
	if raw[0] != '{' {
		f.fail(RejectBadJSON, "%s: want an object, got %s", name[len(f.kind)+1:], JSONKind(raw))
		return fields{}, false
	}
	m, mayDup, err := f.sp.object(raw, nil)
	if err != nil {
		f.splitErr(name[len(f.kind)+1:], err)
		return fields{}, false
	}
	return fields{kind: name, m: m, mayDup: mayDup, sp: f.sp, errp: f.errp}, true
}

// adopt reports whether the nested object sub (which shares f's error) was fine.
func (f *fields) adopt(sub *fields) bool {
	return *sub.errp == nil
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

func decodeBatch(f *fields) *Batch {
	f.kind = "batch"
	b := &Batch{Header: NewHeader(TypeBatch)}
	frames, _ := f.array("frames", true)
	b.Frames = make([]json.RawMessage, len(frames))
	for i, fr := range frames {
		b.Frames[i] = fr
	}
	if o, ok := f.object("catch_up"); ok {
		b.CatchUp = decodeCatchUp(&o)
	}
	if o, ok := f.object("pause"); ok {
		b.Pause = decodePause(&o)
	}
	if o, ok := f.object("restart"); ok {
		b.Restart = decodeRestart(&o)
	}
	if o, ok := f.object("clock"); ok {
		b.Clock = decodeClock(&o)
	}
	if o, ok := f.object("conflated"); ok {
		b.Conflated = decodeConflated(&o)
	}
	return b
}

// decodeConflated reads a batch's conflated signal. Whether it fits the
// stream (its order) is the Fleet's check.
func decodeConflated(f *fields) *ConflatedSignal {
	c := &ConflatedSignal{}
	c.Set = wholeAtLeast(f, "set", 1, true)
	c.To, _ = f.time("to", true)
	c.Replaced = wholeAtLeast(f, "replaced", 0, false)
	c.Done = f.boolean("done", false)
	return c
}

// wholeAtLeast reads a whole number of at least min, up to 2^53.
func wholeAtLeast(f *fields, key string, least float64, required bool) uint64 {
	n, ok := f.float(key, required)
	if ok && n < least {
		f.fail(RejectOutOfRange, "%s %v below %v", key, n, least)
	} else if ok && (n != math.Trunc(n) || n > 1<<53) {
		f.fail(RejectOutOfRange, "%s %v is not a whole number up to 2^53", key, n)
	}
	return uint64(n)
}

// decodeClock reads a batch's clock signal. Whether it fits the stream
// (its feed's mode) is the Fleet's check.
func decodeClock(f *fields) *ClockSignal {
	c := &ClockSignal{}
	speed, ok := f.float("speed", true)
	if ok && !(speed > 0 && speed <= MaxClockSpeed) {
		f.fail(RejectOutOfRange, "speed %v not above 0 and up to %g", speed, float64(MaxClockSpeed))
	}
	c.Speed = speed
	return c
}

// decodeRestart reads a batch's restart signal.
func decodeRestart(f *fields) *RestartSignal {
	r := &RestartSignal{}
	r.At, _ = f.time("at", true)
	n, ok := f.float("dropped", true)
	if ok && (n < 0 || n != math.Trunc(n) || n > 1<<31) {
		f.fail(RejectOutOfRange, "dropped %v is not a whole number up to 2^31", n)
	}
	r.Dropped = int(n)
	return r
}

// decodeCatchUp reads a batch's catch_up signal. Whether it fits the
// stream (its order, its feed's mode, its target) is the Fleet's check.
func decodeCatchUp(f *fields) *CatchUpSignal {
	c := &CatchUpSignal{}
	seek, ok := f.float("seek", true)
	if ok && seek < 1 {
		f.fail(RejectOutOfRange, "seek %v below 1", seek)
	} else if ok && (seek != math.Trunc(seek) || seek > 1<<53) {
		f.fail(RejectOutOfRange, "seek %v is not a whole number up to 2^53", seek)
	}
	c.Seek = uint64(seek)
	c.To, _ = f.time("to", true)
	c.Done = f.boolean("done", false)
	return c
}

// decodePause reads a batch's pause signal. Whether it fits the stream
// (its feed's mode) is the Fleet's check.
func decodePause(f *fields) *PauseSignal {
	p := &PauseSignal{}
	p.At, _ = f.time("at", true)
	p.Resumed = f.boolean("resumed", false)
	return p
}

func decodeSubscribe(f *fields) *Subscribe {
	f.kind = "subscribe"
	s := &Subscribe{Header: NewHeader(TypeSubscribe)}
	ids, _ := f.array("feeders", false)
	for i, raw := range ids {
		id, ok := decodeString(raw)
		if !ok {
			f.fail(RejectBadJSON, "feeders[%d]: want a string, got %s", i, JSONKind(raw))
			break
		}
		if id == "" {
			f.fail(RejectMissingField, "feeders[%d] empty", i)
			break
		}
		s.Feeders = append(s.Feeders, id)
	}
	return s
}

func decodeSetpoint(f *fields) *SetpointFrame {
	f.kind = "setpoint"
	s := &SetpointFrame{Header: NewHeader(TypeSetpoint)}
	s.ID = f.str("id", true)
	f.id = s.ID
	s.Charger = f.str("charger", true)
	s.KW, _ = f.num("kw", true)
	s.ValidUntil, _ = f.time("valid_until", true)
	s.Event = f.str("event", false)
	s.Reason = f.str("reason", false)
	return s
}
