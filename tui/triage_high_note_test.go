package tui

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// A suggestion above the ▲ HIGH alarm's clearing point says the alarm
// stays on only for a feeder whose loading is ▲ HIGH: in a soak triage read
// "▲ HIGH stays on: it clears at 97% of the limit" under a cap at 99% for
// F10 at 92%, a △ WARN row with no ▲ HIGH to stay on (a cap at 99% held
// keeps it from coming on at all).
func TestTriageHighNoteOnlyForAHighFeeder(t *testing.T) {
	fx := demo(t)
	ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := testOptions(fx, "")
	opts.Role, opts.Dispatch = RoleDispatcher, ctl
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	press(m, "t")
	rows := m.triageRows(m.page())
	var high, warn string
	warnAt := -1
	for i, r := range rows {
		id := m.snap.Feeders[r.feeder].ID
		switch {
		case r.sev == alarm.SevHigh && high == "":
			high = id
		case r.sev == alarm.SevWarn && warn == "":
			warn, warnAt = id, i
		}
	}
	if high == "" || warn == "" {
		t.Fatalf("the fixture's triage wants a ▲ HIGH and a △ WARN row: high %q, warn %q", high, warn)
	}
	note := func(feeder string) string {
		f, _ := fx.snap.Feeder(feeder)
		sug := &control.Suggestion{Pct: 99, Limited: true, Chargers: 5, ReduceKW: 77,
			Event: feeds.EventFrame{ID: "T-" + feeder, Kind: feeds.EventImportCap, Scope: feeder,
				Start: fx.snap.At, End: fx.snap.At.Add(time.Hour), KW: f.LimitKW * 0.99}}
		m.Update(suggestMsg{feeder: feeder, at: fx.snap.At, s: sug})
		return m.View()
	}
	if v := note(high); !strings.Contains(v, "▲ HIGH stays on: it clears at 97% of the limit") {
		t.Errorf("%s is ▲ HIGH and a cap at 99%% does not say the alarm stays on:\n%s", high, v)
	}
	for range warnAt {
		press(m, "j")
	}
	if v := note(warn); strings.Contains(v, "stays on") || !strings.Contains(v, "(95% is out of reach)") {
		t.Errorf("%s is △ WARN and a cap at 99%% says a ▲ HIGH stays on (or lost its note):\n%s", warn, v)
	}
}
