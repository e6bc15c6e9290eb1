package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File is an output file written to a temporary file beside its
// destination and put in place only by Commit, CommitNew, Publish or
// PublishNew. Creating it up front also finds a bad path before any work.
type File struct {
	path string
	tmp  *os.File
	werr error // the first write error, already naming path
	// syncDir fsyncs the destination's directory once the file is in
	// place; a field so a test can see it called and make it fail.
	syncDir func(dir string) error
}

// Options are what differs between the files written. The zero value is
// an ordinary output file.
type Options struct {
	// Perm is the finished file's mode. Zero means 0644, an ordinary
	// output; the journal's archive takes the journal's own mode, which
	// may keep it from other users.
	Perm fs.FileMode
}

// Create starts the output file path. A path that exists and is not a
// regular file is refused: the finished output is renamed over it, which
// would replace a device such as /dev/null, or a pipe, with a regular file.
func Create(path string, opts Options) (*File, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		return nil, fmt.Errorf("%s is not a regular file but a %s: outputs are written whole and renamed into place, which would replace it; give a regular file", path, special(fi.Mode()))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, pathCause(err))
	}
	perm := opts.Perm
	if perm == 0 {
		perm = 0o644
	}
	// CreateTemp makes the file private, 0600, whatever the file is for.
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{path: path, tmp: tmp, syncDir: syncDir}, nil
}

// Write writes to the temporary file. Its errors name the destination and
// the cause (a full disk, say), not the temporary name nobody asked for.
func (f *File) Write(b []byte) (int, error) {
	n, err := f.tmp.Write(b)
	if err != nil {
		err = fmt.Errorf("write %s: %w", f.path, pathCause(err))
		if f.werr == nil {
			f.werr = err
		}
	}
	return n, err
}

// Explain turns an error of a writer of f into the message to show: the
// write error itself when writing failed (it names the file and the cause
// once), else err with the file's name.
func (f *File) Explain(err error) error {
	if f.werr != nil {
		return f.werr
	}
	return fmt.Errorf("write %s: %w", f.path, err)
}

// Commit puts the file in place, replacing what was at its path, and
// closes it. Each way into place (Commit, CommitNew, Publish, PublishNew)
// then fsyncs the directory; when that fails the file is at its path but
// may not survive a power loss, and the error says so rather than report
// it written.
func (f *File) Commit() error {
	tmp, err := f.sync()
	if err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", f.path, pathCause(err))
	}
	return f.rename(tmp)
}

// CommitNew is Commit for a destination that must not exist (the
// journal's archive): see PublishNew.
func (f *File) CommitNew() error {
	tmp, err := f.PublishNew()
	if err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", f.path, pathCause(err))
	}
	return nil
}

// Publish puts the file in place and returns it still open, for a file that
// goes on growing once what makes it valid is in place (a recording after
// its header). The caller closes it.
func (f *File) Publish() (*os.File, error) {
	tmp, err := f.sync()
	if err != nil {
		return nil, err
	}
	if err := f.rename(tmp); err != nil {
		tmp.Close()
		return nil, err
	}
	return tmp, nil
}

// PublishNew is Publish for a destination that must not exist, as a
// recording's (`v2gdesk record` never overwrites one): the file is linked
// into place, which fails if the path exists, rather than renamed over it.
// The check at start is not enough: a recorder waits for its first frame,
// maybe for minutes, and another recorder given the same path meanwhile
// would have its recording replaced. ErrExists says so.
func (f *File) PublishNew() (*os.File, error) {
	tmp, err := f.sync()
	if err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), f.path); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("write %s: %w", f.path, ErrExists)
		}
		return nil, fmt.Errorf("write %s: %w", f.path, pathCause(err))
	}
	// The file is in place; a temporary name left if this fails is
	// untidy, not wrong.
	os.Remove(tmp.Name())
	if err := f.syncDir(filepath.Dir(f.path)); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write %s: %w", f.path, err)
	}
	return tmp, nil
}

// ErrExists is PublishNew's error for a destination that came to exist
// after Create.
var ErrExists = errors.New("it exists now (made after this output was started, by another process?); not overwritten")

// sync hands over the temporary file, synced: a crash after the rename
// cannot leave an empty file where the old one was.
func (f *File) sync() (*os.File, error) {
	if f.tmp == nil {
		return nil, fmt.Errorf("write %s: already closed", f.path)
	}
	tmp := f.tmp
	f.tmp = nil
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("write %s: %w", f.path, pathCause(err))
	}
	return tmp, nil
}

// rename moves tmp over the destination, or removes it, and makes the
// move durable.
func (f *File) rename(tmp *os.File) error {
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	if err := f.syncDir(filepath.Dir(f.path)); err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// syncDir fsyncs dir, where a file was just renamed or linked: until then
// the new name may not survive a power loss, and a file reported written
// could vanish, or the old one come back.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, pathCause(err))
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, pathCause(err))
	}
	return nil
}

// Abort removes the temporary file unless Commit or Publish put it in
// place; safe to call on nil and more than once.
func (f *File) Abort() {
	if f == nil || f.tmp == nil {
		return
	}
	f.tmp.Close()
	os.Remove(f.tmp.Name())
	f.tmp = nil
}

// pathCause strips the path from a *fs.PathError, leaving its cause.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// special names the kind of a file that is neither regular nor a directory.
func special(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeNamedPipe != 0:
		return "pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}
