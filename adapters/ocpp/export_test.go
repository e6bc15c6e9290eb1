package ocpp

import "time"

// TrackedReleases is how many releases the central system keeps in memory
// (queued, sent or waiting for a late answer), for the leak tests.
func (c *CentralSystem) TrackedReleases() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.releases) + len(c.releaseCalls)
}

// TrackedSetpoints is how many setpoints the central system keeps in
// memory (waiting, or reported timeout and waiting for a late answer).
func (c *CentralSystem) TrackedSetpoints() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.inflight)
}

// SetReplaceWait sets how long a new connection waits for the earlier link
// of its identity to close; 0 refuses it at once (the earlier link stays),
// for the tests of a refused duplicate. Call it before Start.
func (c *CentralSystem) SetReplaceWait(d time.Duration) { c.replaceWait = d }
