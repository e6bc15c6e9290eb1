// Package site builds a running set of adapters from an --adapters file: the
// journal, the Guard, and one adapter per declared name (OCPP central
// systems, Modbus devices, websocket and in-process adapters, dry run), with
// every charger's bounds and route. It is the one place that knows every
// adapter kind; the kinds themselves know nothing of each other.
package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/inproc"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Deps are what adapters need from the process that runs them.
type Deps struct {
	// Sender is the telemetry connection for wsjson adapters that have no
	// settings.url (the desk's feed subscriber).
	Sender wsjson.FrameSender
	// Simulator is the in-process simulator for inproc adapters.
	Simulator inproc.Simulator
	// BaseDir resolves relative paths in the config (journal, register maps).
	BaseDir string
	// Journal overrides the config's journal path.
	Journal string
	// DryRun forces dry run whatever the config says.
	DryRun bool
	// Only, when set, starts only these adapters (by name); setpoints for
	// chargers of other adapters are rejected as not running.
	Only []string
	// Logger; nil: slog.Default().
	Logger *slog.Logger
	// Now is the guard's clock; nil: time.Now.
	Now func() time.Time
	// PeerBounds makes the wsjson adapters with their own url keep their
	// peers' hellos, so that their PeerBounds answers (v2gdesk setpoint
	// bounds a setpoint by them). A desk leaves it unset: its feed gives it
	// the topology, and a hello kept for nothing may be 9 MB.
	PeerBounds bool
}

// Site is a running set of adapters behind one Guard.
type Site struct {
	Guard    *adapters.Guard
	Journal  *adapters.Journal
	Recovery adapters.ScanReport // what opening the journal found
	OCPP     map[string]*ocpp.CentralSystem

	feed    *wsjson.Shared // the feed connection's wsjson adapters; nil: none
	onFeed  []string       // their names, in the file's order
	links   []namedLink    // wsjson adapters with their own url, in the file's order
	closers []func() error
}

// namedLink is a wsjson adapter's own link, by adapter name.
type namedLink struct {
	name string
	link *wsjson.Link
}

// wsSettings are the settings of an adapter of kind "wsjson".
type wsSettings struct {
	URL string `json:"url,omitempty"` // dial this protocol v1 server instead of using Deps.Sender
}

// Open opens the journal, starts the adapters and returns the site. On error
// everything already started is closed.
func Open(ctx context.Context, cfg *adapters.Config, d Deps) (_ *Site, err error) {
	lg := d.Logger
	if lg == nil {
		lg = slog.Default()
	}
	path := d.Journal
	if path == "" {
		path = cfg.Journal
	}
	if path == "" {
		return nil, fmt.Errorf("%w: no audit journal: set \"journal\" in the adapters file or pass --journal", adapters.ErrConfig)
	}
	if !filepath.IsAbs(path) && d.Journal == "" {
		path = filepath.Join(d.BaseDir, path)
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	opts := cfg.GuardOptions()
	opts.DryRun = opts.DryRun || d.DryRun
	opts.Logger, opts.Now = lg, d.Now
	// The guard forgets the journal's expired ids when it is made; the
	// journal forgets them as it reads instead, so a month's file is
	// never held whole.
	j, rep, err := adapters.OpenJournalWith(path, adapters.OpenOptionsFor(opts))
	if err != nil {
		return nil, err
	}
	rep.Warn(lg, path)
	s := &Site{Guard: adapters.NewGuard(j, opts), Journal: j, Recovery: rep, OCPP: map[string]*ocpp.CentralSystem{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	defer func() {
		// A file refused at start-up (an adapter's settings, a listener
		// that cannot bind) leaves no new, empty journal behind. Removed
		// before s.Close (deferred first, run after) releases the lock, so
		// no other writer has it open.
		if fi, serr := os.Stat(path); err != nil && created && serr == nil && fi.Size() == 0 {
			os.Remove(path)
		}
	}()
	for _, c := range cfg.Chargers {
		s.Guard.SetCharger(c)
	}
	for _, ac := range cfg.Adapters {
		if d.Only != nil && !slices.Contains(d.Only, ac.Name) {
			continue
		}
		a, err := s.build(ctx, ac, cfg.ChargersOf(ac.Name), d, lg)
		if err != nil {
			return nil, fmt.Errorf("adapter %q (%s): %w", ac.Name, ac.Kind, err)
		}
		if err := s.Guard.AddAdapter(ac.Name, a, ac.Workers, ac.Queue); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// build makes and starts one adapter.
func (s *Site) build(ctx context.Context, ac adapters.AdapterConfig, chargers []adapters.ChargerConfig, d Deps, lg *slog.Logger) (adapters.Adapter, error) {
	switch ac.Kind {
	case adapters.KindDryRun:
		return adapters.DryRun{}, nil
	case adapters.KindInproc:
		if d.Simulator == nil {
			return nil, errors.New("needs the in-process simulator of a --scenario (demo or a scenario FILE), and there is none here")
		}
		return inproc.New(d.Simulator), nil
	case adapters.KindWSJSON:
		var ws wsSettings
		if err := adapters.DecodeSettings(ac.Settings, &ws); err != nil {
			return nil, err
		}
		if ws.URL == "" {
			if d.Sender == nil {
				return nil, errors.New("needs a telemetry connection: run with --feed, or set settings.url")
			}
			if s.feed == nil {
				s.feed = wsjson.NewShared(d.Sender)
			}
			s.onFeed = append(s.onFeed, ac.Name)
			return s.feed.Adapter(), nil
		}
		if err := checkWSURL(ws.URL); err != nil {
			return nil, err
		}
		// A peer that is not there now is not a reason to stop: the
		// desk's telemetry does not depend on it. The link redials in the
		// background; meanwhile its setpoints fail, naming the URL and
		// why (docs/adapters.md, Websocket JSON).
		a := wsjson.NewLinked(ctx, ws.URL, wsjson.LinkOptions{Logger: lg, Name: ac.Name, KeepHello: d.PeerBounds})
		s.closers = append(s.closers, a.Link().Close)
		s.links = append(s.links, namedLink{name: ac.Name, link: a.Link()})
		return a, nil
	case adapters.KindOCPP:
		cs, err := ocpp.FromConfig(ac.Settings, chargers, lg)
		if err != nil {
			return nil, err
		}
		if err := cs.Start(ctx); err != nil {
			return nil, err
		}
		s.closers = append(s.closers, cs.Close)
		s.OCPP[ac.Name] = cs
		return cs, nil
	case adapters.KindModbus:
		m, err := modbus.FromConfig(ac.Settings, chargers, d.BaseDir, lg)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, m.Close)
		return m, nil
	}
	return nil, fmt.Errorf("unknown kind %q", ac.Kind)
}

// HandleAck hands a protocol v1 ack from the feed to the wsjson adapter
// on the feed connection that waits for it; one that none waits for is
// counted once (reported by the first such adapter). Wire it to the fleet's
// ack hook.
func (s *Site) HandleAck(ack feeds.AckFrame) {
	if s.feed != nil {
		s.feed.HandleAck(ack)
	}
}

// Sources returns the telemetry sources among the adapters (OCPP central
// systems), by adapter name.
func (s *Site) Sources() map[string]feeds.Source {
	out := make(map[string]feeds.Source, len(s.OCPP))
	for name, cs := range s.OCPP {
		out[name] = cs
	}
	return out
}

// Links reports the link of every wsjson adapter that dials its own url,
// in the file's order, as telemetry links are reported ("adapter NAME"):
// a desk shows one that is down beside its telemetry sources.
func (s *Site) Links() []feeds.SourceLink {
	out := make([]feeds.SourceLink, len(s.links))
	for i, l := range s.links {
		st := l.link.Status()
		out[i] = feeds.SourceLink{Name: "adapter " + l.name, Up: st.Up, Err: st.Err}
	}
	return out
}

// OnFeed names the adapters that send their setpoints on the desk's feed
// connection (wsjson without url), in the file's order: while that feed
// is down none of their setpoints reaches a charger, and the desk says so
// beside the events they serve.
func (s *Site) OnFeed() []string { return slices.Clone(s.onFeed) }

// Close stops the guard (after queued setpoints), the adapters and the
// journal, in that order.
func (s *Site) Close() error {
	s.Guard.Close()
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	errs = append(errs, s.Journal.Close())
	return errors.Join(errs...)
}
