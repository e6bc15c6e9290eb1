package sim

import "strconv"

// clockSignal is a batch of no frames saying that the simulation's clock
// runs at speed (docs/protocol.md, "Clock"): Run sends it after the state
// and again whenever SetSpeed changes the speed, and the Server gives the
// latest to each client that subscribes, so a desk on the feed shows the
// speed as a desk running the simulation itself does.
func clockSignal(speed float64) []byte {
	b := append([]byte(clockHead), `{"speed":`...)
	b = strconv.AppendFloat(b, speed, 'g', -1, 64)
	return append(b, "}}"...)
}

// clockHead starts every clock signal the simulator sends: the Server
// tells them by these bytes.
const clockHead = `{"v":1,"type":"batch","frames":[],"clock":`
