// Package control runs demand-response events from proposal to end, the
// same way for the dashboard, the SSH desk and the headless
// `v2gdesk dispatch` command.
//
//	feed event frame | operator form | triage suggestion
//	  -> Propose           pending (shown until accepted or declined)
//	  -> Preview           plan.Build + dispatch.Solve on the snapshot of the moment
//	  -> Confirm           dispatcher only; claim; journal dispatch_confirm;
//	                       a second confirmation above Options.SecondConfirmKW
//	  -> active            setpoints for the current slot through the Sender (Guard)
//	  -> Step (each tick)  re-plan at every new slot (receding horizon) and when
//	                       the scope drifts from plan; track measured load
//	                       against the cap; raise the cap-miss alarm
//	  -> hand-back         after the window, while releasing would overload the
//	                       scope: planned against its limit, at most
//	                       Options.HandBack; notice of a forced release
//	                       Options.ReleaseNotice ahead; Extend pushes it
//	  -> ended | cancelled setpoints released, claim released
//
// Controller is safe for concurrent use: one process holds one Controller
// and every session calls into it. Slow work (solving, sending) runs
// without the lock, so Events can be read while a dispatch is in flight.
// Time is the fleet's clock (Snapshot.At): the simulation clock in the demo,
// wall time on a live feed.
//
// triage.go ranks overloaded feeders and suggests a cap an on-call engineer
// can turn into a pending event with one key.
package control
