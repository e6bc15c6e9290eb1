package main

import (
	"context"
	"io"
	"log/slog"
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

// TestSimDeskChargerHasTheAck: on a simulated desk (the demo day, as
// `v2gdesk` and `serve --scenario demo` run it) a setpoint the guard sends
// to the in-process simulator leaves its ack on the charger, as one sent
// over a feed does: the charger's page says "last ack ✓ accepted …" with
// its time. Before, the page showed the setpoint in force and "last ack —"
// while the guard's counters said it was applied.
func TestSimDeskChargerHasTheAck(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	o := ingestOptions{scenario: "demo", start: "18:00", speed: 1}
	in, err := openIngest(o, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{journal: t.TempDir() + "/audit.jsonl"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	// The first snapshot with a plugged charger: the simulator reports
	// its chargers after its feeders.
	plugged := func(s *feeds.Snapshot) (feeds.ChargerStatus, bool) {
		for i := range s.NumChargers() {
			if c := s.ChargerAt(i); c.Seen && c.Last.Plugged && c.MaxChargeKW >= 3 {
				return c, true
			}
		}
		return feeds.ChargerStatus{}, false
	}
	snaps, unsubscribe := desk.hub.Subscribe()
	var s *feeds.Snapshot
	var charger feeds.ChargerStatus
	for s = range snaps {
		var ok bool
		if charger, ok = plugged(s); ok && ready(s) {
			break
		}
	}
	unsubscribe()
	if charger.ID == "" {
		t.Fatal("the hub stopped before a plugged charger was reported")
	}
	g, ok := desk.setpoints.(*adapters.Guard)
	if !ok {
		t.Fatalf("the simulated desk's setpoints go through %T, want *adapters.Guard", desk.setpoints)
	}
	sp := adapters.Setpoint{ID: "T-1/" + charger.ID, Charger: charger.ID, KW: 3, ValidFrom: s.At, ValidUntil: s.At.Add(15 * time.Minute),
		Operator: "ana", Reason: "test"}
	res := g.ApplyBatch(context.Background(), []adapters.Setpoint{sp})
	if len(res) != 1 || !res[0].Status.Applied() {
		t.Fatalf("result %+v, want applied", res)
	}
	c, _ := desk.fleet.Snapshot().Charger(charger.ID)
	if c.LastAck == nil || c.LastAck.ID != sp.ID || string(c.LastAck.Status) != string(res[0].Status) ||
		c.LastAck.AppliedKW != res[0].AppliedKW || c.LastAck.TS.IsZero() {
		t.Errorf("%s's last ack %+v, want the guard's result %+v with its time", charger.ID, c.LastAck, res[0])
	}

	// The charger's page, in both languages: the setpoint's validity and
	// the ack with its time.
	at := func(tm time.Time) string { return tm.In(s.Location).Format("15:04") }
	for lang, want := range map[string][]string{
		"en":    {"setpoint          3.0 kW · in force until " + at(sp.ValidUntil), "last ack          ✓ accepted 3.0 kW " + at(res[0].At)},
		"zh-CN": {"3.0 kW · 生效至 " + at(sp.ValidUntil), "✓ 已接受 3.0 kW " + at(res[0].At)},
	} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.Ascii)
		m := tui.New(tui.Options{Mode: feeds.ModeSimulation, Lang: lang, Renderer: r, Setpoints: desk.setpoints})
		drive(m, tea.WindowSizeMsg{Width: 160, Height: 45})
		drive(m, tui.SnapshotMsg{Snapshot: desk.fleet.Snapshot()})
		for _, k := range []tea.KeyMsg{runes("3"), runes("/"), runes(charger.ID), enter, enter} {
			drive(m, k)
		}
		page := ansi.Strip(m.View())
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: %s's page lacks %q:\n%s", lang, charger.ID, w, page)
			}
		}
		if strings.Contains(page, "—") && strings.Contains(page, "last ack          —") {
			t.Errorf("%s: the page says no ack:\n%s", lang, page)
		}
	}
}
