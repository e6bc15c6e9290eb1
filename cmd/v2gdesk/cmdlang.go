package main

import (
	"os"
	"strings"

	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// langZhCN is the one language besides English the command line speaks.
const langZhCN = "zh-CN"

// commandLang is the language a command words its usage, --help and
// start-up errors in, chosen as its screens' language is. A command that
// takes --lang (the dashboard, replay, serve) follows the --lang on its
// command line, English without one, so the operator reads its errors in
// the language the dashboard would show. Any other command follows the
// locale of the environment as an SSH session follows its client's
// (LC_ALL over LC_MESSAGES over LANG: zh_* is zh-CN), else English. It is
// decided before the flags are parsed, because a typo in them is one of
// the things it words: a --lang after the typo counts too.
func commandLang(args []string, takesLang bool) string {
	if takesLang {
		if lang, ok := langArg(args); ok && lang == langZhCN {
			return langZhCN
		}
		return sshd.LangEN
	}
	return sshd.LocaleLang(os.Environ(), sshd.LangEN)
}

// langArg finds the last --lang value in args, in any spelling the flag
// package reads (--lang X, --lang=X, -lang X, -lang=X), up to a "--" that
// ends the flags.
func langArg(args []string) (string, bool) {
	lang, found := "", false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		switch {
		case hasValue:
			lang, found = value, true
		case i+1 < len(args):
			i++
			lang, found = args[i], true
		}
	}
	return lang, found
}

// helpLang takes a --lang out of help's args (`v2gdesk --help --lang
// zh-CN`, `v2gdesk help replay --lang zh-CN`) and returns the rest and the
// language the help is worded in: that --lang's when it is one the command
// line speaks, else lang (the locale's).
func helpLang(args []string, lang string) ([]string, string) {
	given, ok := langArg(args)
	if !ok {
		return args, lang
	}
	if given == langZhCN || given == sshd.LangEN {
		lang = given
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(args[i], "-"), "-"), "=")
		if strings.HasPrefix(args[i], "-") && name == "lang" {
			if !hasValue {
				i++ // its value
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return rest, lang
}
