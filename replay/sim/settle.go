package sim

import "context"

// A Seek or Restart asked for while Run runs is only noted: Run takes it
// at its next turn. A caller that stops Run right after asking (`v2gdesk
// sim` fed "seek 10:00" then "quit" on its stdin) would otherwise stop it
// before the seek is taken, having told its operator the seek was made,
// and the sim would end wherever Run happened to be. WaitTaken lets it
// stop only once what it asked for is done.

// WaitTaken returns nil once Run has taken every Seek and Restart asked
// for so far (delivered it to its sink), at once when none is pending,
// when Run has not started (Seek and Restart then act at once) or when Run
// has returned. It returns ctx.Err() if ctx is done first.
func (s *Sim) WaitTaken(ctx context.Context) error {
	for {
		s.mu.Lock()
		pending := s.restart != nil || s.seek != nil || s.seeking != nil || s.held != nil
		if !pending || !s.started || s.runOver {
			s.mu.Unlock()
			return nil
		}
		if s.taken == nil {
			s.taken = make(chan struct{})
		}
		taken := s.taken
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-taken:
		}
	}
}

// markTaken wakes the WaitTaken callers: Run has taken a seek or restart.
func (s *Sim) markTaken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wakeTakenLocked()
}

func (s *Sim) wakeTakenLocked() {
	if s.taken != nil {
		close(s.taken)
	}
	s.taken = make(chan struct{})
}

// endRun marks Run over, waking the WaitTaken callers: what is still
// pending will not be taken.
func (s *Sim) endRun() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runOver = true
	s.wakeTakenLocked()
}
