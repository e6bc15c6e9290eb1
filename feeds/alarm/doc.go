// Package alarm turns fleet snapshots into alarms with ISA-18.2 states.
//
// An Engine is fed snapshots (Observe) and keeps one alarm per condition:
// feeder loading (a warning at 90 %, high at 100 %, with a deadband and a
// delay-on so a load hovering at a threshold does not chatter), a stale feed
// or feeder, a faulted charger, and a charger whose communication is lost.
// Each alarm moves through the states of ISA-18.2:
//
//	normal -> active, unacknowledged  (condition appears)
//	        -> active, acknowledged    (Ack)
//	        -> returned to normal, unacknowledged (condition clears first)
//	        -> normal                  (acknowledged and cleared: the alarm leaves the list)
//	any state -> shelved (Shelve, with a reason) -> back (Unshelve or expiry)
//
// One Engine may be shared by every dashboard session of a process: its
// methods are safe for concurrent use, Observe ignores a snapshot it has
// already seen (by Seq), and an acknowledgement by one operator is visible
// to all because there is only one alarm list.
//
// Condition timing (delay-on, first and last times) follows the snapshot
// clock, so a replay at 60x raises alarms at replay time; operator actions
// and shelving expiry follow the Engine's wall clock.
package alarm
