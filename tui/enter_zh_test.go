package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestZhCNNamesEnterAsItsKey: zh-CN named the Enter key two ways on one
// screen, "回车 确认并下发" on a DR event's page and the form's key line
// (beside tab and esc), "enter 确认并下发" in the footer and the `?` help.
// Key names stay English (docs/dashboard.md, Languages): the key cap reads
// Enter, as it reads Tab and Esc. No zh-CN text says 回车, and the DR
// page, its footer, the form and the help say enter.
func TestZhCNNamesEnterAsItsKey(t *testing.T) {
	for _, tab := range []map[string]string{zhCN, zhCNDispatch, zhCNCommand} {
		for en, zh := range tab {
			if strings.Contains(zh, "回车") {
				t.Errorf("%q reads %q: 回车, where the desk names the key enter", en, zh)
			}
		}
	}
	for _, c := range []struct{ keys, want string }{
		{"5E", "enter 确认并下发"}, // the page and its footer
		{"n", "enter 提交"},     // the form's key line
		{"?", "enter 打开"},     // the help
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, "zh-CN")
		opts.Dispatch = newDRController(t, fx, nil)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, c.keys)
		screen := ansi.Strip(m.View())
		if strings.Contains(screen, "回车") || !strings.Contains(screen, c.want) {
			t.Errorf("keys %q: the screen says 回车 or lacks %q:\n%s", c.keys, c.want, screen)
		}
	}
}
