package feeds

import (
	"encoding/json"
	"time"
)

// ProtocolVersion is the telemetry protocol version this package speaks.
// A frame whose "v" differs is rejected with RejectVersion.
const ProtocolVersion = 1

// MaxFrameBytes is the largest frame accepted, but for a hello. Larger
// frames are rejected with RejectTooLarge, so one bad peer cannot make the
// reader allocate without bound.
const MaxFrameBytes = 1 << 20

// MaxHelloBytes is the largest hello accepted, sent as a message of its own.
// A hello lists every charger of the site (about 93 bytes each as v2gdesk
// sim writes them: 100,000 chargers make 9.3 MB), so it alone may exceed
// MaxFrameBytes; 32 MiB holds some 350,000 chargers and still bounds what
// one message can make a reader hold.
const MaxHelloBytes = 32 << 20

// MaxMagnitude bounds every power (kW), energy (kWh) and price a frame may
// carry, either sign: a terawatt is no measurement of a feeder or a
// charger but a broken meter or gateway. Such a frame is RejectOutOfRange,
// so no figure the desk shows, sums or hands the optimiser (which takes
// magnitudes up to the same 1e9) comes from it.
const MaxMagnitude = 1e9

// FrameType names a kind of protocol frame (the "type" field).
type FrameType string

// The frame types of protocol v1.
const (
	TypeHello     FrameType = "hello"     // server -> client: site and topology
	TypeFeeder    FrameType = "feeder"    // server -> client: one feeder measurement
	TypeCharger   FrameType = "charger"   // server -> client: one charger measurement
	TypeEvent     FrameType = "event"     // server -> client: a demand-response event
	TypeAck       FrameType = "ack"       // server -> client: result of a setpoint
	TypeBatch     FrameType = "batch"     // server -> client: several frames in one message
	TypeSubscribe FrameType = "subscribe" // client -> server: start the stream
	TypeSetpoint  FrameType = "setpoint"  // client -> server: a power setpoint for a charger
)

// ChargerState is the operating state a charger reports.
type ChargerState string

// The charger states of protocol v1, in the order dashboards list them.
const (
	StateAvailable   ChargerState = "available"
	StateCharging    ChargerState = "charging"
	StateDischarging ChargerState = "discharging"
	StateSuspended   ChargerState = "suspended"
	StateFaulted     ChargerState = "faulted"
	StateOffline     ChargerState = "offline"
)

// ChargerStates lists every valid ChargerState in display order.
var ChargerStates = [...]ChargerState{
	StateAvailable, StateCharging, StateDischarging, StateSuspended, StateFaulted, StateOffline,
}

// Index returns the position of s in ChargerStates, or -1 if s is not a
// protocol v1 state.
func (s ChargerState) Index() int {
	for i, k := range ChargerStates {
		if k == s {
			return i
		}
	}
	return -1
}

// EventKind is the kind of a demand-response event.
type EventKind string

// The event kinds of protocol v1.
const (
	EventImportCap EventKind = "import_cap" // keep the scope's import at or under KW
	EventShed      EventKind = "shed"       // take KW off the scope's unmanaged baseline
	EventExport    EventKind = "export"     // deliver KW of net export from the scope
	EventPrice     EventKind = "price"      // override the energy price in the window
)

// ScopeSystem is the event scope that means every feeder of the site.
const ScopeSystem = "system"

// Frame is any decoded protocol v1 frame. The concrete types are *Hello,
// *FeederFrame, *ChargerFrame, *EventFrame, *AckFrame, *Batch, *Subscribe and
// *SetpointFrame.
type Frame interface {
	// FrameType reports the frame's "type".
	FrameType() FrameType
}

// Header is the part common to every frame.
type Header struct {
	V    int       `json:"v"`
	Type FrameType `json:"type"`
}

// Hello describes the site and its topology. A server sends it first on every
// connection and again whenever the topology changes; a client replaces its
// topology with each one it receives.
type Hello struct {
	Header
	Site     string        `json:"site"`
	TimeZone string        `json:"tz"`             // IANA name, e.g. "Asia/Shanghai"
	TS       time.Time     `json:"ts"`             // server clock when sent
	Mode     string        `json:"mode,omitempty"` // "live", "replay" or "simulation"; informative
	System   *SystemInfo   `json:"system,omitempty"`
	Feeders  []FeederInfo  `json:"feeders"`
	Chargers []ChargerInfo `json:"chargers"`
}

// SystemInfo holds site-wide limits, when the site has them.
type SystemInfo struct {
	ImportLimitKW float64 `json:"import_limit_kw"`
}

// FeederInfo is a feeder as the topology declares it.
type FeederInfo struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	ImportLimitKW float64  `json:"import_limit_kw"`
	ExportLimitKW *float64 `json:"export_limit_kw,omitempty"`
}

// ChargerInfo is a charger as the topology declares it.
type ChargerInfo struct {
	ID             string  `json:"id"`
	Feeder         string  `json:"feeder"`
	MaxChargeKW    float64 `json:"max_charge_kw"`
	MaxDischargeKW float64 `json:"max_discharge_kw"` // 0: not bidirectional
	Adapter        string  `json:"adapter,omitempty"`
}

// Bidirectional reports whether the charger can discharge (V2G).
func (c ChargerInfo) Bidirectional() bool { return c.MaxDischargeKW > 0 }

// FeederFrame is one measurement of a feeder's load.
type FeederFrame struct {
	Header
	ID      string    `json:"id"`
	TS      time.Time `json:"ts"`
	KW      float64   `json:"kw"`                 // positive: import from the grid
	LimitKW *float64  `json:"limit_kw,omitempty"` // dynamic import limit, replaces the topology's while set
}

// ChargerFrame is one measurement of a charger. Optional fields are pointers:
// nil means the charger did not say.
type ChargerFrame struct {
	Header
	ID         string       `json:"id"`
	TS         time.Time    `json:"ts"`
	State      ChargerState `json:"state"`
	KW         float64      `json:"kw"` // positive charging, negative discharging
	Plugged    bool         `json:"plugged"`
	SoC        *float64     `json:"soc,omitempty"`         // 0..1
	BatteryKWh *float64     `json:"battery_kwh,omitempty"` // usable capacity
	TargetSoC  *float64     `json:"target_soc,omitempty"`  // 0..1, wanted at departure
	Departure  *time.Time   `json:"departure,omitempty"`
	SetpointKW *float64     `json:"setpoint_kw,omitempty"` // setpoint in force, if any
}

// EventFrame announces a demand-response event.
type EventFrame struct {
	Header
	ID     string    `json:"id"`
	Kind   EventKind `json:"kind"`
	Scope  string    `json:"scope"` // ScopeSystem or a feeder id
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	KW     float64   `json:"kw"`
	Price  *float64  `json:"price,omitempty"` // per kWh, for EventPrice
	Source string    `json:"source,omitempty"`
}

// AckStatus is the outcome of a setpoint as the receiving side reports it.
type AckStatus string

// The ack statuses of protocol v1.
const (
	AckAccepted AckStatus = "accepted"
	AckClamped  AckStatus = "clamped"
	AckRejected AckStatus = "rejected"
	AckFailed   AckStatus = "failed"
)

// AckFrame answers a SetpointFrame.
type AckFrame struct {
	Header
	ID        string    `json:"id"` // the setpoint's id
	Charger   string    `json:"charger,omitempty"`
	TS        time.Time `json:"ts,omitzero"` // omitted when zero
	Status    AckStatus `json:"status"`
	AppliedKW float64   `json:"applied_kw"`
	Reason    string    `json:"reason,omitempty"`
}

// Batch carries several frames in one websocket message. Batches do not nest.
type Batch struct {
	Header
	Frames []json.RawMessage `json:"frames"`
	// CatchUp, on a batch of its own (usually with no frames), brackets a
	// simulated or replayed feed's seek: the server's clock jumps, and the
	// frames between the two signals are hours nobody watched, delivered at
	// once. Clients that predate it ignore the field (docs/protocol.md).
	CatchUp *CatchUpSignal `json:"catch_up,omitempty"`
	// Pause, on a batch of its own, says that a simulated or replayed
	// feed's clock has stopped (a presenter paused it) or runs again: a
	// desk then holds its clock and reads the silence as a pause, not a
	// failing feed. Clients that predate it ignore the field
	// (docs/protocol.md, "Pause").
	Pause *PauseSignal `json:"pause,omitempty"`
	// Restart, on a batch of its own after a restart's hello and state,
	// says that the simulator started its day over (a presenter's seek
	// back) and how many setpoints in force that dropped: the desks that
	// sent them still count them in force until their validity. Clients
	// that predate it ignore the field (docs/protocol.md, "Restart").
	Restart *RestartSignal `json:"restart,omitempty"`
	// Clock, on a batch of its own, says how fast a simulated or replayed
	// feed's clock runs: sent after the hello and the state, and again
	// whenever its presenter changes the speed, so a desk on the feed can
	// show "60×" as a desk running the simulator itself does. Clients that
	// predate it ignore the field (docs/protocol.md, "Clock").
	Clock *ClockSignal `json:"clock,omitempty"`
	// Conflated, on a batch of its own, brackets a conflated set: a client
	// that fell behind the stream gets the latest frame of each charger
	// (and every feeder frame) in place of every frame, and a desk holds
	// its data clock while the set arrives, as for a catch-up, so the
	// chargers still to come are not judged silent. Clients that predate
	// it ignore the field and take the frames as any (docs/protocol.md,
	// "Conflated").
	Conflated *ConflatedSignal `json:"conflated,omitempty"`
}

// ConflatedSignal begins (Done false) or ends (Done true) a conflated set.
type ConflatedSignal struct {
	// Set numbers the sets sent on the connection, from 1, increasing:
	// the begin and the end of one set carry the same number.
	Set uint64 `json:"set"`
	// To is the newest ts of the set's frames: none is stamped after it,
	// and a frame stamped after it ends the set even when its end was lost.
	To time.Time `json:"to"`
	// Replaced counts the frames the server left out of this set for a
	// newer frame of the same charger.
	Replaced uint64 `json:"replaced"`
	// Done marks the end of the set.
	Done bool `json:"done,omitempty"`
}

// ClockSignal says how fast a simulated or replayed feed's clock runs.
type ClockSignal struct {
	// Speed is the feed's data time per wall time (60: a minute a second),
	// from 0 (exclusive) to MaxClockSpeed.
	Speed float64 `json:"speed"`
}

// MaxClockSpeed is the largest ClockSignal.Speed a client takes: a day in
// under a tenth of a second is a broken server, not a presentation.
const MaxClockSpeed = 1e6

// RestartSignal says that a simulated feed started its day over at data
// time At, dropping Dropped setpoints that were in force.
type RestartSignal struct {
	At      time.Time `json:"at"`
	Dropped int       `json:"dropped"`
}

// PauseSignal says that a simulated or replayed feed is paused at data
// time At (Resumed false), or runs again from At (Resumed true).
type PauseSignal struct {
	// At is the feed's data time: where its clock stands while paused, or
	// where it starts again.
	At time.Time `json:"at"`
	// Resumed marks the end of the pause.
	Resumed bool `json:"resumed,omitempty"`
}

// CatchUpSignal says that a simulated or replayed feed is delivering a
// seek's skipped span at once (Done false: the frames that follow), or has
// delivered it (Done true). A desk's alarm engine then holds the span's
// conditions back and sums them up, as for an in-process seek.
type CatchUpSignal struct {
	// Seek numbers the server's seeks, from 1, increasing: the begin and
	// the end of one catch-up carry the same number.
	Seek uint64 `json:"seek"`
	// To is the data time the catch-up reaches: the last frames delivered
	// are stamped at or before it. A frame stamped after it ends the
	// catch-up even when the end signal was lost.
	To time.Time `json:"to"`
	// Done marks the end of the catch-up.
	Done bool `json:"done,omitempty"`
}

// Subscribe asks the server to start streaming, optionally for some feeders only.
type Subscribe struct {
	Header
	Feeders []string `json:"feeders,omitempty"`
}

// SetpointFrame asks a charger to hold a power until ValidUntil, after which
// it falls back to its own behaviour.
type SetpointFrame struct {
	Header
	ID         string    `json:"id"`
	Charger    string    `json:"charger"`
	KW         float64   `json:"kw"`
	ValidUntil time.Time `json:"valid_until"`
	Event      string    `json:"event,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// FrameType implements Frame.
func (*Hello) FrameType() FrameType { return TypeHello }

// FrameType implements Frame.
func (*FeederFrame) FrameType() FrameType { return TypeFeeder }

// FrameType implements Frame.
func (*ChargerFrame) FrameType() FrameType { return TypeCharger }

// FrameType implements Frame.
func (*EventFrame) FrameType() FrameType { return TypeEvent }

// FrameType implements Frame.
func (*AckFrame) FrameType() FrameType { return TypeAck }

// FrameType implements Frame.
func (*Batch) FrameType() FrameType { return TypeBatch }

// FrameType implements Frame.
func (*Subscribe) FrameType() FrameType { return TypeSubscribe }

// FrameType implements Frame.
func (*SetpointFrame) FrameType() FrameType { return TypeSetpoint }

// NewHeader returns the header for a frame of type t in this protocol version.
func NewHeader(t FrameType) Header { return Header{V: ProtocolVersion, Type: t} }
