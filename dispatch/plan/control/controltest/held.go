// Package controltest provides helpers for tests of the DR event controller
// (package control) and of the desks that drive it, as net/http/httptest
// does for servers.
package controltest

import (
	"sync"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// HeldForecast holds the controller's next plan in its forecast once
// armed, until the test lets it go: a plan or send "in flight" that a test
// can act during, without sleeping. Use Forecast as control.Options.Forecast.
// The zero value is ready to use and holds nothing.
type HeldForecast struct {
	mu sync.Mutex
	on bool
	// Entered is closed once the armed plan is held in its forecast.
	Entered chan struct{}
	// Release, closed by the test, lets the held plan go on.
	Release chan struct{}
}

// Arm makes the next plan wait in Forecast; it sets new Entered and
// Release channels, so the test reads them after Arm.
func (h *HeldForecast) Arm() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.on, h.Entered, h.Release = true, make(chan struct{}), make(chan struct{})
}

// Forecast is the controller's forecaster: the history of s, as the
// default, after holding the plan when armed.
func (h *HeldForecast) Forecast(s *feeds.Snapshot) plan.Forecaster {
	h.mu.Lock()
	on, entered, release := h.on, h.Entered, h.Release
	h.on = false
	h.mu.Unlock()
	if on {
		close(entered)
		<-release
	}
	return plan.HistoryForecaster{Snap: s}
}
