package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestHelpPlaceholdersSayWhatFlagsTake: no flag in any command's --help,
// English or zh-CN, is shown with only its Go type for a value name:
// `--lang string` where en and zh-CN are all it takes, `--speed float`,
// `--timeout duration`.
func TestHelpPlaceholdersSayWhatFlagsTake(t *testing.T) {
	bare := regexp.MustCompile(`(?m)^  --[a-z-]+ (string|value|duration|int|uint|int64|uint64|float)$`)
	var cmds [][]string
	cmds = append(cmds, nil) // the dashboard
	for _, c := range commands() {
		cmds = append(cmds, []string{c.name})
	}
	for _, env := range []string{"C", "zh_CN.UTF-8"} {
		t.Setenv("LANG", env)
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		for _, cmd := range cmds {
			args := append(append([]string{}, cmd...), "--help")
			if env != "C" {
				args = append(args, "--lang", "zh-CN")
			}
			var out, errb bytes.Buffer
			run(context.Background(), args, &out, &errb)
			help := out.String() + errb.String()
			if m := bare.FindAllString(help, -1); len(m) > 0 {
				t.Errorf("%s %q: flags shown with a bare type: %q", env, cmd, m)
			}
		}
	}
	want := regexp.MustCompile(`(?m)^  --lang en\|zh-CN$`)
	var out, errb bytes.Buffer
	run(context.Background(), []string{"replay", "--help"}, &out, &errb)
	if !want.MatchString(out.String() + errb.String()) {
		t.Errorf("replay --help does not show --lang en|zh-CN:\n%s", out.String()+errb.String())
	}
}

// TestHelpScenarioTakesDemoOrFile: every command with --scenario lists it
// as `--scenario demo|FILE` in its flags and in its usage line, English and
// zh-CN; the dashboard's and sim's flags listed `--scenario demo`, and
// dispatch's usage line did after its flag took a file, as if a scenario
// file were not taken.
func TestHelpScenarioTakesDemoOrFile(t *testing.T) {
	want := regexp.MustCompile(`(?m)^  --scenario demo\|FILE$`)
	demoOnly := regexp.MustCompile(`--scenario demo\b[^|]`)
	for _, tc := range []struct{ env, lang, heading string }{{"C", "en", "scenario FILE"}, {"zh_CN.UTF-8", "zh-CN", "场景文件"}} {
		t.Setenv("LANG", tc.env)
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		// sim and dispatch have no --lang: they follow the locale.
		for _, args := range [][]string{{"--lang", tc.lang, "--help"}, {"sim", "--help"},
			{"serve", "--lang", tc.lang, "--help"}, {"dispatch", "--help"}} {
			var out, errb bytes.Buffer
			code := run(context.Background(), args, &out, &errb)
			help := out.String() + errb.String()
			if code != 0 || !want.MatchString(help) || !strings.Contains(help, tc.heading) {
				t.Errorf("%s %q: exit %d; want 0 and `--scenario demo|FILE` in the flags, in %s:\n%s", tc.env, args, code, tc.lang, help)
			}
			usage, _, _ := strings.Cut(help, "\n\n") // the usage line, wrapped: up to the first blank line
			if demoOnly.MatchString(usage) {
				t.Errorf("%s %q: the usage line takes --scenario demo alone, the flag demo|FILE:\n%s", tc.env, args, usage)
			}
		}
	}
}
