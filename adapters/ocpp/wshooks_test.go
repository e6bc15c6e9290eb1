package ocpp_test

import (
	"os"
	"sync"
	"testing"

	"github.com/lorenzodonini/ocpp-go/ws"
)

// wsLog is ocpp-go's websocket logger for the tests of this package (set
// once, in TestMain, before any server runs: ocpp-go keeps its logger in a
// package variable). It logs nothing; a test can run code where ocpp-go
// logs a given debug message, a point in its connection handling no other
// hook reaches (between the websocket upgrade and the registration of the
// connection, say).
var wsLog = &wsHooks{hooks: map[string]func(args []any){}}

func TestMain(m *testing.M) {
	ws.SetLogger(wsLog)
	os.Exit(m.Run())
}

// wsHooks calls, for a message ocpp-go logs, the hook set for its format.
type wsHooks struct {
	mu    sync.Mutex
	hooks map[string]func(args []any) // by format
}

// on runs f with the arguments of every message logged with format until
// the test ends.
func (h *wsHooks) on(t *testing.T, format string, f func(args []any)) {
	t.Helper()
	h.mu.Lock()
	h.hooks[format] = f
	h.mu.Unlock()
	t.Cleanup(func() {
		h.mu.Lock()
		delete(h.hooks, format)
		h.mu.Unlock()
	})
}

func (h *wsHooks) call(format string, args []any) {
	h.mu.Lock()
	f := h.hooks[format]
	h.mu.Unlock()
	if f != nil {
		f(args)
	}
}

func (h *wsHooks) Debug(...any)                      {}
func (h *wsHooks) Debugf(format string, args ...any) { h.call(format, args) }
func (h *wsHooks) Info(...any)                       {}
func (h *wsHooks) Infof(format string, args ...any)  { h.call(format, args) }
func (h *wsHooks) Error(...any)                      {}
func (h *wsHooks) Errorf(format string, args ...any) { h.call(format, args) }
