package control_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// acceptAll answers every setpoint at once.
type acceptAll struct{}

func (acceptAll) ApplyBatch(_ context.Context, sps []adapters.Setpoint) []adapters.Result {
	out := make([]adapters.Result, len(sps))
	for i, sp := range sps {
		out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusAccepted, AppliedKW: sp.KW}
	}
	return out
}

// demoFleet is the demo day at 18:30 in a Fleet (about 3,000 chargers, 12
// feeders), and a controller on it.
func demoFleet(b *testing.B) (*feeds.Fleet, *control.Controller) {
	b.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	fl.HandleFrame(s.Hello())
	for _, m := range s.StateFrames() {
		fl.HandleFrame(m)
	}
	ctl, err := control.New(control.Options{Fleet: fl, Sender: acceptAll{}, Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	return fl, ctl
}

func capF10(fl *feeds.Fleet, id string) feeds.EventFrame {
	now := fl.Snapshot().At
	return feeds.EventFrame{ID: id, Kind: feeds.EventImportCap, Scope: "F10", Start: now, End: now.Add(150 * time.Minute), KW: 1500}
}

// BenchmarkPreviewFeederCap plans a cap on one feeder of the demo day:
// build, solve (the feeder's EVs over a 12 h horizon) and preview.
func BenchmarkPreviewFeederCap(b *testing.B) {
	fl, ctl := demoFleet(b)
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := ctl.Propose(capF10(fl, "DR-B"), control.OriginOperator, ana)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ctl.Preview(context.Background(), id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplanFeederCap is the re-plan of a running cap on one feeder
// of the demo day, as Step makes it at every slot: build, solve, preview
// and send.
func BenchmarkReplanFeederCap(b *testing.B) {
	ctl, id := runningCapF10(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := ctl.ReplanNow(context.Background(), id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStepTracking is one Step of an active event between plans: the
// measured load against the cap, the alarm check, the feed's events.
func BenchmarkStepTracking(b *testing.B) {
	ctl, id := runningCapF10(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctl.Step(context.Background())
	}
	if v, _ := ctl.Event(id); v.Plans != 1 {
		b.Fatalf("%d plans: the fleet did not move, nothing should have been re-planned", v.Plans)
	}
}

// runningCapF10 is the demo day's controller with a cap on F10 (DR-B)
// confirmed by ana and running: its first plan sent.
func runningCapF10(b *testing.B) (*control.Controller, string) {
	b.Helper()
	fl, ctl := demoFleet(b)
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := ctl.Propose(capF10(fl, "DR-B"), control.OriginOperator, ana)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ctl.Preview(context.Background(), id); err != nil {
		b.Fatal(err)
	}
	if err := ctl.Confirm(context.Background(), id, ana, control.ConfirmOptions{Second: true}); err != nil {
		b.Fatal(err)
	}
	return ctl, id
}
