package tui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A large dispatch's second enter is the next key: any other key between
// the two disarms the first, as for a cancel's c. Kept armed, a dispatcher
// who pressed enter once, went to look at the alarms and came back sent
// the megawatts with a single enter, the prompt long gone.
func TestLargeDispatchSecondEnterIsTheNextKey(t *testing.T) {
	for _, between := range []string{"X5E", "4", "j", "f", "?"} {
		t.Run(between, func(t *testing.T) {
			fx := demo(t)
			snd := &recordingSender{}
			ctl := newDRController(t, fx, func(o *control.Options) { o.Sender, o.SecondConfirmKW = snd, 1 })
			m := newDRModel(fx, ctl, "")
			run := func(script string) { runKeys(m, script) }
			run("5E") // DR-17's page, planned on opening
			run("E")  // first enter: armed
			if v := ansi.Strip(m.View()); !strings.Contains(v, "enter again to confirm") {
				t.Fatalf("the first enter does not ask:\n%s", v)
			}
			run(between)
			if strings.Contains(between, "?") {
				run("?") // close the help again
			}
			if v := ansi.Strip(m.View()); strings.Contains(v, "enter again to confirm") {
				t.Errorf("after %q the page or footer still says enter again confirms:\n%s", between, v)
			}
			if !strings.Contains(between, "E") {
				run("5E") // back on DR-17's page
			}
			run("E")
			if snd.count() != 0 {
				t.Fatalf("enter, %q, enter sent a large dispatch", between)
			}
			if v, _ := ctl.Event("DR-17"); v.State != control.StatePending {
				t.Fatalf("enter, %q, enter: DR-17 is %s, want still pending", between, v.State)
			}
			if v := ansi.Strip(lastLine(m.View())); !strings.Contains(v, "enter again to confirm") {
				t.Errorf("that enter does not ask again: %q", v)
			}
			run("E") // the second enter, next to the first: sent
			if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
				t.Errorf("enter, enter: DR-17 is %s, want active", v.State)
			}
		})
	}
}

// A q that asked about quitting and was then disarmed by another key takes
// its question with it: "q again quits" stayed on the footer for a q that
// only asked again.
func TestDisarmedQuitTakesItsQuestion(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	m := newDRModel(fx, ctl, "")
	runKeys(m, "5EEE") // DR-17 confirmed and in force: q asks
	if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
		t.Fatalf("DR-17 is %s, want active", v.State)
	}
	runKeys(m, "q")
	if v := ansi.Strip(lastLine(m.View())); !strings.Contains(v, "q again quits") {
		t.Fatalf("q does not ask: %q", v)
	}
	runKeys(m, "j")
	if v := ansi.Strip(lastLine(m.View())); strings.Contains(v, "q again quits") {
		t.Errorf("after another key the footer still says q again quits: %q", v)
	}
}

// switchFleet is a fleet whose snapshot the test replaces.
type switchFleet struct {
	mu sync.Mutex
	s  *feeds.Snapshot
}

func (f *switchFleet) Snapshot() *feeds.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s
}

func (f *switchFleet) set(s *feeds.Snapshot) {
	f.mu.Lock()
	f.s = s
	f.mu.Unlock()
}

// TestEnterAfterTheSlotBoundaryPlansAgain: enter on a preview made before
// the quarter hour, pressed after it, sends nothing; the desk plans again
// and says why, and the next enter sends the new plan. (The older plan's
// setpoints went out, and the new slot's plan right after them was
// refused by the adapters' min_interval.)
func TestEnterAfterTheSlotBoundaryPlansAgain(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		fleet := &switchFleet{s: fx.snap}
		snd := &recordingSender{}
		ctl := newDRController(t, fx, func(o *control.Options) { o.Fleet, o.Sender = fleet, snd })
		opts, _ := testOptions(fx, lang)
		opts.Dispatch = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "5E") // DR-17's page, planned on opening
		first, _ := ctl.Event("DR-17")
		later := *fx.snap
		later.At = fx.snap.At.Truncate(15 * time.Minute).Add(16 * time.Minute) // past the next quarter hour
		fleet.set(&later)
		m.Update(SnapshotMsg{Snapshot: &later})
		runKeys(m, "E")
		v, _ := ctl.Event("DR-17")
		if snd.count() != 0 || v.State != control.StatePending {
			t.Fatalf("%q: enter after the quarter hour sent %d setpoints (DR-17 %s)", lang, snd.count(), v.State)
		}
		if v.Preview == first.Preview || !v.Preview.Start.Equal(later.At.Truncate(time.Minute)) {
			t.Errorf("%q: not planned again for the new slot (preview from %v)", lang, v.Preview.Start)
		}
		want := "not sent: a new slot began since that preview"
		if lang == "zh-CN" {
			want = "未下发: 该预览之后已进入新时段"
		}
		if foot := ansi.Strip(lastLine(m.View())); !strings.Contains(foot, want) {
			t.Errorf("%q: the footer reads %q, want %q", lang, foot, want)
		}
		runKeys(m, "E")
		if v, _ := ctl.Event("DR-17"); v.State != control.StateActive || snd.count() == 0 {
			t.Errorf("%q: enter on the new preview: DR-17 %s, %d sent", lang, v.State, snd.count())
		}
	}
}
