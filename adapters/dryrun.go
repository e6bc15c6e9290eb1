package adapters

import "context"

// DryRun is the adapter of kind "dryrun": it accepts every setpoint and
// sends nothing anywhere. Use it to commission a configuration, or for
// chargers that must never be controlled while the rest of a site is.
type DryRun struct{}

// Apply implements Adapter.
func (DryRun) Apply(_ context.Context, sp Setpoint) Result {
	return Result{Status: StatusAccepted, AppliedKW: sp.KW, DryRun: true, Reason: "dry-run adapter: not sent to hardware"}
}

// Release implements Releaser.
func (DryRun) Release(context.Context, string) error { return nil }
