package main

import (
	"errors"
	"fmt"
	"strings"
)

// say words format, one of the command line's own texts (a usage error,
// a --help, the frame of a start-up error), in lang, then fills in args.
// English is the key, so a text without a translation is printed as
// given; TestCommandTextsComplete keeps zh-CN whole. Details the command
// only passes on (a file name, a JSON offset, a library's error) are
// args, and stay as they are.
func say(lang, format string, args ...any) string {
	if lang == langZhCN {
		if zh, ok := zhCNCommandLine[format]; ok {
			format = zh
		}
	}
	return fmt.Sprintf(format, args...)
}

// wordedError is an error made in this package whose frame (the flag or
// file it is about, what was being done) the command can word in the
// operator's language with errorIn. Error is the English, as the log, the
// tests and scripts read it.
type wordedError struct {
	format string // English, with %w for the error it wraps
	args   []any
	err    error // fmt.Errorf(format, args...)
}

// errorf is fmt.Errorf for an error the operator may read in Chinese:
// format is a key of the zh-CN catalogue.
func errorf(format string, args ...any) error {
	return &wordedError{format: format, args: args, err: fmt.Errorf(format, args...)}
}

// Error implements error.
func (e *wordedError) Error() string { return e.err.Error() }

// Unwrap returns the error format's %w wraps.
func (e *wordedError) Unwrap() error { return errors.Unwrap(e.err) }

// errorIn words err in lang: each frame made by errorf translated, down
// to the first error from elsewhere, which is kept as it is.
func errorIn(lang string, err error) string {
	// Only a frame on the outside is ours to word: one a library wrapped
	// is inside that library's English sentence.
	we, ok := err.(*wordedError)
	if !ok {
		return err.Error()
	}
	args := make([]any, len(we.args))
	for i, a := range we.args {
		if e, ok := a.(error); ok {
			args[i] = errorIn(lang, e)
		} else {
			args[i] = a
		}
	}
	return say(lang, catalogueKey(we.format), args...)
}

// catalogueKey is the key of an errorf format in the catalogue: the
// format with %w read as %v, as Sprintf prints it.
func catalogueKey(format string) string {
	return strings.ReplaceAll(format, "%w", "%v")
}

// sayFailed is the line of a command (prefix, "v2gdesk replay") that
// failed at doing because of err. In English it reads "prefix: err", as
// it always has; in Chinese the line names what failed too, because err
// from elsewhere (a reader, a library) stays English: the operator reads
// what failed in their language and the detail as it was given.
func sayFailed(lang, prefix, doing string, err error) string {
	if lang != langZhCN {
		return framedLines(prefix+": "+err.Error(), err)
	}
	return framedLines(say(lang, "%s: could not %s: %v", prefix, say(lang, doing), errorIn(lang, err)), err)
}
