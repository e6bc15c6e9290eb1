package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestSpeedValueNameIsOne: --speed's value was N in some texts (the
// README, replay's synopsis), X in others (dashboard.md, operations.md)
// and FACTOR in every --help's flag list, three names for one number, a
// factor that takes 0.5. Every --help, in English and zh-CN, the README
// and every page under docs/ name it FACTOR (a synopsis may give the
// default instead, "[--speed 60]").
func TestSpeedValueNameIsOne(t *testing.T) {
	named := regexp.MustCompile(`--speed ([A-Z][A-Za-z]*)`)
	check := func(where, text string) {
		t.Helper()
		for _, m := range named.FindAllStringSubmatch(text, -1) {
			if m[1] != "FACTOR" {
				t.Errorf("%s: %q, want --speed FACTOR", where, m[0])
			}
		}
	}
	cmds := [][]string{nil}
	for _, c := range commands() {
		cmds = append(cmds, []string{c.name})
	}
	for _, lang := range []string{"en", "zh-CN"} {
		for _, cmd := range cmds {
			var out, errb bytes.Buffer
			run(context.Background(), append(append([]string{}, cmd...), "--help", "--lang", lang), &out, &errb)
			check(lang+" "+strings.Join(append([]string{"v2gdesk"}, cmd...), " ")+" --help", out.String()+errb.String())
		}
	}
	check("README.md", docstest.Read(t, "README.md").Text)
	pages, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("docs/*.md: %v (%d pages)", err, len(pages))
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(p), string(b))
	}
}
