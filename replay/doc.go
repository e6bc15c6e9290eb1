// Package replay is v2gdesk's time machine: .v2grec recordings of a
// telemetry feed, and a Player that plays one back as a feeds.Source.
//
// Data flow:
//
//	feeds.Source (websocket, simulator) -> Recorder (a feeds.Sink) -> .v2grec file
//	.v2grec file -> Reader -> Recording (entries + seek index) -> Player (a feeds.Source) -> feeds.Sink
//
// A recording is gzip-compressed JSON Lines (format.go; docs/protocol.md, Recording format).
// The Recorder writes a new gzip member at every flush so a killed recorder
// leaves a file that reads up to its last flushed line. The Reader keeps
// every complete frame of a torn or corrupted file and reports where and why
// it stopped. The Player paces frames by an injected clock.Clock, can pause,
// change speed, seek (backwards by resetting the sink and re-sending the state
// from its index) and loop.
//
// Sub-packages: clock (real and fake clocks), scenario (scenario files and
// importers of real data), sim (the scenario simulator and its websocket
// server), demo (the embedded demo day) and builddemo (the program that
// builds it).
package replay
