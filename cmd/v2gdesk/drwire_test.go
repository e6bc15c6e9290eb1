package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

func TestSSHClaims(t *testing.T) {
	reg := sshd.NewClaims(nil)
	c := sshClaims(func() *sshd.Claims { return reg })
	ana := control.Actor{Name: "ana", Dispatcher: true, Session: 1}
	bo := control.Actor{Name: "bo", Dispatcher: true, Session: 2}
	release, err := c.Claim(ana, "DR-17 cap F07", "event:DR-17", "scope:F07")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Claim(bo, "T-F07 cap F07", "event:T-F07", "scope:F07")
	if !errors.Is(err, sshd.ErrClaimed) || !strings.Contains(err.Error(), "ana") {
		t.Fatalf("second claim on F07: %v, want ErrClaimed naming ana", err)
	}
	if n := reg.ReleaseSession(2); n != 0 {
		t.Errorf("bo's session held %d claims, want 0", n)
	}
	release()
	if _, err := c.Claim(bo, "T-F07 cap F07", "event:T-F07", "scope:F07"); err != nil {
		t.Fatalf("after ana's release: %v", err)
	}
}

func TestNewDispatchWithoutGuardPreviewsOnly(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18 * time.Hour), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	fl.HandleFrame(s.Hello())
	for _, b := range s.StateFrames() {
		fl.HandleFrame(b)
	}
	ctl, err := newDispatch(fl, nil, nil, nil, sc, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := ctl.Propose(feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F08", Start: s.Now(), End: s.Now().Add(time.Hour), KW: 950}, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := ctl.Preview(context.Background(), id)
	if err != nil || len(pv.Setpoints) == 0 {
		t.Fatalf("preview without a guard: %v, %d setpoints", err, len(pv.Setpoints))
	}
	if err := ctl.Confirm(context.Background(), id, ana, control.ConfirmOptions{Second: true}); !errors.Is(err, control.ErrNoSender) {
		t.Fatalf("confirm without a guard: %v, want ErrNoSender", err)
	}
}
