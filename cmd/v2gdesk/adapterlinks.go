package main

import (
	"sync"

	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// linkWatch passes a single source's frames and link changes on to a sink
// and remembers the link's state, so that the header can count the source
// beside the adapters' own links (a wsjson adapter's url) as it counts a
// merged desk's sources.
type linkWatch struct {
	name string
	sink feeds.Sink

	mu  sync.Mutex
	up  bool
	err error
}

// HandleFrame implements feeds.Sink.
func (w *linkWatch) HandleFrame(raw []byte) { w.sink.HandleFrame(raw) }

// HandleLink implements feeds.Sink.
func (w *linkWatch) HandleLink(ev feeds.LinkEvent) {
	w.mu.Lock()
	w.up, w.err = ev.Up, ev.Err
	w.mu.Unlock()
	w.sink.HandleLink(ev)
}

// links reports the watched source's link.
func (w *linkWatch) links() []feeds.SourceLink {
	w.mu.Lock()
	defer w.mu.Unlock()
	return []feeds.SourceLink{{Name: w.name, Up: w.up, Err: w.err}}
}

// withAdapterLinks adds the links of st's wsjson adapters that dial their
// own url to what telemetry reports: one that is down then shows in the
// header ("◐ 1 of 2 up (adapter agg down)") as a down OCPP central system
// does, though the desk's telemetry does not depend on it.
func withAdapterLinks(telemetry func() []feeds.SourceLink, st *site.Site) func() []feeds.SourceLink {
	return func() []feeds.SourceLink {
		return append(telemetry(), st.Links()...)
	}
}
