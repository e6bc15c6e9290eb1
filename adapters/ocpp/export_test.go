package ocpp

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
