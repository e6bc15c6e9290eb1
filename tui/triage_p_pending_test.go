package tui

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriagePWhileTheSuggestionIsPlanned: p pressed on triage before the
// cursor feeder's suggestion had been planned said "✕ no suggestion yet",
// and that stayed beside the suggestion with its "[p] propose" a second
// later. It says the suggestion is being planned until it shows, then
// leaves the footer to it; a suggestion that could not be made says that
// there is none and where the reason is.
func TestTriagePWhileTheSuggestionIsPlanned(t *testing.T) {
	fx := demo(t)
	ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := testOptions(fx, "")
	opts.Role, opts.Dispatch = RoleDispatcher, ctl
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	press(m, "t")
	if m.suggesting != "F07" {
		t.Fatalf("triage plans a suggestion for %q, want F07", m.suggesting)
	}
	press(m, "p")
	foot := ansi.Strip(lastLine(m.View()))
	if !strings.Contains(foot, "planning a suggestion for F07") || strings.Contains(foot, "no suggestion yet") {
		t.Errorf("p before the suggestion: footer %q, want it being planned", foot)
	}
	sug := &control.Suggestion{Pct: 95, Chargers: 5, ReduceKW: 77,
		Event: feeds.EventFrame{ID: "T-F07", Kind: feeds.EventImportCap, Scope: "F07",
			Start: fx.snap.At, End: fx.snap.At.Add(time.Hour), KW: 3000}}
	m.Update(suggestMsg{feeder: "F07", at: fx.snap.At, s: sug})
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "[p] propose") {
		t.Fatalf("the suggestion is not shown:\n%s", v)
	}
	if foot := ansi.Strip(lastLine(v)); strings.Contains(foot, "planning a suggestion") {
		t.Errorf("the suggestion shows, the footer still says %q", foot)
	}

	// A suggestion that could not be made: p says there is none, not "yet".
	m.suggest["F07"] = suggestion{at: fx.snap.At, err: errors.New("no plan")}
	press(m, "p")
	if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, "no suggestion for F07: triage says why") {
		t.Errorf("p with no suggestion possible: footer %q", foot)
	}
}
