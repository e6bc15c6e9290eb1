package adapters

// SetWriteChunk makes j split every write into pieces of n bytes, so the
// kill -9 test can interrupt a record half-written.
func SetWriteChunk(j *Journal, n int) { j.chunk = n }

// SetAfterChunk makes j call fn after each piece of a split write.
func SetAfterChunk(j *Journal, fn func()) { j.afterChunk = fn }
