package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// pendingFile is an output file written in full to a temporary file beside
// its destination and renamed over it only by commit, so a command that
// fails, or is killed, leaves neither a half-written file nor a clobbered
// old one. Creating it up front also finds a bad path before any work.
type pendingFile struct {
	path string
	tmp  *os.File
	werr error // the first write error, already naming path
}

// createPending starts the output file path.
func createPending(path string) (*pendingFile, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, pathCause(err))
	}
	// CreateTemp makes the file private; an output is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &pendingFile{path: path, tmp: tmp}, nil
}

// Write writes to the temporary file. Its errors name the destination and
// the cause (a full disk, say), not the temporary name nobody asked for.
func (p *pendingFile) Write(b []byte) (int, error) {
	n, err := p.tmp.Write(b)
	if err != nil {
		err = fmt.Errorf("write %s: %w", p.path, pathCause(err))
		if p.werr == nil {
			p.werr = err
		}
	}
	return n, err
}

// explain turns an error of a writer of p into the message to show: the
// write error itself when writing failed (it names the file and the cause
// once), else err with the file's name.
func (p *pendingFile) explain(err error) error {
	if p.werr != nil {
		return p.werr
	}
	return fmt.Errorf("write %s: %w", p.path, err)
}

// pathCause strips the path from a *fs.PathError, leaving its cause.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// commit puts the file in place.
func (p *pendingFile) commit() error {
	if p.tmp == nil {
		return fmt.Errorf("write %s: already closed", p.path)
	}
	tmp := p.tmp
	p.tmp = nil
	// Synced before the rename, so a crash cannot leave an empty file
	// where the old one was.
	err := tmp.Sync()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", p.path, pathCause(err))
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", p.path, err)
	}
	return nil
}

// abort removes the temporary file unless commit put it in place; safe to
// call on nil and more than once.
func (p *pendingFile) abort() {
	if p == nil || p.tmp == nil {
		return
	}
	p.tmp.Close()
	os.Remove(p.tmp.Name())
	p.tmp = nil
}

// samePath reports whether a and b name the same file (after cleaning
// and making them absolute; links are not followed).
func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}
