package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// overviewWith is the overview of the demo fixture at w x h with the
// given setpoint counters (nil: no guard) and renderer (nil: no colour).
func overviewWith(t *testing.T, lang string, sp SetpointCounter, r *lipgloss.Renderer, w, h int) *Model {
	t.Helper()
	fx := demo(t)
	opts, _ := testOptions(fx, lang)
	opts.Setpoints = sp
	if r != nil {
		opts.Renderer = r
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m
}

// setpointRow returns the overview's setpoint line, trimmed.
func setpointRow(t *testing.T, view, head string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), head) {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no %q line on the overview:\n%s", head, view)
	return ""
}

// TestSetpointLineWithoutGuard: a desk with no guard says so, in both
// layouts and both languages, and shows no zeros that would suggest
// setpoints could have gone out.
func TestSetpointLineWithoutGuard(t *testing.T) {
	cases := []struct {
		lang, head string
		w, h       int
		want       string
	}{
		{"", "Setpoints", 80, 24, "Setpoints  no adapters configured"},
		{"", "Setpoints", 160, 45, "Setpoints  no adapters configured: DR events are planned and previewed, not sent"},
		{"zh-CN", "设定值", 80, 24, "设定值  未配置适配器: 需求响应事件只规划和预览, 不下发"},
	}
	for _, c := range cases {
		m := overviewWith(t, c.lang, nil, nil, c.w, c.h)
		got := m.View()
		checkScreen(t, got, c.w, c.h)
		if row := setpointRow(t, got, c.head); row != c.want {
			t.Errorf("%s %dx%d: %q, want %q", c.lang, c.w, c.h, row, c.want)
		}
		if strings.Contains(got, "0 applied") || strings.Contains(got, "0 已执行") {
			t.Errorf("%s %dx%d: zeros shown without a guard:\n%s", c.lang, c.w, c.h, got)
		}
	}
}

// TestSetpointLineNarrows: at every width from the narrowest terminal up,
// the line is exactly its width and never loses a count that is not zero
// and needs looking at; the widest form has every counter.
func TestSetpointLineNarrows(t *testing.T) {
	g := &fakeGuard{
		Results: map[adapters.Status]int{adapters.StatusAccepted: 1200, adapters.StatusClamped: 34,
			adapters.StatusRejected: 17, adapters.StatusTimeout: 5, adapters.StatusFailed: 3},
		QueueFull: 2, Late: 4, Waiting: 1, Duplicates: 6,
	}
	m := overviewWith(t, "", g, nil, 160, 45)
	full := "Setpoints  1,259 issued · 1,234 applied (34 clamped) · △ 17 refused · △ 5 timed out · △ 3 failed (2 queue full) · △ 4 late · 1 waiting · 6 duplicates"
	if got := strings.TrimSpace(m.setpointLine(200)); got != full {
		t.Errorf("at 200 cells:\n got %q\nwant %q", got, full)
	}
	for w := minWidth - 1; w <= 200; w++ {
		got := m.setpointLine(w)
		if width(got) != w {
			t.Fatalf("at %d cells the line is %d wide: %q", w, width(got), got)
		}
		for _, must := range []string{"△ 17 refused", "△ 5 timed out", "△ 3 failed", "△ 4 late"} {
			if !strings.Contains(got, must) {
				t.Errorf("at %d cells %q is cut: %q", w, must, got)
			}
		}
	}
}

// TestSetpointLineWarns: a count that needs looking at is drawn in the
// overview's warning style when it is not zero, and plain at zero, so
// colour is never the only sign (the glyph △ comes with it).
func TestSetpointLineWarns(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI256)
	g := &fakeGuard{Results: map[adapters.Status]int{adapters.StatusAccepted: 10, adapters.StatusRejected: 2}}
	m := overviewWith(t, "", g, r, 160, 45)
	got := m.View()
	if warn := m.st.warn.Render("△ 2 refused"); !strings.Contains(got, warn) {
		t.Errorf("2 refused is not in the warning style %q:\n%q", warn, got)
	}
	for _, zero := range []string{"0 timed out", "0 failed", "0 late"} {
		if strings.Contains(got, m.st.warn.Render(zero)) || strings.Contains(got, "△ "+zero) {
			t.Errorf("%q is marked as a warning", zero)
		}
		if !strings.Contains(got, zero) {
			t.Errorf("%q is missing", zero)
		}
	}
}

// TestSetpointLineFollowsTheGuard: the counters are read when the screen
// is drawn, so a timeout after the dashboard opened shows on the next
// frame, without a new snapshot; at 80 columns the zeros give way to a
// waiting setpoint.
func TestSetpointLineFollowsTheGuard(t *testing.T) {
	g := &fakeGuard{Results: map[adapters.Status]int{}}
	m := overviewWith(t, "", g, nil, 80, 24)
	if row := setpointRow(t, m.View(), "Setpoints"); row != "Setpoints  0 issued · 0 applied · 0 refused · 0 timed out · 0 failed" {
		t.Errorf("before any setpoint: %q", row)
	}
	g.Results[adapters.StatusAccepted] = 3
	g.Results[adapters.StatusTimeout] = 1
	g.Waiting = 1
	got := m.View()
	checkScreen(t, got, 80, 24)
	if row := setpointRow(t, got, "Setpoints"); row != "Setpoints  4 issued · 3 applied · △ 1 timed out · 1 waiting" {
		t.Errorf("after a timeout: %q", row)
	}
}
