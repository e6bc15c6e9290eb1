package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestConflictRefusalIsWhole: the refusal of a confirmation because
// another event is in force on the scope is read whole in the footer at
// 160 and 80 columns, in English and in Chinese (the audit saw it cut at
// both widths).
func TestConflictRefusalIsWhole(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w, h int
	}{{"", 160, 45}, {"", 80, 24}, {"zh-CN", 160, 45}, {"zh-CN", 80, 24}} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, tc.h)
		at := time.Date(2026, 11, 26, 18, 31, 4, 0, m.loc())
		err := fmt.Errorf("confirm %q: %w", "T-F10-1842", &control.ActiveConflictError{
			Other: feeds.EventFrame{ID: "OP-12", Kind: feeds.EventImportCap, Scope: "F10", KW: 1400, Start: at, End: at.Add(3 * time.Hour)},
			By:    "ana", At: at})
		m.Update(drDoneMsg{err: err})
		foot := strings.TrimSpace(ansi.Strip(lastLine(m.View())))
		if i := strings.Index(foot, "✕ "); i >= 0 {
			foot = foot[i:] // the key help beside it may be cut
		}
		for _, fig := range []string{"OP-12", "F10", "ana", "18:31:04"} {
			if !strings.Contains(foot, fig) || strings.Contains(foot, "…") {
				t.Errorf("%q at %dx%d: the footer reads\n%q\nwant the whole refusal, uncut, naming OP-12, F10, ana and 18:31:04 (%s)", tc.lang, tc.w, tc.h, foot, fig)
				break
			}
		}
	}
}
