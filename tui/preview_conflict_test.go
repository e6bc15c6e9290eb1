package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestPreviewSaysTheEventInForce: the preview of an event on a scope that
// already has one in force offered "enter confirm and send", and only the
// refusal after enter said "conflicts with DR-17 …, confirmed by ana at
// …". The preview says so before enter, with who confirmed the one in
// force and when; an event on another feeder is not warned about.
func TestPreviewSaysTheEventInForce(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	m := newDRModel(fx, ctl, "")
	runKeys(m, "5EEE") // DR-17, import cap F07, confirmed and in force
	if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
		t.Fatalf("DR-17 is %s, want active", v.State)
	}
	at := fx.snap.At.Truncate(time.Minute)
	propose := func(scope string) string {
		id, err := ctl.Propose(feeds.EventFrame{Kind: feeds.EventImportCap, Scope: scope, KW: 500, Start: at, End: at.Add(time.Hour)},
			control.OriginOperator, control.Actor{Name: "omar", Dispatcher: true})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	page := func(id string) string {
		m.Update(drChangedMsg{})
		m.openDispatch(id)
		runKeys(m, "d") // plan it, as opening a pending event does
		v := ansi.Strip(m.View())
		return strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
	}
	same := propose("F07")
	want := "△ conflicts with DR-17 (import cap F07), confirmed by ana at"
	if v := page(same); !strings.Contains(v, want) || !strings.Contains(v, "enter is refused until it ends or is cancelled") {
		t.Errorf("the preview of %s on F07 does not say DR-17 is in force:\n%s", same, v)
	}
	other := propose("F03")
	if v := page(other); strings.Contains(v, "conflicts with") {
		t.Errorf("the preview of %s on F03 warns of a conflict:\n%s", other, v)
	}
}
