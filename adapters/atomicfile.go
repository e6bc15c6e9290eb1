package adapters

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeAtomic writes r to path through a temporary file in path's
// directory: written, fsynced, then put in place and the directory
// fsynced, so path is never seen half-written, after a crash either. With
// noClobber an existing path is an error (a hard link, which refuses to
// replace, in place of a rename); without, path is replaced.
func writeAtomic(path string, r io.Reader, perm os.FileMode, noClobber bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, err)
	}
	// Removing the temporary name is right whatever happened: after a
	// rename it names nothing, after a link the file lives on as path.
	defer os.Remove(tmp.Name())
	_, werr := io.Copy(tmp, r)
	merr := tmp.Chmod(perm)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, merr, serr, cerr); err != nil {
		return fmt.Errorf("%w: write %s: %w", ErrArchive, path, err)
	}
	if noClobber {
		err = os.Link(tmp.Name(), path)
	} else {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return syncDir(dir)
}
