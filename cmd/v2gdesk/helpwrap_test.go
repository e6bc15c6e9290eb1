package main

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"
)

// TestHelpFitsEightyColumns: every command's --help, the command list and
// the dashboard's help fit an 80-column terminal, in English and in
// Chinese (a Chinese character is two columns, the flag package's tab
// reaches column 8), and still list every flag. The flag package printed
// each description on one line, up to 190 columns.
func TestHelpFitsEightyColumns(t *testing.T) {
	helps := [][]string{{"help"}, {"--help"}, {"version", "--help"}}
	for _, c := range commands() {
		helps = append(helps, []string{c.name, "--help"})
	}
	for _, locale := range []string{"C.UTF-8", "zh_CN.UTF-8"} {
		setLocale(t, locale)
		for _, args := range helps {
			if locale != "C.UTF-8" && (args[0] == "replay" || args[0] == "serve") {
				args = append(args[:len(args):len(args)], "--lang", "zh-CN")
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, &out, &errb); code != 0 {
				t.Fatalf("%q: exit %d: %s", args, code, errb.String())
			}
			help := out.String() + errb.String()
			for _, line := range strings.Split(help, "\n") {
				if w := displayWidth(line); w > helpWidth {
					t.Errorf("%s %q: a line of %d columns:\n%s", locale, args, w, line)
				}
			}
			// Every flag is still there, spelled as the docs spell it.
			for _, name := range flagNames(t, args[0]) {
				if !strings.Contains(help, "\n  --"+name+" ") && !strings.Contains(help, "\n  --"+name+"\n") {
					t.Errorf("%s %q: --%s is not listed:\n%s", locale, args, name, help)
				}
			}
		}
	}
}

// flagNames lists the flags of command (the dashboard's for help and
// --help, none for version), from the flag set its help prints.
func flagNames(t *testing.T, command string) []string {
	t.Helper()
	var fs *flag.FlagSet
	switch command {
	case "help", "--help":
		var o ingestOptions
		var lang, journal *string
		fs = deskFlags(&o, &lang, &journal)
	case "version":
		return nil
	default:
		// The flag package's own "flag provided but not defined" lists
		// nothing; --help lists them all.
		var out, errb bytes.Buffer
		run(context.Background(), []string{command, "--help"}, &out, &errb)
		var names []string
		for _, line := range strings.Split(errb.String()+out.String(), "\n") {
			if name, ok := strings.CutPrefix(line, "  --"); ok {
				name, _, _ = strings.Cut(name, " ")
				names = append(names, name)
			}
		}
		if len(names) == 0 {
			t.Fatalf("%s --help lists no flag", command)
		}
		return names
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// TestWrapHelp: how a line too wide is broken.
func TestWrapHelp(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"a synopsis breaks outside its brackets, under the first argument",
			"Usage: v2gdesk serve --ssh ADDR --users FILE [--host-key FILE] [--adapters FILE] [--journal FILE] [--lang en|zh-CN]",
			"Usage: v2gdesk serve --ssh ADDR --users FILE [--host-key FILE] [--adapters FILE]\n" +
				"                     [--journal FILE] [--lang en|zh-CN]"},
		{"a flag's description under itself",
			"    \t" + strings.Repeat("word ", 15) + "end (default 10s)",
			"    \t" + strings.TrimSpace(strings.Repeat("word ", 14)) + "\n    \tword end (default 10s)"},
		{"a list entry under its description",
			"  status     " + strings.Repeat("summary ", 9) + "end",
			"  status     " + strings.TrimSpace(strings.Repeat("summary ", 8)) + "\n             summary end"},
		{"prose broken at 100 columns is reflowed as one paragraph",
			strings.Repeat("a ", 45) + "b\nc d\n\nnext",
			strings.TrimSpace(strings.Repeat("a ", 40)) + "\n" + strings.Repeat("a ", 5) + "b c d\n\nnext"},
		{"Chinese breaks between characters, never before a closing mark",
			strings.Repeat("调度", 19) + "台，结束",
			strings.Repeat("调度", 19) + "台，\n结束"},
		{"a line that fits is left alone", "  --feed URL", "  --feed URL"},
	} {
		if got := wrapHelp(tt.in); got != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}
