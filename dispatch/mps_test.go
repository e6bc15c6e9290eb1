package dispatch

import (
	"errors"
	"io"
	"testing"
)

// failingWriter fails every write, as a full disk or an interrupted
// command line does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteMPSStopsAtAWriteError: once a write fails, WriteMPS returns
// the error instead of formatting the rest of the file (a 300,000-EV
// instance went on for 47 s after Ctrl-C). It is measured by allocations,
// which the formatting makes: stopping early makes a small fraction.
func TestWriteMPSStopsAtAWriteError(t *testing.T) {
	p := Generate(GenOptions{EVs: 400, Feeders: 2, Slots: 48, Seed: 1, V2GShare: 0.5, WearShare: 0.5, Caps: 2, SystemLimit: true})
	full := testing.AllocsPerRun(1, func() {
		if err := WriteMPS(io.Discard, p); err != nil {
			t.Fatal(err)
		}
	})
	var err error
	failed := testing.AllocsPerRun(1, func() { err = WriteMPS(failingWriter{}, p) })
	if err == nil {
		t.Fatal("WriteMPS to a failing writer returned no error")
	}
	if failed > full/10 {
		t.Errorf("WriteMPS to a failing writer made %.0f allocations, the whole file %.0f: it went on after the error", failed, full)
	}
}
