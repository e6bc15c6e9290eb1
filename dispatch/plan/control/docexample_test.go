package control

import (
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// docFrame decodes the first JSON example of docs/protocol.md that is a
// frame of type ft.
func docFrame(t *testing.T, ft feeds.FrameType) feeds.Frame {
	t.Helper()
	for _, ex := range docstest.Read(t, "docs/protocol.md").Blocks("json") {
		if f, err := feeds.Decode([]byte(ex)); err == nil && f.FrameType() == ft {
			return f
		}
	}
	t.Fatalf("docs/protocol.md has no %s example", ft)
	return nil
}

// The setpoint example of docs/protocol.md is what the desk sends for the
// event example's first plan, confirmed at 18:42: it read "cap F07 at 3600
// kW" with an id of a form the desk never used, after the desk's reason
// became "DR DR-17: cap F07 at 3,600 kW 18:00–21:00; plan 1 (confirmed)".
// Its ack names it.
func TestProtocolDocSetpointIsWhatIsSent(t *testing.T) {
	ev := *docFrame(t, feeds.TypeEvent).(*feeds.EventFrame)
	sp := docFrame(t, feeds.TypeSetpoint).(*feeds.SetpointFrame)
	ack := docFrame(t, feeds.TypeAck).(*feeds.AckFrame)
	// The controller reads an event in the site's zone (the hello's tz).
	loc, err := time.LoadLocation(docFrame(t, feeds.TypeHello).(*feeds.Hello).TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	ev.Start, ev.End = ev.Start.In(loc), ev.End.In(loc)
	at := time.Date(2024, 2, 4, 18, 42, 0, 0, loc)
	if want := setpointID(ev.ID, at, 1, "", sp.Charger); sp.ID != want || ack.ID != want {
		t.Errorf("setpoint id %q, ack id %q: want %q", sp.ID, ack.ID, want)
	}
	if want := setpointReason(ev, 1, Why{Kind: WhyConfirmed}); sp.Reason != want {
		t.Errorf("setpoint reason %q, want %q", sp.Reason, want)
	}
	// Slot 1 of a plan from 18:42 starts at 18:57; the grace is 5 minutes.
	if want := at.Add(20 * time.Minute); !sp.ValidUntil.Equal(want) || sp.Event != ev.ID {
		t.Errorf("setpoint valid until %s for %q, want %s for %q", sp.ValidUntil, sp.Event, want, ev.ID)
	}
}
