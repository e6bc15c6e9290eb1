package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestEditFormCrumbSaysEdit: the breadcrumb of the form that edits a
// pending event says so, as the form's title does; it read "事件 › DR-17 ›
// 新建需求响应事件" (new DR event) above "修改需求响应事件 DR-17".
func TestEditFormCrumbSaysEdit(t *testing.T) {
	for _, c := range []struct{ lang, edit, new string }{
		{"zh-CN", "事件 › DR-17 › 修改需求响应事件", "新建需求响应事件"},
		{"", "Events › DR-17 › edit DR event", "new DR event"},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, c.lang)
		opts.Dispatch = newDRController(t, fx, nil)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "5Ee")
		tabs := strings.Split(ansi.Strip(m.View()), "\n")[1]
		if !strings.Contains(tabs, c.edit) || strings.Contains(tabs, c.new) {
			t.Errorf("%q: editing DR-17, the tab line reads %q, want %q", c.lang, tabs, c.edit)
		}
		runKeys(m, "X5n")
		if tabs := strings.Split(ansi.Strip(m.View()), "\n")[1]; !strings.Contains(tabs, c.new) {
			t.Errorf("%q: a new event's form, the tab line reads %q, want %q", c.lang, tabs, c.new)
		}
	}
}
