//go:build unix

package adapters

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f without waiting. Two
// processes appending to one journal could cut each other's records when one
// of them recovers a "torn" tail that is really the other's write in flight,
// so the second opener is refused instead. The lock dies with the process,
// so a kill -9 never leaves it behind.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrJournalLocked
	}
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return nil
}
