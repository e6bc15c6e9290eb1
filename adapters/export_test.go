package adapters

// SetWriteChunk makes j split every write into pieces of n bytes, so the
// kill -9 test can interrupt a record half-written.
func SetWriteChunk(j *Journal, n int) { j.chunk = n }
