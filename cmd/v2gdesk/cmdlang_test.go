package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLangArg(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		want  string
		found bool
	}{
		{nil, "", false},
		{[]string{"--lang", "zh-CN"}, "zh-CN", true},
		{[]string{"--lang=zh-CN"}, "zh-CN", true},
		{[]string{"-lang", "zh-CN", "--spede", "60"}, "zh-CN", true},
		{[]string{"--spede", "60", "-lang=zh-CN"}, "zh-CN", true}, // after the typo
		{[]string{"--lang", "zh-CN", "--lang", "en"}, "en", true}, // the last wins, as in the flag package
		{[]string{"--lang"}, "", false},
		{[]string{"day.v2grec", "--lang", "zh-CN"}, "zh-CN", true}, // replay's flags follow its FILE
		{[]string{"--", "--lang", "zh-CN"}, "", false},
		{[]string{"--language", "zh-CN"}, "", false},
	} {
		got, found := langArg(tc.args)
		if got != tc.want || found != tc.found {
			t.Errorf("langArg(%q) = %q, %v; want %q, %v", tc.args, got, found, tc.want, tc.found)
		}
	}
}

// setLocale gives the test process the locale of a shell: LANG, with
// LC_ALL and LC_MESSAGES unset (empty, as POSIX reads them).
func setLocale(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

func TestCommandLang(t *testing.T) {
	for _, tc := range []struct {
		locale    string
		args      []string
		takesLang bool
		want      string
	}{
		{"C.UTF-8", nil, false, "en"},
		{"zh_CN.UTF-8", nil, false, "zh-CN"},
		{"zh_TW.UTF-8", []string{"--feed", "x"}, false, "zh-CN"},
		{"en_US.UTF-8", nil, false, "en"},
		{"zh_CN.UTF-8", []string{"--lang", "zh-CN"}, false, "zh-CN"},
		// A command with --lang follows it, as its dashboard does, and
		// is English without one whatever the locale.
		{"C.UTF-8", []string{"--lang", "zh-CN"}, true, "zh-CN"},
		{"zh_CN.UTF-8", nil, true, "en"},
		{"zh_CN.UTF-8", []string{"--lang", "en"}, true, "en"},
		{"C.UTF-8", []string{"--lang", "fr"}, true, "en"},
	} {
		setLocale(t, tc.locale)
		if got := commandLang(tc.args, tc.takesLang); got != tc.want {
			t.Errorf("LANG=%s, args %q, takesLang %v: %q, want %q", tc.locale, tc.args, tc.takesLang, got, tc.want)
		}
	}
	t.Setenv("LC_ALL", "en_US.UTF-8") // LC_ALL over LANG
	if got := commandLang(nil, false); got != "en" {
		t.Errorf("LC_ALL=en_US.UTF-8 LANG=zh_CN.UTF-8: %q, want en", got)
	}
}

// usageErrorCases is a command line per command that it cannot
// understand, asked for in Chinese the way the command chooses its
// language: --lang for the dashboard, replay and serve, the locale for
// the others.
var usageErrorCases = []struct {
	name   string
	args   []string
	locale string
}{
	{"dashboard, a typo", []string{"--lang", "zh-CN", "--spede", "60"}, "C.UTF-8"},
	{"dashboard, --lang after the typo", []string{"--spede", "60", "--lang=zh-CN"}, "C.UTF-8"},
	{"dashboard, two sources", []string{"--lang", "zh-CN", "--feed", "ws://127.0.0.1:1/v1", "--scenario", "demo"}, "C.UTF-8"},
	{"dashboard, --replay", []string{"--lang", "zh-CN", "--replay", "day.v2grec"}, "C.UTF-8"},
	{"replay", []string{"replay", "--lang", "zh-CN"}, "C.UTF-8"},
	{"replay, a bad value", []string{"replay", "day.v2grec", "--speed", "fast", "--lang", "zh-CN"}, "C.UTF-8"},
	{"serve", []string{"serve", "--lang", "zh-CN"}, "C.UTF-8"},
	{"status", []string{"status"}, "zh_CN.UTF-8"},
	{"sim", []string{"sim", "--speed", "0"}, "zh_CN.UTF-8"},
	{"record", []string{"record"}, "zh_CN.UTF-8"},
	{"solve", []string{"solve"}, "zh_CN.UTF-8"},
	{"dispatch", []string{"dispatch"}, "zh_CN.UTF-8"},
	{"setpoint", []string{"setpoint", "--for", "15"}, "zh_CN.UTF-8"},
	{"audit", []string{"audit"}, "zh_CN.UTF-8"},
	{"help", []string{"help", "nope"}, "zh_CN.UTF-8"},
	{"version", []string{"version", "x"}, "zh_CN.UTF-8"},
	{"an unknown command", []string{"nope"}, "zh_CN.UTF-8"},
}

// runIn runs args in the locale and returns the exit code and stderr.
func runIn(t *testing.T, locale string, args ...string) (int, string) {
	t.Helper()
	setLocale(t, locale)
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, errb.String()
}

// TestUsageErrorsInChinese: each command's usage error reads Chinese
// when asked for, exits 2 all the same, and its English line is gone.
func TestUsageErrorsInChinese(t *testing.T) {
	for _, tc := range usageErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			code, zh := runIn(t, tc.locale, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, zh)
			}
			first, _, _ := strings.Cut(zh, "\n")
			if !hasHan(first) {
				t.Errorf("first line %q is not Chinese", first)
			}
			// The same mistake in English: a line of it left in the
			// Chinese is a text not translated.
			en := englishArgs(tc.args)
			code, english := runIn(t, "C.UTF-8", en...)
			if code != exitUsage {
				t.Fatalf("%q in English: exit %d, want %d", en, code, exitUsage)
			}
			enFirst, _, _ := strings.Cut(english, "\n")
			if hasHan(english) || strings.Contains(zh, enFirst) {
				t.Errorf("English %q, Chinese %q", enFirst, first)
			}
		})
	}
}

// englishArgs is args without its --lang.
func englishArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--lang":
			i++
		case strings.HasPrefix(args[i], "--lang="):
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// TestUnknownFlagInChinese: the flag package's own error, and the line
// under it pointing at --help, read Chinese in every command; the flag is
// named as typed.
func TestUnknownFlagInChinese(t *testing.T) {
	for _, c := range commands() {
		args := []string{c.name, "--no-such-flag"}
		locale := "zh_CN.UTF-8"
		if c.name == "replay" || c.name == "serve" {
			args, locale = append(args, "--lang", "zh-CN"), "C.UTF-8"
		}
		code, zh := runIn(t, locale, args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", c.name, code, exitUsage)
		}
		if want := "v2gdesk " + c.name + ": 未定义的参数: -no-such-flag\n运行 `v2gdesk " + c.name + " --help` 查看其参数。\n"; zh != want {
			t.Errorf("%s: stderr begins %q, want %q", c.name, firstLines(zh, 2), want)
		}
	}
}

// TestHelpInChinese: --help of every command is Chinese, its flags'
// descriptions too, with the flags and their value names as in English.
func TestHelpInChinese(t *testing.T) {
	cases := [][]string{{"--lang", "zh-CN", "--help"}, {"version", "--help"}, {"help"}}
	for _, c := range commands() {
		args := []string{c.name, "--help"}
		if c.name == "replay" || c.name == "serve" {
			args = append(args, "--lang", "zh-CN")
		}
		cases = append(cases, args)
	}
	for _, args := range cases {
		setLocale(t, "zh_CN.UTF-8")
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Errorf("%q: exit %d, want 0", args, code)
		}
		help := out.String() + errb.String()
		if !hasHan(firstLines(help, 1)) {
			t.Errorf("%q: first line %q is not Chinese", args, firstLines(help, 1))
		}
		afterFlag := false
		for _, line := range strings.Split(help, "\n") {
			// A description's first line: those after it may hold only
			// what it passes on (a path, a URL) where 80 columns broke it.
			if afterFlag && strings.HasPrefix(line, "    \t") && !hasHan(line) {
				t.Errorf("%q: flag description %q is not Chinese", args, line)
			}
			afterFlag = strings.HasPrefix(line, "  -")
			if strings.Contains(line, "(default ") {
				t.Errorf("%q: %q: the default is not worded in Chinese", args, line)
			}
		}
		setLocale(t, "C.UTF-8")
		out.Reset()
		errb.Reset()
		run(context.Background(), englishArgs(args), &out, &errb)
		if english := out.String() + errb.String(); hasHan(english) {
			t.Errorf("%q in English has Chinese:\n%s", englishArgs(args), english)
		}
	}
}

// TestStartupErrorsInChinese: a file that cannot be read stops a command
// with its frame in Chinese and the reader's detail (the path, the JSON
// offset) as it was given.
func TestStartupErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"feeders": [}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args    []string
		locale  string
		zhFrame string
		enLine  string // the English line, unchanged
	}{
		{[]string{"--lang", "zh-CN", "--adapters", bad}, "C.UTF-8",
			"v2gdesk: 适配器配置文件 --adapters 无法读取：", "v2gdesk: --adapters: "},
		{[]string{"--lang", "zh-CN", "--scenario", bad}, "C.UTF-8",
			"v2gdesk: 场景 --scenario 无法加载：", "v2gdesk: --scenario: "},
		{[]string{"sim", "--scenario", bad}, "zh_CN.UTF-8",
			"v2gdesk sim: 场景 --scenario 无法加载：", "v2gdesk sim: --scenario: "},
		{[]string{"solve", "--problem", bad}, "zh_CN.UTF-8",
			"v2gdesk solve: 无法读取 --problem 文件：", "v2gdesk solve: "},
		{[]string{"setpoint", "--adapters", bad, "--charger", "CP-1", "--kw", "3", "--for", "15m"}, "zh_CN.UTF-8",
			"v2gdesk setpoint: 无法读取 --adapters 文件：", "v2gdesk setpoint: "},
		{[]string{"dispatch", "--event", bad, "--scenario", "demo"}, "zh_CN.UTF-8",
			"v2gdesk dispatch: 无法读取事件文件：--event ", "v2gdesk dispatch: --event "},
	} {
		code, zh := runIn(t, tc.locale, tc.args...)
		if code != 1 {
			t.Errorf("%q: exit %d, want 1; stderr:\n%s", tc.args, code, zh)
		}
		code, en := runIn(t, "C.UTF-8", englishArgs(tc.args)...)
		if code != 1 || !strings.HasPrefix(en, tc.enLine) {
			t.Errorf("%q in English: exit %d, stderr %q, want it to begin %q", tc.args, code, en, tc.enLine)
			continue
		}
		zhLine, enLine := firstLines(zh, 1), firstLines(en, 1)
		if !strings.HasPrefix(zhLine, tc.zhFrame) {
			t.Errorf("%q: %q, want it to begin %q", tc.args, zhLine, tc.zhFrame)
		}
		// The detail at the end of the English line (the file and the
		// reader's words, with the JSON offset) is kept whole.
		if detail := lastPart(enLine); !strings.HasSuffix(zhLine, detail) || !strings.Contains(zhLine, "byte ") {
			t.Errorf("%q: %q does not keep the detail %q with its offset", tc.args, zhLine, detail)
		}
	}
}

// lastPart is what follows the last ": " of an error line: the innermost
// detail, from the reader or the library.
func lastPart(line string) string {
	if i := strings.LastIndex(line, ": "); i >= 0 {
		return line[i+2:]
	}
	return line
}

// firstLines is the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// TestHelpTakesLang: `v2gdesk --help --lang zh-CN` and `v2gdesk help
// replay --lang zh-CN` are the help in Chinese, as `v2gdesk --lang zh-CN
// --help` is; the first said `unknown command "--lang"` (exit 2) and the
// second gave replay's help in English.
func TestHelpTakesLang(t *testing.T) {
	setLocale(t, "C.UTF-8")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help", "--lang", "zh-CN"}, "用法:"},
		{[]string{"help", "--lang=zh-CN"}, "用法:"},
		{[]string{"help", "replay", "--lang", "zh-CN"}, "用法: v2gdesk replay"},
		{[]string{"help", "--lang", "zh-CN", "serve"}, "用法: v2gdesk serve"},
		{[]string{"--help", "--lang", "en"}, "Usage:"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errb)
		if got := out.String() + errb.String(); code != 0 || !strings.Contains(firstLines(got, 3), tc.want) {
			t.Errorf("%q: exit %d, begins %q; want 0 and %q", tc.args, code, firstLines(got, 3), tc.want)
		}
	}
}
