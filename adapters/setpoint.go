package adapters

import (
	"context"
	"errors"
	"time"
)

// Setpoint asks one charger to hold a signed power for a bounded time.
// Positive kW charges (import), negative kW discharges (V2G export).
type Setpoint struct {
	ID         string    `json:"id"`
	Charger    string    `json:"charger"`
	KW         float64   `json:"kw"`
	ValidFrom  time.Time `json:"valid_from"`
	ValidUntil time.Time `json:"valid_until"`
	Event      string    `json:"event,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Operator   string    `json:"operator,omitempty"`
}

// Status is the outcome of one setpoint.
type Status string

// The outcomes of a setpoint. Only StatusAccepted and StatusClamped mean the
// equipment holds a limit from us; StatusUnverified means it most likely
// does, but nobody saw it.
const (
	StatusAccepted Status = "accepted" // applied as asked
	StatusClamped  Status = "clamped"  // applied, but limited to the charger's bounds
	StatusRejected Status = "rejected" // refused by the guard or by the equipment
	StatusFailed   Status = "failed"   // could not be delivered (offline, error, journal)
	StatusTimeout  Status = "timeout"  // no answer before the batch deadline
	// StatusUnverified: every write was acknowledged by the equipment, but
	// reading it back failed, so what it holds was not seen (Modbus). It is
	// not Applied: the caller treats the charger as possibly holding the
	// setpoint, as after a timeout, with the power written as applied_kw.
	StatusUnverified Status = "unverified"
)

// Statuses returns every Status a result can have, in the order reports
// list them (the dashboard walks it, so a new status is not left
// untranslated).
func Statuses() []Status {
	return []Status{StatusAccepted, StatusClamped, StatusRejected, StatusFailed, StatusTimeout, StatusUnverified}
}

// Applied reports whether the status means the equipment took a limit.
func (s Status) Applied() bool { return s == StatusAccepted || s == StatusClamped }

// Written reports whether the equipment acknowledged the limit: Applied,
// or StatusUnverified. Its applied power is then what was written.
func (s Status) Written() bool { return s.Applied() || s == StatusUnverified }

// Result is what became of one setpoint.
type Result struct {
	ID        string    `json:"id"`
	Charger   string    `json:"charger"`
	Status    Status    `json:"status"`
	AppliedKW float64   `json:"applied_kw"`
	Reason    string    `json:"reason,omitempty"`
	DryRun    bool      `json:"dry_run,omitempty"` // nothing reached hardware
	Adapter   string    `json:"adapter,omitempty"`
	At        time.Time `json:"at"`
}

// Adapter delivers setpoints to one kind of equipment. Apply must honour
// ctx and must not panic on any input; it reports problems in the Result,
// never by blocking forever. ctx ends after the batch deadline, by the
// Guard's late grace: an adapter waits for the equipment's answer until
// ctx is done (the Guard journals an answer after the deadline as
// late_result) and reports StatusTimeout only when none came. The Guard has already
// checked bounds, validity and direction before Apply is called, and
// journalled the setpoint.
type Adapter interface {
	Apply(ctx context.Context, sp Setpoint) Result
}

// Releaser is an optional capability: an adapter that can hand a charger back
// to its own behaviour before the last setpoint's validity ends (OCPP
// ClearChargingProfile, Modbus control-mode release).
type Releaser interface {
	Release(ctx context.Context, charger string) error
}

// ConnectWaiter is an optional capability: an adapter whose chargers connect
// to it (OCPP) can wait until a charger is there.
type ConnectWaiter interface {
	WaitConnected(ctx context.Context, charger string) error
}

// Sentinel errors callers branch on.
var (
	// ErrUnknownCharger means no bounds or route are known for the charger.
	ErrUnknownCharger = errors.New("unknown charger")
	// ErrNotConnected means the charger is not connected to its adapter.
	ErrNotConnected = errors.New("charger not connected")
	// ErrNotSupported means the adapter lacks the optional capability.
	ErrNotSupported = errors.New("not supported by adapter")
	// ErrClosed means the Guard or Journal was closed.
	ErrClosed = errors.New("closed")
)
