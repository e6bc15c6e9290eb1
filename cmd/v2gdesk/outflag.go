package main

import (
	"os"
	"path/filepath"

	"github.com/v2gdesk/v2gdesk/adapters/atomicfile"
)

// createOut starts the output file that the flag --name gives as path. A
// directory is said to be one, with the flag and a file in it to give
// instead: `record --out DIR` said "DIR already exists", `solve --out
// DIR` "DIR is a directory", naming no flag. example is a file name for
// what is written ("feed.v2grec").
func createOut(name, path, example string) (*atomicfile.File, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, errorf("--%s %s: a directory, want a file to write; e.g. --%s %s", name, path, name, filepath.Join(path, example))
	}
	f, err := atomicfile.Create(path, atomicfile.Options{})
	if err != nil {
		return nil, errorf("--%s: %w", name, err)
	}
	return f, nil
}
