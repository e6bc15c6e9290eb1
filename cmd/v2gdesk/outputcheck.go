package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// runChecked is run with its stdout and stderr checked: when a write to
// either failed, the command does not exit 0, and stderr says what was
// lost unless the command already said so (status, audit and solve stop at
// a failed stdout and name it). The exit code of a command that failed
// anyway is kept (setpoint's 4, a usage error's 2).
func runChecked(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout}
	errw := &checkedWriter{w: stderr}
	var told atomic.Bool // stderr already named stdout's failure
	errw.echo = func(p []byte) {
		if err := out.failed(); err != nil && strings.Contains(string(p), err.Error()) {
			told.Store(true)
		}
	}
	code := run(ctx, args, out, errw)
	outErr, errErr := out.failed(), errw.failed()
	if outErr == nil && errErr == nil {
		return code
	}
	// stderr may work where stdout does not (> /dev/full, a full disk
	// under a redirect): say there what was lost. A failed stderr leaves
	// only the exit code to tell it: stdout carries the command's result,
	// which a message must not corrupt.
	if outErr != nil && !told.Load() {
		name, lang := outputCommand(args)
		fmt.Fprintln(errw, say(lang, "%s: could not write its output to stdout: %v: what it printed there is lost", name, outErr))
	}
	if code == 0 {
		return 1
	}
	return code
}

// fileOf returns the file w writes to, seeing through checkedWriters (the
// checked stdout, and replay --headless's stopping one over it):
// the audit table fits a terminal's width and the dashboard keeps its log
// off the terminal it draws on, and both ask stdout or stderr whether it
// is one.
func fileOf(w io.Writer) (*os.File, bool) {
	switch w := w.(type) {
	case *os.File:
		return w, true
	case *checkedWriter:
		return fileOf(w.w)
	}
	return nil, false
}

// outputCommand names the command of args for a message about its output
// ("v2gdesk setpoint"), and the language its command line reads.
func outputCommand(args []string) (name, lang string) {
	if len(args) > 0 {
		for _, c := range commands() {
			if c.name == args[0] {
				return "v2gdesk " + c.name, commandLang(args[1:], c.name == "replay" || c.name == "serve")
			}
		}
		if args[0] == "help" || args[0] == "version" {
			return "v2gdesk " + args[0], commandLang(args, false)
		}
	}
	return "v2gdesk", commandLang(args, true)
}
