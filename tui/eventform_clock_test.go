package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestFormStartFollowsTheClock: the new-event form's start stayed at the
// minute it opened, so a dispatcher who filled it in slowly on a fast
// simulation proposed an event that had started long before. The start
// and end follow the clock until typed; a start typed that the clock then
// passes is refused on enter, saying so in the form, and moved to now, so
// that enter again proposes it from there.
func TestFormStartFollowsTheClock(t *testing.T) {
	for _, tc := range []struct{ lang, refusal string }{
		{"", "start 19:07 had passed at 19:27: the start now follows the clock; enter again proposes the event from it"},
		{"zh-CN", "开始时间 19:07 在 19:27 时已过: 开始时间现随时钟更新"},
	} {
		fx := demo(t)
		ctl := newDRController(t, fx, nil)
		opts, _ := testOptions(fx, tc.lang)
		opts.Dispatch = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap}) // 18:42
		runKeys(m, "n")
		if m.form == nil {
			t.Fatal("n opened no form")
		}
		at := func(d time.Duration) {
			s := *fx.snap
			s.At = fx.snap.At.Add(d)
			m.Update(SnapshotMsg{Snapshot: &s})
		}
		text := func(field int) string { return string(m.form.text[field]) }
		if text(fieldStart) != "18:42" || text(fieldEnd) != "20:42" {
			t.Fatalf("%s: the form opened at 18:42 with %s–%s", tc.lang, text(fieldStart), text(fieldEnd))
		}
		at(25 * time.Minute)
		if text(fieldStart) != "19:07" || text(fieldEnd) != "21:07" {
			t.Errorf("%s: at 19:07 the form's window is %s–%s, want 19:07–21:07: it follows the clock until typed", tc.lang, text(fieldStart), text(fieldEnd))
		}
		// The dispatcher types the start: it stays where typed.
		for range 3 { // scope, kind, kW, start
			m.Update(tea.KeyMsg{Type: tea.KeyTab})
		}
		if m.form.field != fieldStart {
			t.Fatalf("%s: three tabs led to field %d, want the start", tc.lang, m.form.field)
		}
		for range 5 {
			m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		press(m, "19:07")
		at(45 * time.Minute) // 19:27
		if text(fieldStart) != "19:07" || text(fieldEnd) != "21:27" {
			t.Errorf("%s: at 19:27 the window is %s–%s, want the typed start 19:07 kept, the end following", tc.lang, text(fieldStart), text(fieldEnd))
		}
		before := len(ctl.Events())
		runKeys(m, "E")
		if m.form == nil {
			t.Fatalf("%s: enter proposed a start 20 minutes past", tc.lang)
		}
		v := ansi.Strip(m.View())
		flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
		if !strings.Contains(flat, tc.refusal) {
			t.Errorf("%s: the form does not say %q:\n%s", tc.lang, tc.refusal, v)
		}
		if text(fieldStart) != "19:27" || len(ctl.Events()) != before {
			t.Errorf("%s: after the refusal the start is %s and %d events were proposed; want 19:27, none", tc.lang, text(fieldStart), len(ctl.Events())-before)
		}
		runKeys(m, "E")
		if m.form != nil {
			t.Fatalf("%s: enter again did not propose the event: %s", tc.lang, m.form.err)
		}
		evs := ctl.Events()
		if len(evs) != before+1 {
			t.Fatalf("%s: %d events proposed, want 1", tc.lang, len(evs)-before)
		}
		var got feeds.EventFrame
		for _, e := range evs {
			if e.Origin != "feed" {
				got = e.Event
			}
		}
		if want := fx.snap.At.Add(45 * time.Minute).Truncate(time.Minute); !got.Start.Equal(want) {
			t.Errorf("%s: proposed from %v, want %v", tc.lang, got.Start, want)
		}
	}
}
