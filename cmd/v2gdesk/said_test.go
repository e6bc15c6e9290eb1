package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// commandTexts finds every text of the command line that is worded in the
// operator's language: the formats given to say, errorf, sayFailed,
// printUsage and the usage and failed closures of solve and dispatch, the usages of
// flags defined with a literal, the subcommands' summaries and the flag
// package's errors. It maps each to where it was found.
func commandTexts(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	add := func(e ast.Expr, key func(string) string) {
		if s, ok := stringConstant(t, e); ok {
			want[key(s)] = fset.Position(e.Pos()).String()
		}
	}
	same := func(s string) string { return s }
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn, recv string
			switch x := call.Fun.(type) {
			case *ast.Ident:
				fn = x.Name
			case *ast.SelectorExpr:
				fn = x.Sel.Name
				if id, ok := x.X.(*ast.Ident); ok {
					recv = id.Name
				}
			}
			args := call.Args
			switch {
			case fn == "say" && len(args) >= 2:
				add(args[1], same)
			case fn == "sayPlural" && len(args) >= 4:
				add(args[2], same)
				add(args[3], same)
			case fn == "errorf" && len(args) >= 1:
				add(args[0], catalogueKey)
			case fn == "sayFailed" && len(args) == 4:
				add(args[2], same)
			case fn == "printUsage" && len(args) >= 3:
				add(args[2], same)
			case (fn == "usage" || fn == "failed") && len(args) >= 1:
				add(args[0], same)
			case fn == "durationFlag" && len(args) == 4:
				add(args[3], same)
			case recv == "fs" && len(args) >= 3 && slices.Contains([]string{"String", "StringVar", "Bool", "BoolVar",
				"Int", "IntVar", "Uint64", "Float64", "Float64Var", "Duration", "DurationVar", "Var"}, fn):
				add(args[len(args)-1], same)
			}
			return true
		})
	}
	for _, c := range commands() {
		want[c.summary] = "commands()"
	}
	for _, fe := range flagErrors {
		want[fe.format] = "flagErrors"
	}
	for k := range runtimeKeys {
		want[k] = "runtimeKeys"
	}
	return want
}

// stringConstant is the value of e when it is a string literal or a sum
// of them (a raw string around a backquoted `v2gdesk help`).
func stringConstant(t *testing.T, e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		if err != nil {
			t.Fatal(err)
		}
		return s, true
	case *ast.BinaryExpr:
		l, okL := stringConstant(t, x.X)
		r, okR := stringConstant(t, x.Y)
		return l + r, okL && okR && x.Op == token.ADD
	}
	return "", false
}

// TestCommandTextsComplete: every text the command line words in the
// operator's language has its Simplified Chinese.
func TestCommandTextsComplete(t *testing.T) {
	want := commandTexts(t)
	if len(want) < 150 {
		t.Fatalf("found only %d texts; is the scan broken?", len(want))
	}
	for s, where := range want {
		if _, ok := zhCNCommandLine[s]; !ok {
			t.Errorf("%s: %q has no zh-CN translation", where, s)
		}
	}
}

// verbs matches a fmt verb with its flags, width and precision.
var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// backquoted matches a `NAME` in a flag's usage: the flag package prints
// it as the value's name, so it must be the same in both languages.
var backquoted = regexp.MustCompile("`[^`]*`")

// prefixOnly is an English text that is nothing but a command's name in
// front of what it passes on: its Chinese may be the same.
var prefixOnly = regexp.MustCompile(`^(v2gdesk[a-z ]*: )?(--[a-z-]+:? ?)?(%[svq]:? ?)?%[sv]$`)

// TestCommandTextsKeepVerbs: each translation fills in the same values in
// the same order, names a flag's value as the English does, and is
// Chinese (but for a bare frame such as "v2gdesk: %v").
func TestCommandTextsKeepVerbs(t *testing.T) {
	for en, zh := range zhCNCommandLine {
		if got, want := verbs.FindAllString(zh, -1), verbs.FindAllString(en, -1); !slices.Equal(got, want) {
			t.Errorf("%q: verbs %q, English %q", zh, got, want)
		}
		if got, want := backquoted.FindAllString(zh, -1), backquoted.FindAllString(en, -1); !slices.Equal(got, want) {
			t.Errorf("%q: names %q, English %q", zh, got, want)
		}
		if strings.HasSuffix(en, "\n") != strings.HasSuffix(zh, "\n") {
			t.Errorf("%q: ends a line where %q does not, or the other way", zh, en)
		}
		if !hasHan(zh) && !prefixOnly.MatchString(en) {
			t.Errorf("%q: no Chinese in the translation of %q", zh, en)
		}
	}
}

// TestCommandTextsNoStaleKeys: every key of the catalogue is a text the
// command line words, so a reworded English text is not left translated
// under its old wording.
func TestCommandTextsNoStaleKeys(t *testing.T) {
	want := commandTexts(t)
	for en := range zhCNCommandLine {
		if _, ok := want[en]; !ok {
			t.Errorf("%q is in zhCNCommandLine but no code words it", en)
		}
	}
}

// runtimeKeys are keys the scan cannot see as literals: flag usages built
// from constants and words chosen at run time.
var runtimeKeys = map[string]bool{
	"with --scenario: start at this time of the scenario day (`HH:MM`); default its start (the demo day: " + demoStart + ")": true,
	"with --scenario: start at this time of the scenario day (`HH:MM`); default its start (the demo day: 00:00)":             true,
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
