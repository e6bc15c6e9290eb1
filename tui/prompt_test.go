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
