package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cutMidWord is a footer item cut inside a word: an ellipsis right after
// a letter ("n new DR even…") rather than after a whole item ("s sort …").
var cutMidWord = regexp.MustCompile(`[^\s]…`)

// TestFooterKeysNotCutMidWord: at 80 columns a message beside the keys
// could leave the help a few cells too wide (bubbles' help adds the last
// item that fits exactly even when its "…" then does not), and fit cut it
// mid-word: "n new DR even… acknowledged loading/F10". Every length of
// message that sits beside the keys must leave them whole.
func TestFooterKeysNotCutMidWord(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		for _, script := range []string{"", "4", "3", "t"} {
			m, _, _ := newTestModel(t, lang, 80, 24)
			runKeys(m, script)
			for n := 4; n < 60; n++ {
				msg := strings.Repeat("x", n)
				m.setNotice(msg)
				foot := ansi.Strip(m.footerLine())
				left, _, ok := strings.Cut(foot, msg)
				if !ok {
					continue // too long to sit beside the keys: it takes the line
				}
				if loc := cutMidWord.FindStringIndex(left); loc != nil {
					t.Errorf("%s %q, message of %d cells: keys cut mid-word: %q", lang, script, n, left)
				}
				if fw := ansi.StringWidth(foot); fw > 80 {
					t.Errorf("%s %q: footer %d cells on 80 columns: %q", lang, script, fw, foot)
				}
			}
		}
	}
}
