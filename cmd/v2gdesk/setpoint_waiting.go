package main

import (
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
)

// sayWaiting is the line `v2gdesk setpoint` prints, in lang, before it
// waits up to d for what charger's setpoint needs: the peer at a wsjson
// adapter's url to answer (its chargers do not connect to the command),
// or an OCPP charge point to connect to its central system. It read
// "waiting up to 30s for CP-0007 to connect..." for a wsjson peer too,
// which sent an operator to look at a charger when the aggregator was
// the one not answering.
func sayWaiting(lang string, a adapters.Adapter, route, charger string, d time.Duration) string {
	if la, ok := a.(*wsjson.LinkAdapter); ok {
		return say(lang, "waiting up to %s for the peer at %s (adapter %q) to answer...", d, la.Link().URL(), route)
	}
	return say(lang, "waiting up to %s for %s to connect...", d, charger)
}

// sayWaitInterrupted is the line, in lang, for a ^C during sayWaiting's
// wait, naming what it waited for.
func sayWaitInterrupted(lang string, a adapters.Adapter, route, charger string) string {
	if la, ok := a.(*wsjson.LinkAdapter); ok {
		return say(lang, "v2gdesk setpoint: interrupted while waiting for the peer at %s (adapter %q) to answer: nothing sent, nothing journalled", la.Link().URL(), route)
	}
	return say(lang, "v2gdesk setpoint: interrupted while waiting for %s to connect: nothing sent, nothing journalled", charger)
}
