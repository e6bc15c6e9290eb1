package tui

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// deadKeyDesk is the demo desk with a DR workflow, DR-17 declined, at w
// columns.
func deadKeyDesk(t *testing.T, lang string, w, h int) *Model {
	t.Helper()
	fx := demo(t)
	ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctl.Step(context.Background()) // take in the feed's events
	if err := ctl.Decline("DR-17", control.Actor{Name: "bo", Dispatcher: true}, "test"); err != nil {
		t.Fatal(err)
	}
	opts, _ := testOptions(fx, lang)
	opts.Dispatch, opts.Plan = ctl, ctl
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m
}

// footer is the screen's last line.
func footer(m *Model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// flashed is the refusal the footer ends with, "" for none.
func flashed(m *Model) string {
	_, f, _ := strings.Cut(footer(m), "✕ ")
	return f
}

// TestDeadKeysSayWhy: a key the desk binds, pressed where it does nothing
// ('a' on the events page, 'c' on a declined event, 'p' off triage), said
// nothing at all; now the footer says why, in the desk's language, whole
// at 80 columns, one line however often it is pressed. A key bound
// nowhere (z) and esc with nothing to go back to stay silent.
func TestDeadKeysSayWhy(t *testing.T) {
	for _, tc := range []struct {
		lang, keys, want string
	}{
		{"", "5a", "a: nothing to acknowledge on this page — alarms are on 4"},
		{"zh-CN", "5a", "a：此页没有可确认的内容 — 告警在 4"},
		{"", "5/DR-17Ec", "c: the event is declined: nothing to decline or cancel"},
		{"zh-CN", "5/DR-17Ec", "c：该事件已拒绝：无可拒绝或取消"},
		{"", "5/DR-17EEd", "d: the event is declined: only a pending event is planned"},
		{"zh-CN", "5/DR-17EEe", "e：该事件已拒绝：只有待处理的事件可以修改"},
		{"", "1p", "p: nothing to propose on this page — triage (t) suggests DR events"},
		{"zh-CN", "3jEx", "x：此页没有可搁置的内容 — 告警在 4"},
		{"", "5/DR-17EEx", "x: only an event handing its chargers back can be extended"},
		{"", "tt", "t: triage is open"},
		// On the events page, with nothing on it: not sent back to 5.
		{"zh-CN", "5/OP-9Ec", "c：没有可拒绝或取消的需求响应事件"},
		{"", "5/OP-9Ed", "d: no DR event to plan"},
		{"", "1d", "d: no DR event here to plan — DR events are on 5"},
		{"zh-CN", "3jEE", "enter：充电桩页面上没有可打开的内容"},
	} {
		for _, w := range []int{80, 160} {
			m := deadKeyDesk(t, tc.lang, w, 24)
			pressViewing(m, tc.keys)
			if got := flashed(m); got != tc.want {
				t.Errorf("%q %d columns, keys %q: footer %q, want %q", tc.lang, w, tc.keys, footer(m), tc.want)
			}
			// Held down, the key says the same one line.
			pressViewing(m, tc.keys[len(tc.keys)-1:]+tc.keys[len(tc.keys)-1:])
			if got := flashed(m); got != tc.want || strings.Count(footer(m), "✕") != 1 {
				t.Errorf("%q %d columns, keys %q pressed again: footer %q", tc.lang, w, tc.keys, footer(m))
			}
		}
	}
	for _, lang := range []string{"", "zh-CN"} {
		m := deadKeyDesk(t, lang, 80, 24)
		pressViewing(m, "5")
		quiet := footer(m)
		for _, k := range []string{"z", "X", "Z", "@"} {
			pressViewing(m, k)
			if got := footer(m); got != quiet {
				t.Errorf("%q: key %q, bound nowhere or with nothing to undo, changed the footer to %q", lang, k, got)
			}
		}
	}
}
