package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestFlagErrorLeadsNotUsage: a flag a command cannot read is told first,
// with its hint, and the last line says where the flags are listed; the
// usage is not printed. It printed the whole usage first, so the error
// and the hint ("want a duration with its unit", "did you mean --feed")
// were the last lines, scrolled away on a small terminal. Every command,
// in English and in zh-CN.
func TestFlagErrorLeadsNotUsage(t *testing.T) {
	type lang struct {
		env, lang, unknown, see, usage string
	}
	langs := []lang{
		{"C", "en", "flag provided but not defined: -nope", "Run `%s --help` for its flags.", "Usage"},
		{"zh_CN.UTF-8", "zh-CN", "未定义的参数: -nope", "运行 `%s --help` 查看其参数。", "用法"},
	}
	var cmds [][]string
	cmds = append(cmds, nil) // the dashboard
	for _, c := range commands() {
		cmds = append(cmds, []string{c.name})
	}
	for _, l := range langs {
		for _, cmd := range cmds {
			name := strings.TrimSpace("v2gdesk " + strings.Join(cmd, " "))
			t.Run(l.lang+"/"+name, func(t *testing.T) {
				t.Setenv("LANG", l.env)
				t.Setenv("LC_ALL", "")
				t.Setenv("LC_MESSAGES", "")
				// --lang after the bad flag: a command that takes it
				// reads the language from it, the others from LANG.
				args := append(append([]string{}, cmd...), "--nope", "--lang", l.lang)
				var out, errb bytes.Buffer
				if code := run(context.Background(), args, &out, &errb); code != exitUsage {
					t.Fatalf("exit %d, want %d\n%s", code, exitUsage, errb.String())
				}
				lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
				if want := name + ": " + l.unknown; lines[0] != want {
					t.Errorf("first line %q, want %q", lines[0], want)
				}
				if want := strings.Replace(l.see, "%s", name, 1); lines[len(lines)-1] != want {
					t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
				}
				if strings.Contains(errb.String(), l.usage) {
					t.Errorf("the usage is printed after a flag error:\n%s", errb.String())
				}
			})
		}
	}
	t.Run("a value with its hint", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"status", "--timeout", "10"}, &out, &errb); code != exitUsage {
			t.Fatalf("exit %d, want %d", code, exitUsage)
		}
		want := `v2gdesk status: invalid value "10" for flag -timeout: parse error
v2gdesk status: --timeout "10": want a duration with its unit, e.g. 15m, 90s or 2h
Run ` + "`v2gdesk status --help`" + ` for its flags.
`
		if errb.String() != want {
			t.Errorf("stderr:\n%s\nwant:\n%s", errb.String(), want)
		}
	})
	t.Run("an argument meant for a flag", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"solve", "x.json"}, &out, &errb); code != exitUsage {
			t.Fatalf("exit %d, want %d", code, exitUsage)
		}
		want := "v2gdesk solve: unexpected argument \"x.json\"; did you mean --problem x.json?\nRun `v2gdesk solve --help` for its flags.\n"
		if errb.String() != want {
			t.Errorf("stderr:\n%s\nwant:\n%s", errb.String(), want)
		}
	})
}
