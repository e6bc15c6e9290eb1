package feeds

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

// Validate checks a frame built in Go (not decoded) by the rules Decode
// applies to JSON: required strings non-empty, finite numbers in range,
// v1 state/kind/status names, plausible timestamps. It cannot tell an absent
// number from 0, so it checks only what a Go value can show. Fleet.Apply
// runs it, so in-process sources meet the same rules as a websocket feed.
func Validate(f Frame) error {
	if err := validateFrame(f); err != nil {
		return err
	}
	return nil
}

// check accumulates the first problem with one frame, like fields does.
type check struct {
	what string
	err  *RejectError
}

func (c *check) fail(r RejectReason, format string, args ...any) {
	if c.err == nil {
		c.err = &RejectError{Reason: r, Detail: c.what + ": " + fmt.Sprintf(format, args...)}
	}
}

func (c *check) str(name, v string) {
	if v == "" {
		c.fail(RejectMissingField, "%s empty", name)
	}
}

func (c *check) num(name string, x float64) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		c.fail(RejectOutOfRange, "%s %v is not finite", name, x)
	case math.Abs(x) > MaxMagnitude:
		c.fail(RejectOutOfRange, "%s %v is beyond ±%g", name, x, float64(MaxMagnitude))
	}
}

func (c *check) min(name string, x, lo float64) {
	c.num(name, x)
	if x < lo {
		c.fail(RejectOutOfRange, "%s %v below %v", name, x, lo)
	}
}

func (c *check) in(name string, x, lo, hi float64) {
	c.num(name, x)
	if x < lo || x > hi {
		c.fail(RejectOutOfRange, "%s %v not in %v..%v", name, x, lo, hi)
	}
}

func (c *check) time(name string, t time.Time) {
	if t.Year() < 2000 {
		c.fail(RejectBadTime, "%s %s: before the year 2000 (unset?)", name, t.Format(time.RFC3339))
	}
}

func (c *check) header(h Header, t FrameType) {
	if h.V != ProtocolVersion {
		c.fail(RejectVersion, "v %d not supported (want %d)", h.V, ProtocolVersion)
	}
	if h.Type != t {
		c.fail(RejectUnknownType, "type %q does not match the frame (%s)", h.Type, t)
	}
}

func validateFrame(f Frame) *RejectError {
	if f == nil || reflect.ValueOf(f).IsNil() {
		return reject(RejectMissingField, "nil frame")
	}
	var c check
	switch f := f.(type) {
	case *ChargerFrame:
		c.what = fmt.Sprintf("charger %q", f.ID)
		c.header(f.Header, TypeCharger)
		c.str("id", f.ID)
		c.time("ts", f.TS)
		if f.State.Index() < 0 {
			c.fail(RejectBadState, "state %q is not a v1 state", f.State)
		}
		c.num("kw", f.KW)
		if f.SoC != nil {
			c.in("soc", *f.SoC, 0, 1)
		}
		if f.BatteryKWh != nil {
			c.min("battery_kwh", *f.BatteryKWh, 0)
		}
		if f.TargetSoC != nil {
			c.in("target_soc", *f.TargetSoC, 0, 1)
		}
		if f.Departure != nil {
			c.time("departure", *f.Departure)
		}
		if f.SetpointKW != nil {
			c.num("setpoint_kw", *f.SetpointKW)
		}
	case *FeederFrame:
		c.what = fmt.Sprintf("feeder %q", f.ID)
		c.header(f.Header, TypeFeeder)
		c.str("id", f.ID)
		c.time("ts", f.TS)
		c.num("kw", f.KW)
		if f.LimitKW != nil {
			c.min("limit_kw", *f.LimitKW, 0)
		}
	case *Hello:
		c.what = fmt.Sprintf("hello %q", f.Site)
		c.header(f.Header, TypeHello)
		c.str("site", f.Site)
		c.time("ts", f.TS)
		if f.System != nil {
			c.min("system.import_limit_kw", f.System.ImportLimitKW, 0)
		}
		for i, fi := range f.Feeders {
			c.str(fmt.Sprintf("feeders[%d].id", i), fi.ID)
			c.min(fmt.Sprintf("feeders[%d].import_limit_kw", i), fi.ImportLimitKW, 0)
			if fi.ExportLimitKW != nil {
				c.min(fmt.Sprintf("feeders[%d].export_limit_kw", i), *fi.ExportLimitKW, 0)
			}
		}
		for i, ci := range f.Chargers {
			c.str(fmt.Sprintf("chargers[%d].id", i), ci.ID)
			c.str(fmt.Sprintf("chargers[%d].feeder", i), ci.Feeder)
			c.min(fmt.Sprintf("chargers[%d].max_charge_kw", i), ci.MaxChargeKW, 0)
			c.min(fmt.Sprintf("chargers[%d].max_discharge_kw", i), ci.MaxDischargeKW, 0)
		}
	case *EventFrame:
		c.what = fmt.Sprintf("event %q", f.ID)
		c.header(f.Header, TypeEvent)
		c.str("id", f.ID)
		switch f.Kind {
		case EventImportCap, EventShed, EventExport, EventPrice:
		default:
			c.fail(RejectBadState, "kind %q is not a v1 event kind", f.Kind)
		}
		c.str("scope", f.Scope)
		c.time("start", f.Start)
		c.time("end", f.End)
		if !f.End.After(f.Start) {
			c.fail(RejectBadTime, "end is not after start")
		}
		c.num("kw", f.KW)
		if f.Price != nil {
			c.num("price", *f.Price)
		} else if f.Kind == EventPrice {
			c.fail(RejectMissingField, "price missing")
		}
	case *AckFrame:
		c.what = fmt.Sprintf("ack %q", f.ID)
		c.header(f.Header, TypeAck)
		c.str("id", f.ID)
		if !f.TS.IsZero() {
			c.time("ts", f.TS)
		}
		switch f.Status {
		case AckAccepted, AckClamped, AckRejected, AckFailed:
		default:
			c.fail(RejectBadState, "status %q is not a v1 ack status", f.Status)
		}
		c.num("applied_kw", f.AppliedKW)
	case *Batch:
		c.what = "batch"
		c.header(f.Header, TypeBatch)
		if cu := f.CatchUp; cu != nil {
			if cu.Seek == 0 {
				c.fail(RejectOutOfRange, "catch_up seek 0 below 1")
			}
			c.time("catch_up to", cu.To)
		}
		if p := f.Pause; p != nil {
			c.time("pause at", p.At)
		}
		if k := f.Clock; k != nil && !(k.Speed > 0 && k.Speed <= MaxClockSpeed) {
			c.fail(RejectOutOfRange, "clock speed %v not above 0 and up to %g", k.Speed, float64(MaxClockSpeed))
		}
		if k := f.Conflated; k != nil {
			if k.Set == 0 {
				c.fail(RejectOutOfRange, "conflated set 0 below 1")
			}
			c.time("conflated to", k.To)
		}
	case *Subscribe:
		c.what = "subscribe"
		c.header(f.Header, TypeSubscribe)
	case *SetpointFrame:
		c.what = fmt.Sprintf("setpoint %q", f.ID)
		c.header(f.Header, TypeSetpoint)
		c.str("id", f.ID)
		c.str("charger", f.Charger)
		c.num("kw", f.KW)
		c.time("valid_until", f.ValidUntil)
	default:
		return reject(RejectUnknownType, "%T is not a protocol v1 frame", f)
	}
	return c.err
}
