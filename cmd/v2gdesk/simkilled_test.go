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
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestDeskToldWhenTheSimCarryingItsSetpointsDies: a --feed desk on a
// `v2gdesk sim` process whose chargers route to a wsjson adapter on the
// feed's own connection (the demo's "sim"). A setpoint goes out and is
// applied; then the sim process is killed. The next setpoint cannot reach
// its charger, and the desk must say so plainly, not leave it to a bare
// "send setpoint frame: feeds: not connected to the feed": the result
// names the lost feed connection and its consequence, and the charger's
// page shows its latest setpoint not applied, with the adapter and why.
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
	m := tui.New(tui.Options{Mode: in.mode, Setpoints: desk.setpoints, Alarms: desk.alarms, Renderer: rd})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(tui.SnapshotMsg{Snapshot: desk.fleet.Snapshot()})
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
