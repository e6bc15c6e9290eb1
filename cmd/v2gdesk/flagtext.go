package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// flagErrors are the flag package's own errors, as regular expressions
// whose groups are the details to keep, and the English format that
// rebuilds each from them: the key of its zh-CN wording.
var flagErrors = []struct {
	re     *regexp.Regexp
	format string
}{
	{regexp.MustCompile(`^flag provided but not defined: -(.*)$`), "flag provided but not defined: -%s"},
	{regexp.MustCompile(`^invalid value (".*") for flag -([^:]+): (.*)$`), "invalid value %s for flag -%s: %s"},
	{regexp.MustCompile(`^invalid boolean value (".*") for -([^:]+): (.*)$`), "invalid boolean value %s for -%s: %s"},
	{regexp.MustCompile(`^invalid boolean flag ([^:]+): (.*)$`), "invalid boolean flag %s: %s"},
	{regexp.MustCompile(`^flag needs an argument: -(.*)$`), "flag needs an argument: -%s"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "bad flag syntax: %s"},
}

// flagErrorIn words err, an error of the flag package's Parse, in lang,
// keeping the flag and the value it quotes; one it does not know stays
// as the package wrote it.
func flagErrorIn(lang string, err error) string {
	for _, fe := range flagErrors {
		if m := fe.re.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, g := range m[1:] {
				args[i] = g
			}
			return say(lang, fe.format, args...)
		}
	}
	return err.Error()
}

// parseFlags is fs.Parse with what it prints in lang. On a flag it cannot
// read it prints, on fs.Output() (stderr), the error, the hint
// flagValueHint has for it and where the flags are listed, and not the
// usage: the usage came first and pushed the error and its hint to the
// bottom of a long text, scrolled away on a small terminal. --help prints
// the usage, which must write to fs.Output() as printUsage does, on help
// (stdout): asked for, it is the command's output, as `v2gdesk --help`'s
// is, and `v2gdesk help sim | less` showed nothing when it went to stderr.
func parseFlags(fs *flag.FlagSet, args []string, lang string, help io.Writer) error {
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		out = help
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		if buf.Len() > 0 {
			// Not an empty write: on a pipe it waits for a reader.
			_, _ = io.WriteString(out, buf.String()) // runChecked reports a failed stdout
		}
		return err
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s: %s\n", fs.Name(), flagErrorIn(lang, err))
	flagValueHint(fs, err, &text, lang)
	fmt.Fprintln(&text, seeHelp(fs, lang))
	_, _ = io.WriteString(out, text.String())
	return err
}

// seeHelp is the line after a usage error that says where the command's
// flags are listed, in lang.
func seeHelp(fs *flag.FlagSet, lang string) string {
	return say(lang, "Run `%s --help` for its flags.", fs.Name())
}

// defaultSuffix is what PrintDefaults adds to a flag's usage when its
// default is not the zero value: ` (default 60)`, ` (default "en")`.
var defaultSuffix = regexp.MustCompile(`(?m) \(default (.+)\)$`)

// printUsage prints a command's --help: head, worded in lang and filled
// in with args, then its flags as fs.PrintDefaults does, their usages in
// lang, the whole fitted in 80 columns (wrapHelp).
func printUsage(fs *flag.FlagSet, lang, head string, args ...any) {
	out := fs.Output()
	var buf bytes.Buffer
	buf.WriteString(say(lang, head, args...))
	fs.SetOutput(&buf)
	printDefaults(fs, lang)
	fs.SetOutput(out)
	_, _ = io.WriteString(out, wrapHelp(buf.String()))
}

// printDefaults is fs.PrintDefaults with each flag's usage and the
// "(default …)" the flag package adds in lang, each flag spelled --name
// as the docs and the errors spell it, a value named for what the flag
// takes where the flag package names only its type (flagPlaceholder),
// and the descriptions
// fitted in 80 columns.
func printDefaults(fs *flag.FlagSet, lang string) {
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	english := map[*flag.Flag]string{}
	durations := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		english[f] = f.Usage
		f.Usage = say(lang, f.Usage)
		if _, ok := f.Value.(*givenDuration); ok {
			durations[f.Name] = true
		}
	})
	fs.PrintDefaults()
	for f, u := range english {
		f.Usage = u // the flag set is left as it was
	}
	fs.SetOutput(out)
	text := buf.String()
	if lang == langZhCN {
		text = defaultSuffix.ReplaceAllString(text, say(lang, " (default %s)", "${1}"))
	}
	text = flagLine.ReplaceAllStringFunc(text, func(line string) string {
		name, typ, _ := strings.Cut(strings.TrimPrefix(line, "  -"), " ")
		if typ == "value" && durations[name] {
			typ = "duration"
		}
		typ = flagPlaceholder(name, typ)
		return strings.TrimRight("  --"+name+" "+typ, " ")
	})
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = wrapFlagDescription(l)
	}
	_, _ = io.WriteString(out, strings.Join(lines, "\n"))
}

// shownDefault is the "(default 10s)" the flag package ends a flag's
// description with, in English or zh-CN ("（默认 10s）").
var shownDefault = regexp.MustCompile(`( \(default .+\)|（默认 .+）)$`)

// wrapFlagDescription fits a flag's description line in 80 columns, its
// default kept whole on the last line: broken between the words of
// "（默认 "127.0.0.1:8765"）" a line held only the value.
func wrapFlagDescription(line string) string {
	if !strings.HasPrefix(line, flagDescIndent) || displayWidth(line) <= helpWidth {
		return line
	}
	body := strings.TrimPrefix(line, flagDescIndent)
	def := shownDefault.FindString(body)
	body = strings.TrimSuffix(body, def)
	wrapped := wrapHelpLine(body, flagDescIndent, flagDescIndent, false)
	last := wrapped[len(wrapped)-1]
	if def != "" && displayWidth(last+def) > helpWidth {
		wrapped = append(wrapped, flagDescIndent+strings.TrimPrefix(def, " "))
	} else {
		wrapped[len(wrapped)-1] = last + def
	}
	return strings.Join(wrapped, "\n")
}

// flagLine is the line PrintDefaults starts a flag with: "  -name TYPE".
var flagLine = regexp.MustCompile(`(?m)^  -[A-Za-z0-9][^ \n]*(?: [^\n]*)?$`)
