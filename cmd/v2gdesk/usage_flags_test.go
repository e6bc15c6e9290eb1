package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUsageNamesTheFlag: flags that cannot go together, or a value that
// makes no sense, are refused with exit 2 and a message naming the flag.
// --speed was silently ignored with --feed (while --start was refused),
// audit took --wide --json, and --generate 0 was told to give one of
// --problem or --generate, which it had, while --problem with --generate 0
// solved the problem as if --generate were not there. Each reads in zh-CN
// too.
func TestUsageNamesTheFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"desk --speed with --feed", []string{"--feed", "ws://127.0.0.1:1/v1", "--speed", "600"},
			"v2gdesk: --speed goes with --scenario: a live feed or an OCPP central system keeps its own pace"},
		{"audit --wide --json", []string{"audit", "--journal", "x.jsonl", "--wide", "--json"},
			"v2gdesk audit: --wide and --json: give one"},
		{"solve --generate 0", []string{"solve", "--generate", "0"},
			"v2gdesk solve: --generate 0: want a positive number of EVs"},
		{"solve --problem with --generate 0", []string{"solve", "--problem", "p.json", "--generate", "0"},
			"v2gdesk solve: give exactly one of --problem FILE or --generate N"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &bytes.Buffer{}, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if first, _, _ := strings.Cut(stderr.String(), "\n"); !strings.HasPrefix(first, tc.want) {
				t.Errorf("stderr begins %q, want %q", first, tc.want)
			}
			stderr.Reset()
			// The desk follows its --lang, the others the locale.
			t.Setenv("LC_ALL", "zh_CN.UTF-8")
			zh := tc.args
			if tc.args[0] == "--feed" {
				zh = append(zh[:len(zh):len(zh)], "--lang", "zh-CN")
			}
			if code := run(context.Background(), zh, &bytes.Buffer{}, &stderr); code != exitUsage {
				t.Errorf("zh-CN: exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if first, _, _ := strings.Cut(stderr.String(), "\n"); untranslatedWords(first) {
				t.Errorf("zh-CN: %q is still English", first)
			}
		})
	}
	// --speed stays welcome where it applies: the desk's default demo day,
	// and a scenario.
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--speed", "120", "--lang", "en"}, &bytes.Buffer{}, &stderr); strings.Contains(stderr.String(), "--speed goes with") {
		t.Errorf("--speed on the default demo day refused (exit %d): %s", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"serve", "--ssh", ":0", "--scenario", "demo", "--speed", "600", "--users", "/nonexistent"}, &bytes.Buffer{}, &stderr); strings.Contains(stderr.String(), "--speed goes with") {
		t.Errorf("--speed with --scenario refused (exit %d): %s", code, stderr.String())
	}
}

// untranslatedWords reports whether line has no Chinese in it at all.
func untranslatedWords(line string) bool {
	for _, r := range line {
		if r >= 0x4e00 && r <= 0x9fff {
			return false
		}
	}
	return true
}
