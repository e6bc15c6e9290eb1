package tui

import (
	"regexp"
	"slices"
	"testing"
)

// TestSayCommandLines: each Chinese line of the command fills in the same
// values, in the same order, as its English (a verb lost or swapped would
// print %!v(MISSING) or a path where a count belongs), and Say words a
// line in the desk's language only.
func TestSayCommandLines(t *testing.T) {
	verb := regexp.MustCompile(`%[0-9.]*[a-zA-Z]`)
	for en, zh := range zhCNCommand {
		if a, b := verb.FindAllString(en, -1), verb.FindAllString(zh, -1); !slices.Equal(a, b) {
			t.Errorf("%q: verbs %q, zh-CN %q has %q", en, a, zh, b)
		}
	}
	const f = "v2gdesk: warnings were logged to %s"
	if got, want := Say("zh-CN", f, "/tmp/x.log"), "v2gdesk: 警告已记录到 /tmp/x.log"; got != want {
		t.Errorf("zh-CN: %q, want %q", got, want)
	}
	for _, lang := range []string{"", "en"} {
		if got, want := Say(lang, f, "/tmp/x.log"), "v2gdesk: warnings were logged to /tmp/x.log"; got != want {
			t.Errorf("%q: %q, want %q", lang, got, want)
		}
	}
}
