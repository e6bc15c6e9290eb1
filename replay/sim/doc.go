// Package sim re-enacts a scenario.Scenario as live telemetry and obeys
// setpoints, so the desk can be shown, tested and benchmarked without
// hardware.
//
// Model (model.go): feeders carry their scenario base load; each session is
// one EV at its charger, and a charger with several sessions hosts them in
// turn (a setpoint is for the EV plugged in then). Without a setpoint an EV charges at full power
// from plug-in until it holds its target energy or leaves (unmanaged
// charging, the evening-peak problem). With a setpoint it follows it within
// its power and energy bounds until the setpoint's valid_until. The battery
// integrates grid power with the scenario's charge and discharge
// efficiencies; at plug-out the EV leaves with what it has, and any energy
// short of its target is logged and counted (the departures simulated to
// reach the start time are logged as one summary line).
//
// Time moves in fixed steps (one simulated minute by default). After each
// step the simulator emits one batch (split when it would exceed the frame
// size limit) holding a feeder frame per feeder and a charger frame per
// charger whose state, power, plug or setpoint changed, plus a rolling
// heartbeat share of the chargers (none is silent for more than 4 simulated
// minutes, so a Fleet never marks it stale) and every charger at each full
// refresh (every 15 simulated minutes, on the quarter hour).
//
// A step that costs more wall time than Step/Speed makes Run fall behind its
// speed; it says so (pace.go): Pace gives the speed reached over each
// PaceWindow and the simulated time slipped, and the log warns.
//
// A Sim is a feeds.Source (source.go), paced by an injected clock with the
// same controls as the replay player (Now, Speed, SetSpeed, Paused, Pause,
// Resume; Seek only forwards, delivering the skipped minutes' feeder loads
// and then every charger as of the new time, like a late start; Now keeps
// the time before the seek until that is delivered; the skipped steps are
// simulated on a copy, off the lock the desk's calls need; Restart goes
// back by starting the day over at a time, which a desk on the feed takes
// as a new day, restart.go). ApplySetpoint
// (setpoint.go) takes setpoints from an in-process adapter; Server
// (server.go) serves the stream and takes setpoints over websocket (`v2gdesk sim`). At the end of the day the Server
// closes every connection with a normal closure (1000, "scenario ended")
// after the day's last frames, which a desk shows as the scenario ended
// rather than a lost link; stopped earlier, it says it is going away (1001).
package sim
