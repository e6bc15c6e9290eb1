package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// runStatus connects to a feed, waits for its hello, watches it for a short
// window and prints a one-shot summary of the fleet.
func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	feed := fs.String("feed", "", "websocket `URL` of the telemetry feed (ws:// or wss://), required")
	timeoutF := durationFlag(fs, "timeout", 10*time.Second, "how long to wait for the connection and the hello")
	windowF := durationFlag(fs, "window", 2*time.Second, "how long to watch the feed after the hello: what the summary reports is what the feed sent in it")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk status --feed URL [--timeout 10s] [--window 2s] [--json]

Connects to a live feed, waits for its hello, watches it for --window and prints a fleet summary.
Exit 0 on success, 1 when the feed cannot be reached or never says hello, 2 for a bad command line.
`)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	if *feed == "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk status: --feed URL is required (e.g. --feed ws://127.0.0.1:8765/v1, what `v2gdesk sim` serves)"))
		return exitUsage
	}
	if err := checkFeedURL(*feed); err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk status: --feed %q: %v", *feed, errorIn(said, err)))
		return exitUsage
	}
	if timeoutF.d <= 0 {
		fmt.Fprintln(stderr, say(said, "v2gdesk status: --timeout %s: want a positive duration, e.g. 10s", timeoutF))
		return exitUsage
	}
	// A window of 0 summarised the feed before it had sent anything but
	// its hello: no rates, no measurements, every feeder without data.
	if windowF.d <= 0 {
		fmt.Fprintln(stderr, say(said, "v2gdesk status: --window %s: want a positive duration to watch the feed for, e.g. 2s (the summary is what the feed sends in it)", windowF))
		return exitUsage
	}

	snap, err := watchFeed(ctx, *feed, timeoutF.d, windowF.d)
	if errors.Is(err, context.Canceled) {
		// ^C or SIGTERM: said as such, not as "context canceled".
		fmt.Fprintf(stderr, "v2gdesk status: interrupted before the summary of %s: nothing printed\n", *feed)
		return 1
	}
	lost, _ := errors.AsType[*lostInWindowError](err)
	if err != nil && lost == nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk status", "read the feed", err))
		return 1
	}
	if code := printStatus(stdout, stderr, newStatusReport(*feed, windowF.d, snap), *asJSON); code != 0 {
		return code
	}
	if lost != nil {
		fmt.Fprintf(stderr, "v2gdesk status: %v\n", lost)
		return 1
	}
	return 0
}

// lostInWindowError is a feed lost after its hello, during --window: the
// summary is printed (what came before), and the command fails.
type lostInWindowError struct {
	feed string
	err  error
}

// Error implements error.
func (e *lostInWindowError) Error() string {
	return fmt.Sprintf("lost during the window, after the hello of %s: %v; the summary above is what came before", e.feed, e.err)
}

// Unwrap returns why the feed was lost.
func (e *lostInWindowError) Unwrap() error { return e.err }

// printStatus prints the report, as JSON or (on a terminal, fitted to its
// width) as text, and returns the exit code: 1 when stdout cannot take it.
func printStatus(stdout, stderr io.Writer, rep statusReport, asJSON bool) int {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "v2gdesk status: write: %v\n", err)
			return 1
		}
		return 0
	}
	// On a terminal the lines fit its width (the audit table's rule);
	// piped, each stays whole for grep.
	var text strings.Builder
	rep.writeText(&text)
	if _, err := io.WriteString(stdout, fitStatusText(text.String(), auditWidth(stdout, false))); err != nil {
		fmt.Fprintf(stderr, "v2gdesk status: write: %v\n", err)
		return 1
	}
	return 0
}

// checkFeedURL accepts ws:// and wss:// URLs with a host.
func checkFeedURL(s string) error {
	if !strings.Contains(s, "://") {
		// url.Parse says "first path segment in URL cannot contain
		// colon" for 127.0.0.1:8765, and takes "localhost" for the
		// scheme of localhost:8765.
		eg := "ws://" + s
		if !strings.Contains(s, "/") {
			eg += "/v1"
		}
		return errorf("not a websocket URL: want ws:// or wss:// in front, e.g. %s", eg)
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return errorf("scheme %q: want ws:// or wss://", u.Scheme)
	}
	if u.Host == "" {
		return errorf("no host")
	}
	return nil
}

// helloSink passes frames to a Fleet and signals once the first hello has
// been applied.
type helloSink struct {
	fl    *feeds.Fleet
	seen  atomic.Bool
	hello chan struct{}
	// up: the websocket handshake was answered. Without it "no hello"
	// names the wrong thing: nothing was spoken at all.
	up atomic.Bool
}

// HandleFrame implements feeds.Sink.
func (s *helloSink) HandleFrame(raw []byte) {
	s.fl.HandleFrame(raw)
	if !s.seen.Load() && s.fl.Snapshot().HaveTopology {
		s.seen.Store(true)
		close(s.hello)
	}
}

// HandleLink implements feeds.Sink.
func (s *helloSink) HandleLink(ev feeds.LinkEvent) {
	if ev.Up {
		s.up.Store(true)
	}
	s.fl.HandleLink(ev)
}

// watchFeed connects, waits for the hello within timeout, then watches for
// window and returns the fleet's snapshot.
func watchFeed(ctx context.Context, feed string, timeout, window time.Duration) (*feeds.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sink := &helloSink{fl: feeds.NewFleet(feeds.FleetOptions{}), hello: make(chan struct{})}
	sub := feeds.NewSubscriber(feed, feeds.SubscriberOptions{
		MaxAttempts: 1, HandshakeTimeout: timeout, ReadTimeout: max(timeout, window) + time.Second,
	})
	runErr := make(chan error, 1)
	go func() { runErr <- sub.Run(ctx, sink) }()
	// shutdown stops the subscriber and waits for its goroutine.
	shutdown := func() { cancel(); <-runErr }

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	select {
	case <-sink.hello:
	case err := <-runErr:
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if !sink.up.Load() && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)) {
			// The handshake's timeout is --timeout too: whichever
			// fires first, the same words.
			return nil, noAnswer(feed, timeout)
		}
		return nil, err // "cannot reach URL: why"
	case <-deadline.C:
		shutdown()
		if !sink.up.Load() {
			return nil, noAnswer(feed, timeout)
		}
		if st := sink.fl.Snapshot().Stats; st.LastReject != "" {
			n := st.RejectTotal()
			return nil, fmt.Errorf("no hello from %s within %v (%d %s rejected, last: %s)", feed, timeout, n, pluralForm(n, "frame", "frames"), st.LastReject)
		}
		return nil, fmt.Errorf("no hello from %s within %v", feed, timeout)
	case <-ctx.Done():
		<-runErr
		return nil, ctx.Err()
	}
	w := time.NewTimer(window)
	defer w.Stop()
	select {
	case <-w.C:
		// Snapshot while still connected, so the summary shows the link as
		// it was during the window.
		snap := sink.fl.Snapshot()
		shutdown()
		return snap, nil
	case err := <-runErr:
		return windowEnded(ctx, feed, sink.fl.Snapshot(), err)
	case <-ctx.Done():
		<-runErr
		return nil, ctx.Err()
	}
}

// windowEnded is what watchFeed returns when the subscriber ended during
// the window with err. The feed went away: report what was seen, and,
// unless its server ended it (a simulated day's end, err nil), that it was
// lost: exit 0 told a script all was well with a gateway that drops every
// connection after its hello. A subscriber ended by Ctrl-C (ctx done, err
// context.Canceled) is an interrupted status, not an ended feed: when its
// end won the select over ctx.Done, the summary went out with exit 0.
func windowEnded(ctx context.Context, feed string, snap *feeds.Snapshot, err error) (*feeds.Snapshot, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return snap, &lostInWindowError{feed: feed, err: err}
	}
	return snap, nil
}

// noAnswer is the error for a feed whose port said nothing within timeout:
// neither the connection nor the websocket handshake was answered.
func noAnswer(feed string, timeout time.Duration) error {
	return fmt.Errorf("no answer from %s within %v: the connection or its websocket handshake was not answered (a port that accepts and says nothing, or a --timeout too short for the network: is it the feed's ws:// URL?)", feed, timeout)
}

// statusReport is the summary `v2gdesk status` prints; its JSON form is
// for scripts.
type statusReport struct {
	Feed string `json:"feed"`
	// Mode is LIVE, SIMULATION or REPLAY, by the feed's hello, as the
	// dashboard's badge reads; At is then the feed's data clock.
	Mode feeds.Mode `json:"mode"`
	// Paused: the feed's simulator or replay said it is paused
	// (docs/protocol.md, Pause); At then stands still.
	Paused bool `json:"paused"`
	// Speed is how fast the feed's clock runs, as its simulator or replay
	// said (docs/protocol.md, Clock); absent when it has not said.
	Speed         float64          `json:"speed,omitempty"`
	Site          string           `json:"site"`
	TimeZone      string           `json:"tz"`
	At            time.Time        `json:"at"`
	WindowSeconds float64          `json:"window_s"`
	System        statusSystem     `json:"system"`
	Feeders       []statusFeeder   `json:"feeders"`
	Chargers      statusChargers   `json:"chargers"`
	V2G           statusV2G        `json:"v2g"`
	Health        statusFeedHealth `json:"feed_health"`
}

type statusSystem struct {
	KW         float64 `json:"kw"`
	LimitKW    float64 `json:"limit_kw"`
	LoadingPct float64 `json:"loading_pct"`
}

type statusFeeder struct {
	ID         string  `json:"id"`
	Name       string  `json:"name,omitempty"`
	Seen       bool    `json:"seen"`
	KW         float64 `json:"kw"`
	LimitKW    float64 `json:"limit_kw"`
	LoadingPct float64 `json:"loading_pct"`
	Stale      bool    `json:"stale"`
	Chargers   int     `json:"chargers"`
	// Level is the loading level the desk's alarm list would hold on what
	// the window saw (HIGH, WARN, none; the deadband applied,
	// alarm.Engine.Level); "" without a fresh figure.
	Level string `json:"level,omitempty"`
	// DeskMayHold is the higher level a desk that saw the feeder at it
	// before the window still holds, the loading being within the
	// deadband below its threshold ("HIGH" for 98.5 %); "" when none.
	DeskMayHold string `json:"desk_may_hold,omitempty"`
	level, held alarm.Severity
}

type statusChargers struct {
	Total   int            `json:"total"`
	ByState map[string]int `json:"by_state"`
	Unknown int            `json:"unknown"`
	Stale   int            `json:"stale"`
}

type statusV2G struct {
	DischargeKW        float64 `json:"discharge_kw"`
	ImportReducibleKW  float64 `json:"import_reducible_kw"`
	EnergyAboveNeedKWh float64 `json:"energy_above_need_kwh"`
	Plugged            int     `json:"plugged"`
	Bidirectional      int     `json:"bidirectional"`
	// StalePlugged and Unheard count the chargers left out of the figures
	// for want of a fresh frame (feeds.V2GCapacity): stale while their
	// latest frame said plugged, and never heard from.
	StalePlugged int `json:"stale_plugged"`
	Unheard      int `json:"unheard"`
	// Partial: some were left out, so the figures are a floor (the desk's
	// "○"); Unknown: none was counted either, so they say nothing (the
	// desk's "—"), where 0 read as none available.
	Partial bool `json:"partial"`
	Unknown bool `json:"unknown"`
}

type statusFeedHealth struct {
	Connected    bool              `json:"connected"`
	Frames       uint64            `json:"frames_accepted"`
	Bytes        uint64            `json:"bytes"`
	FramesPerSec float64           `json:"frames_per_s"`
	Rejects      map[string]uint64 `json:"rejects"`
	RejectTotal  uint64            `json:"rejects_total"`
	LastReject   string            `json:"last_reject,omitempty"`
	Ignored      uint64            `json:"ignored"`
	BadCatchUps  uint64            `json:"bad_catch_ups"`
	BadPauses    uint64            `json:"bad_pauses"`
	// Conflations, ConflatedFrames and BadConflations: the conflated sets
	// the server sent because this client fell behind, the frames they
	// left out, and the signals ignored (docs/protocol.md, Conflated).
	Conflations     uint64 `json:"conflations"`
	ConflatedFrames uint64 `json:"conflated_frames"`
	BadConflations  uint64 `json:"bad_conflations"`
	LastError       string `json:"last_error,omitempty"`
}

func newStatusReport(feed string, window time.Duration, s *feeds.Snapshot) statusReport {
	r := statusReport{
		Feed: feed, Mode: feedMode(s), Paused: s.Paused, Speed: s.FeedSpeed, Site: s.Site, TimeZone: s.Location.String(), At: s.At.In(s.Location),
		WindowSeconds: window.Seconds(),
		System:        statusSystem{KW: s.System.KW, LimitKW: s.System.ImportLimitKW, LoadingPct: s.System.LoadingPct},
		Chargers:      statusChargers{Total: s.NumChargers(), ByState: map[string]int{}, Unknown: s.Unknown, Stale: s.StaleChargers},
		V2G: statusV2G{DischargeKW: s.V2G.DischargeKW, ImportReducibleKW: s.V2G.ImportReducibleKW,
			EnergyAboveNeedKWh: s.V2G.EnergyAboveNeedKWh, Plugged: s.V2G.Plugged, Bidirectional: s.V2G.Bidirectional,
			StalePlugged: s.V2G.StalePlugged, Unheard: s.V2G.Unheard, Partial: s.V2G.Partial(), Unknown: s.V2G.Unknown()},
		Health: statusFeedHealth{Connected: s.Stats.Connected, Frames: s.Stats.Frames, Bytes: s.Stats.Bytes,
			FramesPerSec: s.Stats.FramesPerSec, Rejects: map[string]uint64{}, RejectTotal: s.Stats.RejectTotal(),
			LastReject: s.Stats.LastReject, Ignored: s.Stats.Ignored, BadCatchUps: s.Stats.BadCatchUps,
			BadPauses: s.Stats.BadPauses, Conflations: s.Stats.Conflations, ConflatedFrames: s.Stats.ConflatedFrames,
			BadConflations: s.Stats.BadConflations, LastError: s.Stats.LastError},
	}
	for i, st := range feeds.ChargerStates {
		r.Chargers.ByState[string(st)] = s.States[i]
	}
	for _, reason := range s.Stats.RejectReasons() {
		r.Health.Rejects[string(reason)] = s.Stats.Rejects[reason]
	}
	eng := alarm.NewEngine(alarm.Options{}) // the desk's thresholds and deadband
	for i := range s.Feeders {
		f := &s.Feeders[i]
		sf := statusFeeder{ID: f.ID, Name: f.Name, Seen: f.Seen, KW: f.KW, LimitKW: f.LimitKW,
			LoadingPct: f.LoadingPct, Stale: f.Stale, Chargers: f.Chargers}
		if f.Seen && !f.Stale && f.LimitKW > 0 {
			sf.level, sf.held = feederLevel(eng, f)
			sf.Level = sf.level.String()
			if sf.held != alarm.SevNone {
				sf.DeskMayHold = sf.held.String()
			}
		}
		r.Feeders = append(r.Feeders, sf)
	}
	return r
}

// feederLevel judges feeder f as the desk's alarm list does, with the same
// code (alarm.Engine.Level, deadband included): over the minutes the window
// saw, then its figure now. A one-shot look cannot know what came before
// the window, so held is the higher level a desk that saw the feeder there
// would still hold (HIGH at 98.5 %: it clears below 97 %), SevNone when
// there is none; delay-on, which only holds an alarm back, is not applied.
func feederLevel(eng *alarm.Engine, f *feeds.FeederState) (lvl, held alarm.Severity) {
	for i := range minutesUpTo(f.History, f.TS) {
		pct := f.History.At(i) / f.LimitKW * 100
		if math.IsNaN(pct) {
			lvl = alarm.SevNone // as the catch-up reads a minute without data
			continue
		}
		lvl = eng.Level(pct, lvl)
	}
	lvl = eng.Level(f.LoadingPct, lvl)
	for _, above := range []alarm.Severity{alarm.SevHigh, alarm.SevWarn} {
		if lvl < above && eng.Level(f.LoadingPct, above) == above {
			return lvl, above
		}
	}
	return lvl, alarm.SevNone
}

// minutesUpTo is how many of h's minutes run up to the one holding ts, the
// feeder's latest figure, included. The minutes after it are no gap: the
// history ends with the minute under way, which has no figure until its
// first comes, and the latest figure, fresh, still stands for it, as on a
// desk watching live. Read as a minute without data it reset the level, so
// a status run in the first seconds of a minute read a feeder seen at
// 102.5 % and then at 98.5 % as △ WARN, where the desk shows ▲ HIGH.
func minutesUpTo(h feeds.History, ts time.Time) int {
	if ts.Before(h.Start()) {
		return 0
	}
	return min(h.Len(), int(ts.Sub(h.Start())/time.Minute)+1)
}

// writeText prints the report for a person.
func (r statusReport) writeText(w io.Writer) {
	// A simulation or a replay stamps its data with its own clock, which the
	// fleet (and the dashboard) follow: say so, or "17:35" on a feed
	// re-enacting a day in 2024 reads as the time now.
	clock := ""
	switch r.Mode {
	case feeds.ModeSimulation:
		clock = " by the simulation clock"
	case feeds.ModeReplay:
		clock = " by the replay clock"
	}
	fmt.Fprintf(w, "site      %s (%s), %s%s\n", r.Site, r.TimeZone, r.At.Format("2006-01-02 15:04:05 MST"), clock)
	fmt.Fprintf(w, "feed      %s, %s\n", r.Feed, connWord(r.Health.Connected, r.Health.LastError))
	speed := ""
	if r.Speed > 0 {
		speed = " at " + strconv.FormatFloat(r.Speed, 'g', -1, 64) + "×"
	}
	switch r.Mode {
	case feeds.ModeSimulation:
		fmt.Fprintf(w, "mode      SIMULATION%s: the feed re-enacts a day; times are its clock, not the wall clock\n", speed)
	case feeds.ModeReplay:
		fmt.Fprintf(w, "mode      REPLAY%s: the feed plays a recording; times are its clock, not the wall clock\n", speed)
	default:
		fmt.Fprintf(w, "mode      %s\n", r.Mode)
	}
	if r.Paused {
		fmt.Fprintf(w, "paused    the feed's server is paused at %s: its clock stands still, and its silence is not a fault\n", r.At.Format("15:04:05"))
	}
	fmt.Fprintf(w, "system    %s kW of %s kW limit (%.1f%%)\n", kw(r.System.KW), kw(r.System.LimitKW), r.System.LoadingPct)
	fmt.Fprintf(w, "feeders   %s\n", count(len(r.Feeders)))
	idw := 2
	for _, f := range r.Feeders {
		idw = max(idw, len(f.ID))
	}
	eng := alarm.NewEngine(alarm.Options{}) // the desk's thresholds and deadband
	deadband := eng.DeadbandPct()
	warn, high := eng.Thresholds()
	for _, f := range r.Feeders {
		note := "✓ OK"
		switch {
		case !f.Seen:
			note = "○ NO DATA"
		case f.Stale:
			note = "○ STALE"
		default:
			note = levelWord(f.level)
		}
		if f.held != alarm.SevNone {
			// What a desk shows depends on what it saw before this
			// window: say so, rather than disagree with it silently.
			at := high
			if f.held == alarm.SevWarn {
				at = warn
			}
			note += fmt.Sprintf(" (a desk that saw it at %g%% or over still shows %s: it clears below %g%%, a %g-point deadband)",
				at, levelWord(f.held), at-deadband, deadband)
		}
		// No limit, no loading: "—" as on the desk, not 0.0 %.
		loading := fmt.Sprintf("%6.1f%%", f.LoadingPct)
		if f.Seen && f.LimitKW <= 0 {
			loading = "      —"
		}
		// "1 charger " keeps the column of the notes after it in line.
		fmt.Fprintf(w, "  %-*s %10s kW  limit %10s kW  %s  %3s %s  %s\n",
			idw, f.ID, kw(f.KW), kw(f.LimitKW), loading, count(f.Chargers), pluralForm(f.Chargers, "charger ", "chargers"), note)
	}
	var states []string
	for _, st := range feeds.ChargerStates {
		states = append(states, fmt.Sprintf("%s %s", st, count(r.Chargers.ByState[string(st)])))
	}
	fmt.Fprintf(w, "chargers  %s: %s; unknown %s; stale %s\n", count(r.Chargers.Total), strings.Join(states, ", "), count(r.Chargers.Unknown), count(r.Chargers.Stale))
	r.V2G.writeText(w)
	fmt.Fprintf(w, "frames    %s accepted (%s/s over the last seconds), %s bytes\n", count(r.Health.Frames), count(int64(r.Health.FramesPerSec+0.5)), count(r.Health.Bytes))
	if r.Health.RejectTotal == 0 {
		fmt.Fprintln(w, "rejects   none")
	} else {
		reasons := make([]string, 0, len(r.Health.Rejects))
		for reason := range r.Health.Rejects {
			reasons = append(reasons, reason)
		}
		sort.Strings(reasons)
		parts := make([]string, len(reasons))
		for i, reason := range reasons {
			parts[i] = fmt.Sprintf("%s %s", reason, count(r.Health.Rejects[reason]))
		}
		fmt.Fprintf(w, "rejects   %s: %s\n", count(r.Health.RejectTotal), strings.Join(parts, ", "))
		fmt.Fprintf(w, "          last: %s\n", r.Health.LastReject)
	}
	fmt.Fprintf(w, "ignored   %s (older than the latest for their charger or feeder)\n", count(r.Health.Ignored))
	fmt.Fprintf(w, "catch-ups %s bad (catch_up signals ignored: on a live feed, out of order, a target not ahead)\n", count(r.Health.BadCatchUps))
	fmt.Fprintf(w, "pauses    %s bad (pause signals ignored: on a live feed, a time too far ahead)\n", count(r.Health.BadPauses))
	fmt.Fprintf(w, "conflated %s sets, %s frames left out for newer ones (the server's, as this client fell behind), %s bad signals\n",
		count(r.Health.Conflations), count(r.Health.ConflatedFrames), count(r.Health.BadConflations))
}

// levelWord is a loading level as the desk words it.
func levelWord(s alarm.Severity) string {
	switch s {
	case alarm.SevHigh:
		return "▲ HIGH"
	case alarm.SevWarn:
		return "△ WARN"
	}
	return "✓ OK"
}

func connWord(up bool, lastErr string) string {
	if up {
		return "connected"
	}
	if lastErr != "" {
		return "disconnected: " + lastErr
	}
	return "disconnected"
}

// kw formats a power with thousands separators and one decimal below 100.
func kw(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	var s string
	if x < 100 {
		s = fmt.Sprintf("%.1f", x)
	} else {
		s = count(int64(x + 0.5))
	}
	if neg {
		return "-" + s
	}
	return s
}

// count formats a whole number with thousands separators, as kw does a
// power: every figure of the report reads the same way.
func count[T int | int64 | uint64](n T) string { return numtext.Int(n, numtext.HyphenMinus) }

// writeText writes the V2G line. Figures that count only part of the
// fleet say so after them, as the desk marks them "○": the line read
// "discharge 1,409 kW" with 40 plugged chargers stale, a figure a script
// or a reader took for the whole. With none counted the figures are left
// out ("discharge 0.0 kW" during a link loss read as none available).
func (v statusV2G) writeText(w io.Writer) {
	if v.Unknown {
		fmt.Fprintf(w, "V2G       unknown: no charger it would count is heard fresh (%s)\n", v.leftOut())
		return
	}
	fmt.Fprintf(w, "V2G       discharge %s kW, import reducible %s kW, %s kWh above departure needs (%s plugged, %s bidirectional)",
		kw(v.DischargeKW), kw(v.ImportReducibleKW), kw(v.EnergyAboveNeedKWh), count(v.Plugged), count(v.Bidirectional))
	if v.Partial {
		fmt.Fprintf(w, " ○ at least: %s left out", v.leftOut())
	}
	fmt.Fprintln(w)
}

// leftOut says which chargers the figures leave out: "40 plugged
// chargers stale, 3 never heard".
func (v statusV2G) leftOut() string {
	var parts []string
	if v.StalePlugged > 0 {
		parts = append(parts, fmt.Sprintf("%s plugged %s stale", count(v.StalePlugged), pluralForm(v.StalePlugged, "charger", "chargers")))
	}
	if v.Unheard > 0 {
		what := "never heard"
		if len(parts) == 0 {
			what = pluralForm(v.Unheard, "charger", "chargers") + " never heard"
		}
		parts = append(parts, fmt.Sprintf("%s %s", count(v.Unheard), what))
	}
	return strings.Join(parts, ", ")
}
