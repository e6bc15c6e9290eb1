//go:build !unix

package adapters

import "os"

// lockFile is a no-op where flock is not available; run one writer per
// journal there.
func lockFile(*os.File) error { return nil }
