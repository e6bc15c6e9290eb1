package ocpp

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestAwaitDispatcher: a new connection waits while ocpp-go's dispatcher has
// not let the identity's last connection go, is admitted once it has, and is
// refused with a log line and a count (never left waiting) when the central
// system closes or the newcomer goes away first: Close must not wait on it,
// as ocpp-go's shutdown waits for the handler it runs in.
func TestAwaitDispatcher(t *testing.T) {
	newCS := func() (*CentralSystem, *bytes.Buffer) {
		var log bytes.Buffer
		c := New(Settings{}, []Charger{{ID: "C1", Identity: "CP", Connector: 1, Bounds: adapters.Bounds{MaxChargeKW: 22}}},
			slog.New(slog.NewTextHandler(&log, nil)))
		c.queues.GetOrCreate("CP")
		c.queues.Remove("CP") // a disconnect the dispatcher has not read yet
		return c, &log
	}
	t.Run("settled", func(t *testing.T) {
		c, _ := newCS()
		done := make(chan bool, 1)
		go func() { done <- c.awaitDispatcher("CP", httptest.NewRequest("GET", "/ocpp/CP", nil)) }()
		c.queues.Get("CP") // the dispatcher reads the disconnect
		if !<-done {
			t.Fatal("refused once the dispatcher let the earlier connection go")
		}
		if n := c.Counts(); n.DuplicateRefused != 0 {
			t.Fatalf("counts %+v, want nothing refused", n)
		}
	})
	t.Run("closing", func(t *testing.T) {
		c, log := newCS()
		done := make(chan bool, 1)
		go func() { done <- c.awaitDispatcher("CP", httptest.NewRequest("GET", "/ocpp/CP", nil)) }()
		c.Close()
		c.Close() // twice is harmless
		if <-done {
			t.Fatal("admitted while the central system closed")
		}
		if n := c.Counts(); n.DuplicateRefused != 1 || !strings.Contains(log.String(), "the central system is stopping") {
			t.Fatalf("counts %+v, log %q: want the refusal counted and logged with its reason", n, log.String())
		}
	})
	t.Run("newcomer gone", func(t *testing.T) {
		c, log := newCS()
		ctx, cancel := context.WithCancel(context.Background())
		r := httptest.NewRequest("GET", "/ocpp/CP", nil).WithContext(ctx)
		done := make(chan bool, 1)
		go func() { done <- c.awaitDispatcher("CP", r) }()
		cancel()
		if <-done {
			t.Fatal("admitted a connection that went away")
		}
		if n := c.Counts(); n.DuplicateRefused != 1 || !strings.Contains(log.String(), "went away") {
			t.Fatalf("counts %+v, log %q: want the refusal counted and logged with its reason", n, log.String())
		}
	})
}
