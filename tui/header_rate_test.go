package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestHeaderRateKeepsItsUnit: the compact header (80 columns) gave the
// feed's rate as "25/s" where the wide one says "25 fr/s" (zh-CN "25 帧/秒"),
// with room for the word. The unit stays worded wherever it fits, in both
// languages, on the local desk (no operator) and a shared one's; only a
// line without the room (zh-CN with the site and an operator) keeps "/s".
func TestHeaderRateKeepsItsUnit(t *testing.T) {
	for _, tc := range []struct {
		lang, operator string
		w              int
		want           string
	}{
		{"", "", 80, " 25 fr/s · "},
		{"", "ana", 80, " 25 fr/s · "},
		{"", "ana", 160, " 25 fr/s · "},
		{"zh-CN", "", 80, " 25 帧/秒 · "},
		{"zh-CN", "ana", 160, " 25 帧/秒 · "},
		{"zh-CN", "ana", 80, " 25/s · "}, // no room beside the site and the operator
		// A busy feed's rate: the word stays, the product's name goes.
		{"", "", 80, " 8,416 fr/s · "},
		{"zh-CN", "", 80, " 8,416 帧/秒 · "},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, tc.lang)
		opts.Operator = tc.operator
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		snap := *fx.snap
		if strings.Contains(tc.want, "8,416") {
			snap.Stats.FramesPerSec = 8416
		}
		m.Update(SnapshotMsg{Snapshot: &snap})
		head := strings.Split(ansi.Strip(m.View()), "\n")[0]
		if !strings.Contains(head, tc.want) || width(head) > tc.w || strings.Contains(head, "…") {
			t.Errorf("%q, operator %q, %d columns: header %q, want %q in it", tc.lang, tc.operator, tc.w, head, tc.want)
		}
	}
}
