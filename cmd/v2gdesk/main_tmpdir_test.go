package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain runs the package's tests with a temporary directory of their
// own and fails the run when a test leaves in it a temporary audit journal
// (v2gdesk-*-audit-*.jsonl): a simulated desk, serve or dispatch without
// --journal writes one there and leaves it, on purpose, for the operator
// to read. A test that makes one removes it or gives a journal of its own;
// three tests did not, and every run of the suite left three in /tmp.
func TestMain(m *testing.M) {
	os.Exit(runInOwnTempDir(m))
}

// runInOwnTempDir is TestMain's body, returning the exit code so that its
// deferred clean-up runs.
func runInOwnTempDir(m *testing.M) int {
	dir, err := os.MkdirTemp("", "v2gdesk-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "TestMain:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := os.Setenv("TMPDIR", dir); err != nil {
		fmt.Fprintln(os.Stderr, "TestMain:", err)
		return 1
	}
	code := m.Run()
	left, err := filepath.Glob(filepath.Join(dir, "v2gdesk-*-audit-*.jsonl"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "TestMain:", err)
		return 1
	}
	if len(left) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the tests left %d temporary audit journals in the temporary directory, as a desk without --journal does: give the desk a journal of the test's own or remove it: %q\n", len(left), left)
		if code == 0 {
			code = 1
		}
	}
	return code
}
