package tui

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestStatusWordsInChinese walks every setpoint status the guard can
// report (adapters.Statuses) and the words the desk puts around them
// (timed out, late, "accepted late"): each has zh-CN wording with no
// English left in it. The dispatch page's "plan … answered: 1 timeout"
// showed the English "timeout" on the zh-CN desk.
func TestStatusWordsInChinese(t *testing.T) {
	tr := newTranslator("zh-CN")
	english := func(s string) bool {
		s = strings.ReplaceAll(s, "%s", "")
		return strings.IndexFunc(s, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) >= 0
	}
	words := []string{"timed out", "late", "waiting"}
	for _, s := range adapters.Statuses() {
		words = append(words, string(s))
	}
	for _, w := range words {
		zh, ok := tr.m[w]
		if !ok || zh == "" || english(zh) {
			t.Errorf("status word %q: zh-CN %q, want Chinese wording", w, zh)
		}
		late := fmt.Sprintf(tr.t("%s late"), tr.t(w))
		if english(late) || !strings.Contains(late, tr.t(w)) {
			t.Errorf("%q late: zh-CN %q, want the status in Chinese, marked late", w, late)
		}
	}
	if len(adapters.Statuses()) < 6 {
		t.Fatalf("adapters.Statuses() lists %d statuses; is a status missing?", len(adapters.Statuses()))
	}
}
