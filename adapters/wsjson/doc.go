// Package wsjson sends setpoints as protocol v1 `setpoint` frames on a
// telemetry websocket (to the simulator or an aggregator) and matches the
// `ack` frames that come back by setpoint id.
//
// The adapter depends only on a FrameSender; the desk wires the feed
// subscriber's Send into it and the fleet's ack hook into HandleAck. For a
// command that has no feed connection (v2gdesk setpoint), Dial opens one.
package wsjson
