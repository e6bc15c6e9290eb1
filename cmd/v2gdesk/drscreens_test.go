package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/inproc"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

var shotsDir = flag.String("shots", "", "write the DR screens as ANSI text to this `DIR` (docs/operations.md screenshots)")

// drDesk is the dashboard on the demo day with the dispatch controller,
// wired the way a desk wires it, driven by keys; simulated time moves only
// when the test steps it.
type drDesk struct {
	t *testing.T
	drStack
	m tea.Model
}

// drStack is the demo day's simulator and fleet, a guard that sends to the
// simulator, and the dispatch controller, wired the way a desk wires them;
// simulated time moves only when the test steps it.
type drStack struct {
	sim   *sim.Sim
	fleet *feeds.Fleet
	guard *adapters.Guard
	ctl   *control.Controller
	// journal is the audit journal's path.
	journal string
}

// newDRStack starts the demo day 20 minutes before at: the caller steps
// the last 20 minutes once its dashboards are up.
func newDRStack(t *testing.T, at time.Duration) drStack {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(at - 20*time.Minute), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now, Wall: s.Now})
	fleet.HandleLink(feeds.LinkEvent{Up: true, At: s.Now()})
	fleet.HandleFrame(s.Hello())
	for _, b := range s.StateFrames() {
		fleet.HandleFrame(b)
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	g := adapters.NewGuard(j, adapters.GuardOptions{Now: s.Now, Logger: quiet})
	t.Cleanup(g.Close)
	if err := g.AddAdapter(sim.DefaultAdapter, inproc.New(s), 0, 0); err != nil {
		t.Fatal(err)
	}
	g.UpdateTopology(chargerInfos(fleet.Snapshot()))
	ctl, err := control.New(control.Options{Fleet: fleet, Sender: g, Journal: j, Logger: quiet,
		Forecast: func(*feeds.Snapshot) plan.Forecaster { return scenarioForecaster(sc) },
		Plan:     plan.Options{Tariff: scenarioTariff(sc)}})
	if err != nil {
		t.Fatal(err)
	}
	return drStack{sim: s, fleet: fleet, guard: g, ctl: ctl, journal: path}
}

// stepMinutes moves simulated time on minute by minute, as the desk's
// ticker would, stepping the controller after each minute.
func (st drStack) stepMinutes(dur time.Duration) {
	for range int(dur / time.Minute) {
		for _, b := range st.sim.Step(time.Minute) {
			st.fleet.HandleFrame(b)
		}
		st.ctl.Step(context.Background())
	}
}

func newDRDesk(t *testing.T, at time.Duration, role string) *drDesk {
	t.Helper()
	st := newDRStack(t, at)
	s, g, ctl := st.sim, st.guard, st.ctl
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	d := &drDesk{t: t, drStack: st}
	d.m = tui.New(tui.Options{Mode: feeds.ModeSimulation, Operator: "ana", Role: role, Renderer: r, Dispatch: ctl,
		Setpoints: g, Now: func() time.Time { return s.Now() }})
	d.do(tea.WindowSizeMsg{Width: 160, Height: 45})
	d.step(20 * time.Minute)
	return d
}

// step moves simulated time on minute by minute, as the desk's ticker would.
func (d *drDesk) step(dur time.Duration) {
	d.stepMinutes(dur)
	d.do(tui.SnapshotMsg{Snapshot: d.fleet.Snapshot()})
}

// do hands msg to the model and runs the commands it returns (drive).
func (d *drDesk) do(msg tea.Msg) { drive(d.m, msg) }

// drive hands msg to m and runs the commands it returns, as the program
// would, but at once: none of those used here blocks, and the dispatch
// calls return when done.
func drive(m tea.Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	runModelCmd(m, cmd, 0)
}

// runModelCmd runs cmd and hands what it returns to m, following the commands
// that answers, to a depth of 8.
func runModelCmd(m tea.Model, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 8 {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			runModelCmd(m, c, depth+1)
		}
	default:
		_, next := m.Update(msg)
		runModelCmd(m, next, depth+1)
	}
}

func (d *drDesk) keys(ks ...tea.KeyMsg) {
	for _, k := range ks {
		d.do(k)
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var enter = tea.KeyMsg{Type: tea.KeyEnter}

// shot checks the screen shows every one of want and, with -shots, writes
// it to name.ansi.
func (d *drDesk) shot(name string, want ...string) {
	d.t.Helper()
	view := d.m.View()
	plain := stripANSI(view)
	for _, w := range want {
		if !strings.Contains(plain, w) {
			d.t.Errorf("%s: screen lacks %q:\n%s", name, w, plain)
		}
	}
	if *shotsDir != "" {
		if err := os.WriteFile(filepath.Join(*shotsDir, name+".ansi"), []byte(view+"\n"), 0o644); err != nil {
			d.t.Fatal(err)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i++; i < len(s) && (s[i] < 0x40 || s[i] > 0x7e || s[i] == '['); i++ {
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestDRScreensEvening: a grid operator's cap on F10 through the evening
// peak of the demo day, from the form to the progress of the dispatch.
func TestDRScreensEvening(t *testing.T) {
	d := newDRDesk(t, 18*time.Hour+30*time.Minute, tui.RoleDispatcher)
	// The form from the feeder's triage row: F10, cap 1,400 kW until 21:00.
	// F10's load without the EVs is over 95% of its limit through the
	// evening: triage suggests the most the plugged-in EVs can shed, says
	// so, and its plan meets it.
	sug, err := d.ctl.Suggest(context.Background(), "F10")
	if err != nil {
		t.Fatal(err)
	}
	if !sug.Limited || sug.Preview.CapShortfallKWh > 0.05 || sug.AvoidableShort != 0 {
		t.Errorf("F10 suggestion %s: limited %t, cap shortfall %.2f kWh, %d avoidably short; want limited, met, none",
			sug, sug.Limited, sug.Preview.CapShortfallKWh, sug.AvoidableShort)
	}
	d.keys(runes("t"))
	d.shot("dr-triage", "Triage", "F10", fmt.Sprintf("suggested: cap F10 at %.0f%%", sug.Pct), "△ the most the plugged-in EVs can shed")
	d.keys(runes("5"), runes("n"))
	for range 10 { // scope: system → F10
		d.keys(tea.KeyMsg{Type: tea.KeyRight})
	}
	d.keys(tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyTab})
	for range 6 {
		d.keys(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	d.keys(runes("1500"), tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyTab})
	for range 5 {
		d.keys(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	d.keys(runes("21:00"))
	d.shot("dr-form", "new DR event", "F10", "1500", "21:00")
	d.keys(enter)
	d.shot("dr-preview", "Dispatch preview · OP-1 · import cap F10 ≤ 1,500 kW 18:30–21:00", "EVs affected", "certified gap", "enter confirm and send")
	d.keys(enter)
	v, _ := d.ctl.Event("OP-1")
	if v.State != control.StateActive {
		t.Fatalf("OP-1 after enter: %s (%s)", v.State, v.Err)
	}
	d.step(40 * time.Minute)
	d.shot("dr-progress", "Dispatch · OP-1", "answered", "F10 measured", "cap 1,500 kW", "c cancel the event")
	if v, _ := d.ctl.Event("OP-1"); v.Alarm != nil {
		t.Errorf("cap-miss alarm on the demo day: %+v", *v.Alarm)
	}
	// The overview counts what the guard did with OP-1's setpoints.
	gs := d.guard.Stats()
	total := 0
	for _, n := range gs.Results {
		total += n
	}
	applied := gs.Results[adapters.StatusAccepted] + gs.Results[adapters.StatusClamped]
	if total == 0 {
		t.Fatal("the guard counted no setpoint for OP-1")
	}
	d.keys(runes("1"))
	d.shot("dr-overview", fmt.Sprintf("Setpoints  %d issued · %d applied", total, applied),
		fmt.Sprintf("%d refused", gs.Results[adapters.StatusRejected]), fmt.Sprintf("%d timed out", gs.Results[adapters.StatusTimeout]))
}

// TestDRScreensNight: at 23:15 the valley tariff has every EV charging and
// F10 is over its limit; the on-call engineer takes triage's suggestion.
func TestDRScreensNight(t *testing.T) {
	d := newDRDesk(t, 23*time.Hour+15*time.Minute, tui.RoleDispatcher)
	d.keys(runes("t"))
	d.shot("night-triage", "Triage", "F10", "suggested: cap F10 at 95%", "[p] propose")
	d.keys(runes("p"))
	d.shot("night-preview", "Dispatch preview · T-F10-2315", "enter confirm and send")
	// At night the EVs can hold 95%: the previewed plan meets the cap.
	if v, _ := d.ctl.Event("T-F10-2315"); v.Preview == nil {
		t.Error("T-F10-2315 has no preview")
	} else if v.Preview.CapShortfallKWh > 0.05 || v.Event.KW != 1435 {
		t.Errorf("T-F10-2315: cap %.0f kW missed by %.2f kWh in its plan; want 95%% of 1,510 kW, met", v.Event.KW, v.Preview.CapShortfallKWh)
	}
	// Against charging that stops at each EV's target, the plan moves less
	// than 1 MW: one enter sends it.
	d.keys(enter)
	if v, _ := d.ctl.Event("T-F10-2315"); v.State != control.StateActive {
		t.Fatalf("T-F10-2315 after enter: %s (%s), want active", v.State, v.Err)
	}
	d.step(30 * time.Minute)
	d.shot("night-progress", "Dispatch · T-F10-2315", "answered", "F10 measured")
}

// TestDRScreensViewer: a viewer sees the preview and cannot send it.
func TestDRScreensViewer(t *testing.T) {
	d := newDRDesk(t, 18*time.Hour+30*time.Minute, tui.RoleViewer)
	if _, err := d.ctl.Propose(feeds.EventFrame{ID: "DR-17", Kind: feeds.EventImportCap, Scope: "F10",
		Start: d.sim.Now(), End: d.sim.Now().Add(2 * time.Hour), KW: 1400}, control.OriginFeed, control.Actor{Name: "feed", Dispatcher: true}); err != nil {
		t.Fatal(err)
	}
	d.step(time.Minute)
	d.keys(runes("5"), enter)
	d.keys(enter)
	d.shot("dr-viewer", "Dispatch preview · DR-17", "viewers cannot confirm a dispatch", "viewers cannot do that")
	if v, _ := d.ctl.Event("DR-17"); v.State != control.StatePending {
		t.Fatalf("DR-17 after a viewer's enter: %s", v.State)
	}
}
