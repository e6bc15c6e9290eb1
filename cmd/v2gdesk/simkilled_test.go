package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestDeskToldWhenTheSimCarryingItsSetpointsDies: a --feed desk on a
// `v2gdesk sim` process whose chargers route to a wsjson adapter on the
// feed's own connection (the demo's "sim"). An event is dispatched and a
// setpoint goes out, applied; then the sim process is killed. The event's
// page says at once that the feed carrying its setpoints is down and what
// that means (it went on counting the setpoints accepted before). The next
// setpoint cannot reach its charger, and the desk must say so plainly, not
// leave it to a bare "send setpoint frame: feeds: not connected to the
// feed": the result names the lost feed connection and its consequence,
// and the charger's page shows its latest setpoint not applied, with the
// adapter and why.
func TestDeskToldWhenTheSimCarryingItsSetpointsDies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	bin := buildBinary(t)
	sim := startSimProcess(t, bin, "--start", "18:30", "--speed", "60")

	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal": "audit.jsonl", "min_interval": "0s", "adapters": [{"name": "sim", "kind": "wsjson"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := openIngest(ingestOptions{feed: sim.url, speed: 60, adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	g, ok := desk.setpoints.(*adapters.Guard)
	if !ok {
		t.Fatalf("the desk's setpoints go through %T, want *adapters.Guard", desk.setpoints)
	}

	// The topology and a plugged charger (a live link: poll, with a
	// generous deadline).
	var snap *feeds.Snapshot
	var charger feeds.ChargerStatus
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		snap = desk.fleet.Snapshot()
		if snap.HaveTopology && snap.Unknown == 0 && snap.NumChargers() > 0 {
			for i := range snap.NumChargers() {
				if c := snap.ChargerAt(i); c.Last.Plugged && c.Last.State == feeds.StateCharging {
					charger = c
					break
				}
			}
			if charger.ID != "" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no charging charger from %s: %+v", sim.url, snap.Stats)
		}
	}
	ctx := context.Background()
	if len(desk.onFeed) != 1 || desk.onFeed[0] != "sim" {
		t.Errorf("adapters on the feed's connection %q, want [sim]", desk.onFeed)
	}
	// An event in force, its setpoints applied by the sim.
	f := snap.Feeders[0]
	ev := feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-K", Kind: feeds.EventImportCap, Scope: f.ID,
		Start: snap.At, End: snap.At.Add(time.Hour), KW: f.KW * 0.9}
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := desk.dispatch.Propose(ev, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.dispatch.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := desk.dispatch.Confirm(ctx, id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	if v, _ := desk.dispatch.Event(id); v.State != control.StateActive || v.Progress.ByStatus[adapters.StatusAccepted] == 0 {
		t.Fatalf("event %s with the sim running: %s, %+v", id, v.State, v.Progress)
	}
	sp := func(id string) adapters.Setpoint {
		return adapters.Setpoint{ID: id, Charger: charger.ID, KW: 0, ValidUntil: desk.fleet.Now().Add(15 * time.Minute), Reason: "test: pause"}
	}
	if r := g.Apply(ctx, sp("before")); !r.Status.Applied() {
		t.Fatalf("setpoint with the sim running: %+v", r)
	}

	if err := sim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); desk.fleet.Snapshot().Stats.Connected; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the desk's feed still up 30 s after the sim was killed")
		}
	}
	r := g.Apply(ctx, sp("after"))
	const why = "not sent: the feed's connection, which carries this adapter's setpoints, is down: no setpoint reaches the charger until the feed is back"
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, why) || r.Adapter != "sim" {
		t.Fatalf("setpoint after the sim died: %+v\nwant failed by adapter sim, %q", r, why)
	}

	// The charger's page, as the dashboard draws it from the desk's guard.
	rd := lipgloss.NewRenderer(io.Discard)
	rd.SetColorProfile(termenv.Ascii)
	m := tui.New(tui.Options{Mode: in.mode, Setpoints: desk.setpoints, Alarms: desk.alarms, Renderer: rd,
		Dispatch: desk.dispatch, Plan: desk.dispatch, Sources: desk.sources, SetpointsOnFeed: desk.onFeed})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(tui.SnapshotMsg{Snapshot: desk.fleet.Snapshot()})

	// The event's page: the feed that carries its setpoints is down.
	keys := func(s string) {
		for _, k := range s {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{k}})
		}
	}
	keys("5/" + id)
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	evPage := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	if want := "✕ the feed is down, and it carries the setpoints of sim: none reaches this event's chargers until it is back"; !strings.Contains(evPage, want) {
		t.Errorf("the event's page lacks %q:\n%s", want, ansi.Strip(m.View()))
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	m.Update(tea.KeyMsg{Type: tea.KeyEsc})

	for _, k := range ":charger " + charger.ID {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{k}})
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	page := ansi.Strip(m.View())
	// The reason wraps under itself: joined, the page's words are whole.
	var text []string
	for _, l := range strings.Split(page, "\n") {
		text = append(text, strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│")))
	}
	joined := strings.Join(strings.Fields(strings.Join(text, " ")), " ")
	for _, want := range []string{"✕ the latest, 0.0 kW, not applied", "not applied failed", "(adapter sim): " + why} {
		if !strings.Contains(joined, want) {
			t.Errorf("%s's page lacks %q:\n%s", charger.ID, want, page)
		}
	}
}
