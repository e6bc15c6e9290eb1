// Package adapters is where setpoints leave v2gdesk for real equipment.
//
// Data flows one way through it and the answers come back the same way:
//
//	planner or operator -> Setpoint
//	  -> Guard: idempotent id, validity window, bounds (clamp), no discharge on a
//	     one-way charger, minimum interval per charger, route to an adapter
//	  -> Journal: the setpoint is appended and fsynced BEFORE any adapter sees it
//	  -> per-adapter queue and workers (one slow adapter never blocks another)
//	  -> Adapter.Apply (ocpp/, modbus/, wsjson/, inproc/, or DryRun)
//	  -> Result, appended to the Journal, returned to the caller
//
// setpoint.go holds the value types and the Adapter interface, guard.go the
// safety rules, journal.go the append-only audit file, config.go the --adapters
// file. The protocol sub-packages implement Adapter; site/ builds a Guard and
// its adapters from a Config.
//
// adapters imports feeds (for topology and frames) and nothing of tui or
// dispatch.
package adapters
