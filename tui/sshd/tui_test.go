package sshd

import (
	"context"
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestRealDashboard serves the real tui dashboard on a shared fleet, hub and
// alarm list: each operator sees their own name and role in the header, a
// viewer cannot acknowledge, and a dispatcher's acknowledgement shows on the
// viewer's alarm list.
func TestRealDashboard(t *testing.T) {
	before := runtime.NumGoroutine()
	site := synthSite{feeders: 6, chargers: 60}
	now := time.Now()
	fleet := feeds.NewFleet(feeds.FleetOptions{})
	fleet.HandleFrame(site.hello(now))
	// step 0: F02 and F03 are over their 4,000 kW limit.
	fleet.HandleFrame(site.update(now, 0, 0, site.chargers))
	hub := feeds.NewHub(fleet, 50*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	hubDone := make(chan struct{})
	go func() { _ = hub.Run(ctx); close(hubDone) }()
	stopHub := func() { cancel(); <-hubDone }
	t.Cleanup(stopHub)
	alarms := alarm.NewEngine(alarm.Options{DelayOn: -1})

	factory := func(s *Session) tea.Model {
		snaps, unsubscribe := hub.Subscribe()
		s.OnClose(unsubscribe)
		return tui.New(tui.Options{
			Snapshots: snaps, Mode: feeds.ModeLive, Alarms: alarms,
			Operator: s.Operator.Name, Role: string(s.Operator.Role), Renderer: s.Renderer,
			// The refusals this test drives, mapped as cmd/v2gdesk's
			// permissions table maps them (cmd cannot be imported here).
			Refused: func(action string) error {
				switch action {
				case tui.RefusedAlarm:
					return s.Authorize(ActionAckAlarm)
				case tui.RefusedClock:
					return s.Authorize(ActionControlClock)
				}
				return s.Authorize(ActionDispatch)
			},
		})
	}
	vera := newUser(t, "vera", RoleViewer)
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{vera, dana}, func(c *Config) { c.Factory = factory })

	vd := openDesk(t, ts.addr, vera, false)
	vd.out.waitFor(t, "vera (viewer)")
	vd.out.waitFor(t, "Synth Town")
	vd.key(t, "4")
	vd.out.waitFor(t, "Alarms · 2 unacknowledged · 0 acknowledged")
	// The dashboard offers a viewer no ack key: 'a' changes nothing,
	// says which role it needs, and the refusal is journalled.
	vd.key(t, "a")
	vd.out.waitFor(t, "vera (viewer) may not acknowledge or shelve alarms: that needs the dispatcher role")
	if !ts.audit.has(AuditForbidden + " vera") {
		t.Errorf("the refusal is not in the journal: %v", ts.audit.records)
	}
	vd.key(t, "\x1b[D") // to the chargers
	vd.out.waitFor(t, "CP-000")
	mark := vd.out.mark()
	vd.key(t, "4")
	vd.out.waitForSince(t, mark, "Alarms · 2 unacknowledged · 0 acknowledged")

	dd := openDesk(t, ts.addr, dana, false)
	dd.out.waitFor(t, "dana (dispatcher)")
	vd.out.waitFor(t, "dana (dispatcher) joined")
	dd.key(t, "4")
	dd.out.waitFor(t, "Alarms · 2 unacknowledged · 0 acknowledged")
	dd.key(t, "a")
	dd.out.waitFor(t, "acknowledged ▲ HIGH")
	vd.out.waitFor(t, "Alarms · 1 unacknowledged · 1 acknowledged")

	if got := hub.Consumers(); got != 2 {
		t.Errorf("hub has %d consumers with two sessions, want 2", got)
	}
	dd.key(t, "q")
	vd.key(t, "q")
	dd.wait(t)
	vd.wait(t)
	ts.stop(t)
	if got := hub.Consumers(); got != 0 {
		t.Errorf("hub has %d consumers after the sessions ended, want 0 (OnClose unsubscribes)", got)
	}
	dd.close()
	vd.close()
	stopHub()
	waitGoroutines(t, before)
}
