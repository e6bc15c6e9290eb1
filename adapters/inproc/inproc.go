// Package inproc is the adapter for the in-process simulator of a scenario
// (the embedded demo day or a scenario file): setpoints go straight to the simulator as protocol v1 frames, and its
// ack comes back as the Result. Nothing leaves the process.
package inproc

import (
	"context"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Simulator is what this adapter needs of the simulator: apply one setpoint
// and say what became of it.
type Simulator interface {
	ApplySetpoint(feeds.SetpointFrame) feeds.AckFrame
}

// Adapter delivers setpoints to a Simulator.
type Adapter struct {
	sim Simulator
}

// New returns an Adapter for sim.
func New(sim Simulator) *Adapter { return &Adapter{sim: sim} }

// Apply implements adapters.Adapter. The simulator answers synchronously, so
// ctx is only checked before the call.
func (a *Adapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	if err := ctx.Err(); err != nil {
		return adapters.Result{Status: adapters.StatusTimeout, Reason: "not sent: " + err.Error()}
	}
	return adapters.ResultFromAck(sp, a.sim.ApplySetpoint(sp.Frame()))
}
