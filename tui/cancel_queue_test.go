package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control/controltest"
)

// c c while the event is being planned is taken, not refused ("event is
// being planned or sent", to be pressed again): the footer and the page
// say the cancel is queued, the other desks are told, and the event is
// cancelled once the plan in flight is done; in zh-CN too, at 160x45 and
// 80x24.
func TestCancelWhilePlanningIsQueued(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w, h int
	}{{"", 160, 45}, {"zh-CN", 160, 45}, {"", 80, 24}, {"zh-CN", 80, 24}} {
		lang := tc.lang
		t.Run(fmt.Sprintf("lang=%s/%dx%d", lang, tc.w, tc.h), func(t *testing.T) {
			fx := demo(t)
			var held controltest.HeldForecast
			ctl := newDRController(t, fx, func(o *control.Options) { o.Forecast = held.Forecast })
			ana := control.Actor{Name: "ana", Dispatcher: true}
			ctx := context.Background()
			if _, err := ctl.Preview(ctx, "DR-17"); err != nil {
				t.Fatal(err)
			}
			if err := ctl.Confirm(ctx, "DR-17", ana, control.ConfirmOptions{Second: true}); err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, lang)
			opts.Dispatch = ctl
			// Told from the commands' goroutines: the cancel once it has
			// run, whatever became of the session (announceQueuedCancel).
			toldCh := make(chan string, 4)
			opts.Announce = func(a Announcement) { toldCh <- a.English }
			var told []string
			hear := func() {
				select {
				case s := <-toldCh:
					told = append(told, s)
				case <-time.After(10 * time.Second): // a deadline, failing
					t.Fatalf("announced %q, and nothing more", told)
				}
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			runKeys(m, "5E")

			held.Arm()
			planned := make(chan error, 1)
			go func() { _, err := ctl.Preview(ctx, "DR-17"); planned <- err }()
			<-held.Entered
			runKeys(m, "cc")
			view := ansi.Strip(m.View())
			want := []string{"cancel queued: runs when the plan in flight is sent (DR-17)", "◐ CANCEL QUEUED",
				"cancel queued by ana at "}
			if lang == "zh-CN" {
				want = []string{"取消已排队: 正在下发的计划完成后执行 (DR-17)", "◐ 取消排队中", "ana 于 "}
			}
			for _, w := range want {
				if !strings.Contains(view, w) {
					t.Errorf("while the plan is in flight the desk lacks %q:\n%s", w, view)
				}
			}
			if strings.Contains(view, "being planned or sent") || strings.Contains(view, "正在规划或下发") {
				t.Errorf("the cancel is shown refused:\n%s", lastLine(view))
			}
			hear()
			if len(told) != 1 || !strings.HasPrefix(told[0], "asked to cancel DR-17 (import cap") {
				t.Errorf("announced %q, want the queued cancel", told)
			}
			if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
				t.Fatalf("cancelled before the plan in flight was done: %s", v.State)
			}
			close(held.Release)
			if err := <-planned; err != nil {
				t.Fatal(err)
			}
			if v, _ := ctl.Event("DR-17"); v.State != control.StateCancelled || v.DecidedBy != "ana" {
				t.Fatalf("after the plan: %s by %q, want cancelled by ana", v.State, v.DecidedBy)
			}
			m.refreshDispatch()
			view = ansi.Strip(m.View())
			if strings.Contains(view, "CANCEL QUEUED") || strings.Contains(view, "取消排队中") {
				t.Errorf("still shown queued once cancelled:\n%s", view)
			}
			done := "cancelled DR-17"
			if lang == "zh-CN" {
				done = "已取消 DR-17"
			}
			if !strings.Contains(lastLine(view), done) {
				t.Errorf("once it has run the footer says %q, want %q", lastLine(view), done)
			}
			hear()
			if len(told) != 2 || !strings.HasPrefix(told[1], "cancelled DR-17 (import cap") {
				t.Errorf("announced %q, want the queued cancel, then the cancel", told)
			}
			m.refreshDispatch()
			select {
			case s := <-toldCh:
				t.Errorf("the cancel announced again: %q", append(told, s))
			default:
			}
		})
	}
}
