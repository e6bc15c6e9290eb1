package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestChineseHelpFitsEighty: the prose of a Chinese --help, whose lines
// the catalogue breaks, fits a terminal of 80 columns, a Han character
// taking two; the synopsis line (flags, as long as in English) and the
// flags' descriptions (one line each, as the flag package prints them in
// either language) are not broken.
func TestChineseHelpFitsEighty(t *testing.T) {
	for en, zh := range zhCNCommandLine {
		if !strings.Contains(en, "\n") {
			continue
		}
		for _, line := range strings.Split(zh, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "v2gdesk") || strings.HasPrefix(line, "用法: v2gdesk") {
				continue
			}
			if w := ansi.StringWidth(line); w > 80 {
				t.Errorf("%d columns: %q", w, line)
			}
		}
	}
}
