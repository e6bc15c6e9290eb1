package adapters

// SetWriteChunk makes j split every write into pieces of n bytes, so the
// kill -9 test can interrupt a record half-written.
func SetWriteChunk(j *Journal, n int) { j.chunk = n }

// SetAfterChunk makes j call fn after each piece of a split write.
func SetAfterChunk(j *Journal, fn func()) { j.afterChunk = fn }

// MinPruneAt is the size at which the guard first prunes its seen ids.
const MinPruneAt = minPruneAt

// JournalOutcomes is how many outcomes j remembers.
func JournalOutcomes(j *Journal) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.outcomes)
}

// GuardChargerMaps is how many chargers g keeps a send time and a latest
// setpoint for.
func GuardChargerMaps(g *Guard) (last, latest int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.last), len(g.latest)
}

// JournalPeakOnOpen is the most setpoint ids j held at once while it was
// opened.
func JournalPeakOnOpen(j *Journal) int { return j.peakOnOpen }

// KindDecodes reports whether ReadJournalKind(…, kind, …) decodes line.
func KindDecodes(kind RecordKind, line string) bool {
	skip := kindSkip(kind)
	return skip == nil || !skip([]byte(line))
}
