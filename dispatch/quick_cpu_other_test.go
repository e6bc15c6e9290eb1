//go:build !unix

package dispatch

// processCPU returns false: this system's CPU time is not read here.
func processCPU() (int64, bool) { return 0, false }
