package tui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// The flows run the Model in a real tea.Program (teatest) fed through
// Options.Snapshots, as the desk runs it, and drive it with keys.

// flowWait is generous: a loaded 2-core machine may be slow to render, and
// a flow that fails waits this long before it says why.
const flowWait = 30 * time.Second

type flow struct {
	t   *testing.T
	tm  *teatest.TestModel
	fx  *fixture
	ctl *fakeControl
	eng *alarm.Engine
	ch  chan *feeds.Snapshot
}

func startFlow(t *testing.T, fx *fixture) *flow {
	t.Helper()
	opts, ctl := testOptions(fx, "")
	ch := make(chan *feeds.Snapshot, 4)
	ch <- fx.snap
	opts.Snapshots = ch
	m := New(opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 45))
	f := &flow{t: t, tm: tm, fx: fx, ctl: ctl, eng: opts.Alarms, ch: ch}
	f.wait("Feeders by loading")
	return f
}

// wait reads the program's output until it contains every one of ss.
// Output read is consumed, so what one frame shows is waited for at once.
func (f *flow) wait(ss ...string) {
	f.t.Helper()
	teatest.WaitFor(f.t, f.tm.Output(), func(b []byte) bool {
		for _, s := range ss {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(flowWait))
}

func (f *flow) keys(script string) {
	for _, k := range keys(script) {
		f.tm.Send(k)
	}
}

func (f *flow) typ(s string) { f.tm.Type(s) }

// quit presses q and returns the final model.
func (f *flow) quit() *Model {
	f.keys("q")
	return f.tm.FinalModel(f.t, teatest.WithFinalTimeout(flowWait)).(*Model)
}

func TestFlowDrillDownAndBack(t *testing.T) {
	f := startFlow(t, demo(t))
	f.keys("2")
	f.wait("Feeders · 1–12 of 12")
	f.keys("jjjjjjE") // F07, the seventh feeder
	f.wait("Feeder F07 · East Park", "Feeders › F07")
	f.keys("E") // the first row: the biggest load, CP-0051 at 22 kW
	f.wait("Charger CP-0051")
	f.keys("X")
	f.wait("Chargers on F07")
	f.keys("X")
	f.wait("Feeders · 1–12 of 12")
	m := f.quit()
	if len(m.stack) != 1 || m.page().view != viewFeeders || m.page().kind != pageList {
		t.Fatalf("after esc esc: stack %d deep, top %+v", len(m.stack), m.page())
	}
	if m.page().cursor != 6 {
		t.Fatalf("cursor %d after returning, want 6 (F07 kept)", m.page().cursor)
	}
}

func TestFlowFilter(t *testing.T) {
	f := startFlow(t, demo(t))
	f.keys("3")
	f.wait("1–39 of 96")
	f.keys("/")
	f.typ("state:fault")
	f.wait("1–1 of 1", "Chargers › /state:fault", "enter keep · esc clear")
	f.keys("E")
	f.wait("? help")
	m := f.quit()
	p := m.page()
	if p.filter != "state:fault" || m.rowCount(p) != 1 {
		t.Fatalf("filter %q rows %d, want state:fault and 1", p.filter, m.rowCount(p))
	}
	idx, _ := m.chargerIndex(p, "")
	if id := m.snap.ChargerAt(idx[0]).ID; id != "CP-0005" {
		t.Fatalf("filtered row is %s, want CP-0005", id)
	}
}

func TestFlowFreeze(t *testing.T) {
	fx := newFixture(t, 12, 8, false)
	f := startFlow(t, fx)
	before := fx.snap
	f.keys("f")
	f.wait("FROZEN")
	// F07 drops to 2,000 kW underneath the frozen display.
	fx.clock = fixedNow.Add(30 * time.Second)
	fx.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: "F07", TS: fx.clock, KW: 2000})
	after := fx.fleet.Snapshot()
	f.ch <- after
	// A key forces a render once the snapshot has arrived; the display must
	// still show the frozen snapshot.
	f.keys("?")
	f.wait("Keys · ? or esc to close")
	f.keys("?")
	f.wait("Feeders by loading")
	f.keys("f")
	f.wait("display live", "2,000")
	m := f.quit()
	if m.frozen || m.snap != after || m.latest != after {
		t.Fatalf("after unfreeze: frozen %v, shown seq %d, latest seq %d, want %d", m.frozen, m.snap.Seq, m.latest.Seq, after.Seq)
	}
	if before.Seq == after.Seq {
		t.Fatal("fixture did not make a new snapshot")
	}
}

func TestFlowAcknowledgeAndShelve(t *testing.T) {
	f := startFlow(t, demo(t))
	f.keys("4")
	f.wait("F07 loading 118%")
	f.keys("a")
	f.wait("acknowledged ▲ HIGH F07 loading 118%")
	f.keys("jx") // the cursor stayed on F07, now below the unacknowledged; j moves past it
	f.wait("reason:")
	f.typ("feeder works")
	f.keys("E")
	// A simulated day: the expiry, on the wall clock, says so.
	f.wait("shelved", "ana · feeder works · until 11-27 02:42 wall clock")
	m := f.quit()
	b := f.eng.Board()
	a, ok := b.Find("loading/F07")
	if !ok || a.State != alarm.StateAcked || a.AckedBy != "ana" {
		t.Fatalf("F07 after ack: %+v", a)
	}
	if b.Counts.Shelved != 1 {
		t.Fatalf("%d shelved, want 1", b.Counts.Shelved)
	}
	for _, a := range b.Alarms {
		if a.State == alarm.StateShelved && (a.ShelveReason != "feeder works" || a.ShelvedBy != "ana" ||
			!a.ShelvedUntil.Equal(wallNow().Add(8*time.Hour))) {
			t.Fatalf("shelved alarm: %+v", a)
		}
	}
	if m.input != inputNone {
		t.Fatal("prompt still open")
	}
}

func TestFlowCommandPalette(t *testing.T) {
	f := startFlow(t, demo(t))
	f.keys(":")
	f.typ("feeder f07")
	f.keys("E")
	f.wait("Feeder F07 · East Park")
	f.keys(":")
	f.typ("speed 120")
	f.keys("E")
	f.wait("speed 120×")
	f.keys(":")
	f.typ("seek 18:30")
	f.keys("E")
	f.wait("seek 18:30:00")
	f.keys(":")
	f.typ("speed 9000")
	f.keys("E")
	f.wait(`bad speed "9000": want 0.5× to 3600×`)
	f.keys(":")
	f.typ("bogus")
	f.keys("E")
	f.wait(`unknown command "bogus"`)
	f.keys(" ")
	f.wait("PAUSED")
	m := f.quit()
	if p := m.page(); p.kind != pageFeeder || p.id != "F07" {
		t.Fatalf("page %+v, want feeder F07", p)
	}
	if f.ctl.Speed() != 120 || !f.ctl.Paused() {
		t.Fatalf("control: speed %v paused %v", f.ctl.Speed(), f.ctl.Paused())
	}
	want := time.Date(2026, 11, 26, 18, 30, 0, 0, shanghai)
	if len(f.ctl.sought) != 1 || !f.ctl.sought[0].Equal(want) {
		t.Fatalf("seeks %v, want [%v]", f.ctl.sought, want)
	}
}

func TestFlowQuitEverywhere(t *testing.T) {
	for _, script := range []string{"", "2jE", "3E", "4", "5", "?", "t", "tE"} {
		f := startFlow(t, demo(t))
		f.keys(script)
		f.quit() // FinalModel fails the test if the program does not end
	}
	// ctrl+c quits from inside a prompt, where q is a letter.
	f := startFlow(t, demo(t))
	f.keys(":q")
	f.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if m := f.tm.FinalModel(t, teatest.WithFinalTimeout(flowWait)).(*Model); string(m.text) != "q" {
		t.Fatalf("prompt text %q", string(m.text))
	}
}
