package main

import (
	"bytes"
	"errors"
	"flag"
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

// parseFlags is fs.Parse with what the flag package prints (its error and
// the usage under it) in lang; in English it is fs.Parse. The usage must
// write to fs.Output(), as printUsage does.
func parseFlags(fs *flag.FlagSet, args []string, lang string) error {
	if lang != langZhCN {
		return fs.Parse(args)
	}
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	err := fs.Parse(args)
	fs.SetOutput(out)
	text := buf.String()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		// The flag package prints its error, then the usage.
		if rest, ok := strings.CutPrefix(text, err.Error()+"\n"); ok {
			text = flagErrorIn(lang, err) + "\n" + rest
		}
	}
	_, _ = io.WriteString(out, text) // stderr: nowhere to report a failure to
	return err
}

// defaultSuffix is what PrintDefaults adds to a flag's usage when its
// default is not the zero value: ` (default 60)`, ` (default "en")`.
var defaultSuffix = regexp.MustCompile(`(?m) \(default (.+)\)$`)

// printUsage prints a command's --help: head, worded in lang and filled
// in with args, then its flags as fs.PrintDefaults does, their usages in
// lang. In English it is exactly head and PrintDefaults.
func printUsage(fs *flag.FlagSet, lang, head string, args ...any) {
	_, _ = io.WriteString(fs.Output(), say(lang, head, args...))
	printDefaults(fs, lang)
}

// printDefaults is fs.PrintDefaults with each flag's usage and the
// "(default …)" the flag package adds in lang.
func printDefaults(fs *flag.FlagSet, lang string) {
	if lang != langZhCN {
		fs.PrintDefaults()
		return
	}
	out := fs.Output()
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	english := map[*flag.Flag]string{}
	fs.VisitAll(func(f *flag.Flag) {
		english[f] = f.Usage
		f.Usage = say(lang, f.Usage)
	})
	fs.PrintDefaults()
	for f, u := range english {
		f.Usage = u // the flag set is left as it was
	}
	fs.SetOutput(out)
	_, _ = io.WriteString(out, defaultSuffix.ReplaceAllString(buf.String(), say(lang, " (default %s)", "${1}")))
}
