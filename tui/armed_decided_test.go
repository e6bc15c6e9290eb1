package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// A question about an event ("enter again to confirm", "c again to
// cancel") goes when the event is decided elsewhere while it waits for
// its second key: another operator declined or cancelled it, or its window
// ended (seen on a shared desk at 600x: the page read ✓ ENDED and the
// footer still asked for enter again to confirm it).
func TestQuestionGoesWhenTheEventIsDecidedElsewhere(t *testing.T) {
	other := control.Actor{Name: "omar", Dispatcher: true, Session: 99}
	t.Run("large dispatch declined by another operator", func(t *testing.T) {
		fx := demo(t)
		ctl := newDRController(t, fx, func(o *control.Options) { o.Sender, o.SecondConfirmKW = &recordingSender{}, 1 })
		m := newDRModel(fx, ctl, "")
		runKeys(m, "5E") // DR-17's page, planned on opening
		runKeys(m, "E")  // first enter: armed
		if v := ansi.Strip(lastLine(m.View())); !strings.Contains(v, "enter again to confirm") {
			t.Fatalf("the first enter does not ask: %q", v)
		}
		if err := ctl.Decline("DR-17", other, "not ours"); err != nil {
			t.Fatal(err)
		}
		m.Update(drChangedMsg{})
		if v := ansi.Strip(m.View()); strings.Contains(v, "enter again to confirm") {
			t.Errorf("DR-17 is declined and the desk still asks for enter again:\n%s", v)
		}
		if m.armed != "" {
			t.Errorf("still armed for %q after DR-17 was declined", m.armed)
		}
	})
	t.Run("cancel of an event cancelled by another operator", func(t *testing.T) {
		fx := demo(t)
		ctl := newDRController(t, fx, nil)
		m := newDRModel(fx, ctl, "")
		runKeys(m, "5EE") // DR-17 confirmed and in force
		if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
			t.Fatalf("DR-17 is %s, want active", v.State)
		}
		runKeys(m, "c") // first c: asks
		if v := ansi.Strip(lastLine(m.View())); !strings.Contains(v, "c again to cancel") {
			t.Fatalf("the first c does not ask: %q", v)
		}
		if err := ctl.Cancel(t.Context(), "DR-17", other, "cancelled at the other desk"); err != nil {
			t.Fatal(err)
		}
		m.Update(drChangedMsg{})
		if v := ansi.Strip(lastLine(m.View())); strings.Contains(v, "c again to cancel") {
			t.Errorf("DR-17 is cancelled and the footer still asks for c again: %q", v)
		}
		if m.cancelArmed != "" {
			t.Errorf("cancel still armed for %q after DR-17 was cancelled", m.cancelArmed)
		}
	})
}
