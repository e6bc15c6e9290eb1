package main

import (
	"bytes"
	"context"
	"regexp"
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
