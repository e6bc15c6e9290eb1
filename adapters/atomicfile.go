package adapters

import (
	"fmt"
	"io"
	"os"

	"github.com/v2gdesk/v2gdesk/adapters/atomicfile"
)

// writeAtomic writes r to path with mode perm through package atomicfile,
// so path is never seen half-written, after a crash either. With
// noClobber an existing path is an error (the archive is linked into
// place, which refuses to replace); without, path is replaced (the
// journal). Every error is an ErrArchive. wrap, when not nil, stands
// between the copy and the file: the tests' full disk.
func writeAtomic(path string, r io.Reader, perm os.FileMode, noClobber bool, wrap func(io.Writer) io.Writer) error {
	f, err := atomicfile.Create(path, atomicfile.Options{Perm: perm})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, err)
	}
	defer f.Abort()
	var w io.Writer = f
	if wrap != nil {
		w = wrap(f)
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, f.Explain(err))
	}
	commit := f.Commit
	if noClobber {
		commit = f.CommitNew
	}
	if err := commit(); err != nil {
		return fmt.Errorf("%w: %w", ErrArchive, err)
	}
	return nil
}
