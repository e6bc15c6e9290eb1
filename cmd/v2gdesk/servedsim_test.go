package main

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
