// Package plan turns what the desk knows into a dispatch: it builds a
// dispatch.Problem from a fleet snapshot and a demand-response event, and after
// the optimiser has solved it, yields the setpoints for the current slot and
// the figures a dispatcher sees in the preview.
//
//	feeds.Snapshot + feeds.EventFrame + Forecaster + Tariff
//	  -> Build   -> *Plan (Problem, which EV is which charger, unmanaged baseline)
//	  -> dispatch.Solve
//	  -> Plan.Setpoints, Plan.Preview
//
// The planner is re-run every slot (receding horizon) while an event lasts;
// each run starts from the snapshot of the moment, so drift between plan and
// telemetry is corrected at the next run. docs/dispatch.md ("Planner") lists
// the defaults used when telemetry is missing.
package plan
