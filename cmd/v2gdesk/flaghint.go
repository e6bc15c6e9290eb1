package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"time"
)

// invalidValue is the flag package's error for a value it cannot read:
// `invalid value "15" for flag -for: parse error`.
var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([^:]+): `)

// flagValueHint follows the flag package's error for a value it cannot
// read, and the usage it prints under it, with one line saying what the
// flag wants: its "parse error" says neither that a duration needs its
// unit ("15" for "15m") nor what a number flag takes. Nothing for other
// errors. The line is in lang.
func flagValueHint(fs *flag.FlagSet, err error, stderr io.Writer, lang string) {
	m := invalidValue.FindStringSubmatch(err.Error())
	if m == nil {
		return
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return
	}
	var want string
	switch g.Get().(type) {
	case time.Duration:
		want = say(lang, "a duration with its unit, e.g. 15m, 90s or 2h")
	case int, int64, uint, uint64:
		want = say(lang, "a whole number")
	case float64:
		want = say(lang, "a number")
	default:
		return
	}
	fmt.Fprintln(stderr, say(lang, "%s: --%s %q: want %s", fs.Name(), m[2], m[1], want))
}
