package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestPressAgainPromptsAreQuestions: every "press again" prompt (enter on
// a large dispatch, c on an active event, q while a local desk steers one)
// is a question, drawn △ in the warning colour. The audit read them as
// errors: they were drawn ✕ in the error style, as if the key had failed.
func TestPressAgainPromptsAreQuestions(t *testing.T) {
	fx := demo(t)
	// Any dispatch is large: the first enter asks.
	ctl := newDRController(t, fx, func(o *control.Options) { o.SecondConfirmKW = 0.001 })
	if _, err := ctl.Preview(context.Background(), "DR-17"); err != nil {
		t.Fatal(err)
	}
	opts, _ := testOptions(fx, "")
	opts.Dispatch = ctl
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI256)
	opts.Renderer = r
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	warn := r.NewStyle().Foreground(colWarn).Render("△ x")
	warnSGR := warn[:strings.Index(warn, "△")]
	check := func(keys, want string) {
		t.Helper()
		runKeys(m, keys)
		foot := lastLine(m.View())
		plain := ansi.Strip(foot)
		if !strings.Contains(plain, "△ "+want) || strings.Contains(plain, "✕") {
			t.Errorf("after %q the footer reads %q, want △ %s…", keys, strings.TrimSpace(plain), want)
		}
		if !strings.Contains(foot, warnSGR+"△ "+want) {
			t.Errorf("after %q the prompt is not in the warning colour: %q", keys, foot)
		}
	}
	check("5EE", "large dispatch")
	runKeys(m, "E")
	if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
		t.Fatalf("DR-17 is %s after enter, enter", v.State)
	}
	check("c", "c again to cancel DR-17")
	check("q", "q again quits")
}

// TestSessionQuitSaysTheEventKeepsRunning: a dispatcher quitting a session
// of the shared desk with the event they confirmed in force is told, on
// the first q, that it keeps running under the controller (the audit's
// dispatcher quit with OP-1 on F10 and was told nothing); the second q
// quits. The event is not cancelled. Another operator's event asks nothing.
func TestSessionQuitSaysTheEventKeepsRunning(t *testing.T) {
	for _, tc := range []struct{ lang, operator, want string }{
		{"", "ana", "△ q again quits; DR-17 keeps running on F07 under the controller"},
		{"zh-CN", "ana", "△ 再按 q 退出; DR-17 仍在 F07 上由控制器继续执行"},
		{"", "omar", ""},
	} {
		fx := demo(t)
		ctl := newDRController(t, fx, nil)
		ctx := context.Background()
		if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
			t.Fatal(err)
		}
		ana := control.Actor{Name: "ana", Dispatcher: true, Session: 1}
		if err := ctl.Confirm(ctx, "DR-17", ana, control.ConfirmOptions{Second: true}); err != nil {
			t.Fatal(err)
		}
		opts, _ := testOptions(fx, tc.lang)
		opts.Dispatch = ctl
		opts.Operator, opts.Role, opts.Session = tc.operator, RoleDispatcher, 2
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		quits := func() bool {
			_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}})
			if cmd == nil {
				return false
			}
			_, ok := cmd().(tea.QuitMsg)
			return ok
		}
		if tc.want == "" {
			if !quits() {
				t.Errorf("%s: q with another operator's event in force did not quit", tc.operator)
			}
			continue
		}
		if quits() {
			t.Errorf("%q: the first q quit with DR-17 in force", tc.lang)
		}
		if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, tc.want) {
			t.Errorf("%q: after q the footer reads %q, want %q", tc.lang, strings.TrimSpace(foot), tc.want)
		}
		if !quits() {
			t.Errorf("%q: the second q did not quit", tc.lang)
		}
		if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
			t.Errorf("%q: DR-17 is %s after the session quit, want active", tc.lang, v.State)
		}
	}
}
