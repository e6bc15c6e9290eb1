package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	simclock "github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// servedDemo is `v2gdesk sim` of the demo day from noon at 60x, served
// over websocket for the test's life, its clock the test's: the feed the
// --feed desk tests subscribe to.
type servedDemo struct {
	sc  *scenario.Scenario
	sim *sim.Sim
	srv *sim.Server
	clk *simclock.Fake
	// url is the feed's websocket URL; ctx lives as long as the server,
	// for the test's subscribers.
	url string
	ctx context.Context
}

// serveDemoSim starts a servedDemo; the test's cleanup stops it.
func serveDemoSim(t *testing.T, quiet *slog.Logger) servedDemo {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	clk := simclock.NewFake(time.Unix(0, 0))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(12 * time.Hour), Speed: 60, Clock: clk, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-served })
	return servedDemo{sc: sc, sim: s, srv: srv, clk: clk, url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1", ctx: ctx}
}

// holdPlugged puts an hour-long 1 kW setpoint on each of the first n
// plugged-in chargers of the served day, as a desk's dispatch would: the
// setpoints in force that a seek back then drops.
func (d servedDemo) holdPlugged(t *testing.T, n int) {
	t.Helper()
	now, sent := d.sim.Now(), 0
	for _, c := range d.sc.Chargers() {
		if ev, ok := d.sim.EV(c); !ok || !ev.Plugged {
			continue
		}
		sp := feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: fmt.Sprintf("sp-%d", sent), Charger: c, KW: 1, ValidUntil: now.Add(time.Hour)}
		if ack := d.sim.ApplySetpoint(sp); ack.Status == feeds.AckRejected {
			t.Fatalf("setpoint on %s: %s", c, ack.Reason)
		}
		if sent++; sent == n {
			return
		}
	}
	t.Fatalf("%d setpoints held, want %d: too few plugged-in chargers", sent, n)
}
