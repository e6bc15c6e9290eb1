package control

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Level is how bad a feeder's loading is.
type Level int

// The triage levels, worst last so they sort by value.
const (
	LevelWatch Level = iota + 1 // at or above TriageOptions.WatchPct, under the limit
	LevelOver                   // over its limit
	LevelHigh                   // at or above TriageOptions.HighPct
)

// String is the word shown with the level's glyph.
func (l Level) String() string {
	switch l {
	case LevelHigh:
		return "HIGH"
	case LevelOver:
		return "OVER"
	case LevelWatch:
		return "WATCH"
	}
	return "OK"
}

// TriageOptions are the thresholds of Triage. Zero values take the defaults.
type TriageOptions struct {
	WatchPct float64 // default 90
	HighPct  float64 // default 110
	// TopChargers is how many contributing chargers to list (default 5).
	TopChargers int
}

func (o TriageOptions) withDefaults() TriageOptions {
	if o.WatchPct == 0 {
		o.WatchPct = 90
	}
	if o.HighPct == 0 {
		o.HighPct = 110
	}
	if o.TopChargers <= 0 {
		o.TopChargers = 5
	}
	return o
}

// Contributor is a charger and the power it draws now.
type Contributor struct {
	Charger string
	KW      float64
}

// Overload is one feeder in trouble, as the on-call engineer sees it.
type Overload struct {
	Feeder, Name         string
	Level                Level
	KW, LimitKW, Loading float64 // Loading in percent
	// Over is how long the feeder has been over its limit without a break,
	// from its minute history (zero when under it now).
	Over time.Duration
	// TrendPct is the change of loading over the last 10 minutes, in
	// percentage points (NaN without the history).
	TrendPct float64
	// Top are the chargers drawing most on the feeder now.
	Top []Contributor
	// ChargingKW is what all its chargers draw together.
	ChargingKW float64
}

// Triage ranks the feeders at or above the watch threshold: by level, then
// loading, then time over the limit, as the desk's triage and its alarm
// list do, so that the feeder furthest over its limit, the one to act on
// first, comes first. Stale feeders are left out: their figures are not
// the present.
func Triage(snap *feeds.Snapshot, opts TriageOptions) []Overload {
	o := opts.withDefaults()
	if snap == nil || !snap.HaveTopology {
		return nil
	}
	var out []Overload
	idx := map[string]int{}
	for _, f := range snap.Feeders {
		if !f.Seen || f.Stale || f.LimitKW <= 0 || f.LoadingPct < o.WatchPct {
			continue
		}
		ov := Overload{Feeder: f.ID, Name: f.Name, KW: f.KW, LimitKW: f.LimitKW, Loading: f.LoadingPct,
			Level: LevelWatch, TrendPct: math.NaN()}
		switch {
		case f.LoadingPct >= o.HighPct:
			ov.Level = LevelHigh
		case f.LoadingPct > 100:
			ov.Level = LevelOver
		}
		if ov.Level >= LevelOver {
			ov.Over = overFor(f, snap.At)
		}
		if ago := f.History.Range(snap.At.Add(-11*time.Minute), snap.At.Add(-10*time.Minute)); len(ago) == 1 && !math.IsNaN(ago[0]) {
			ov.TrendPct = f.LoadingPct - 100*ago[0]/f.LimitKW
		}
		idx[f.ID] = len(out)
		out = append(out, ov)
	}
	for i := 0; i < snap.NumChargers(); i++ {
		c := snap.ChargerAt(i)
		k, ok := idx[c.Feeder]
		if !ok || !c.Seen || c.Stale || c.Last.KW <= 0 {
			continue
		}
		out[k].ChargingKW += c.Last.KW
		out[k].Top = append(out[k].Top, Contributor{Charger: c.ID, KW: c.Last.KW})
	}
	for k := range out {
		top := out[k].Top
		slices.SortFunc(top, func(a, b Contributor) int {
			if a.KW != b.KW {
				return cmpDesc(a.KW, b.KW)
			}
			return compareStr(a.Charger, b.Charger)
		})
		out[k].Top = top[:min(len(top), o.TopChargers)]
	}
	slices.SortStableFunc(out, func(a, b Overload) int {
		switch {
		case a.Level != b.Level:
			return int(b.Level - a.Level)
		case a.Loading != b.Loading:
			return cmpDesc(a.Loading, b.Loading)
		}
		return cmpDesc(float64(a.Over), float64(b.Over))
	})
	return out
}

// overFor walks the feeder's minute history back from now while the load
// is over the limit (the minute in progress counts by the latest value).
func overFor(f feeds.FeederState, now time.Time) time.Duration {
	h := f.History
	minute := now.Truncate(time.Minute)
	i := int(minute.Sub(h.Start()) / time.Minute)
	n := 0
	for j := i - 1; j >= 0; j-- {
		v := h.At(j)
		if math.IsNaN(v) || v <= f.LimitKW {
			break
		}
		n++
	}
	return time.Duration(n)*time.Minute + now.Sub(minute)
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// peakEnd is the end of the tariff's peak band in force at now or starting
// within the hour, or the zero time.
func (c *Controller) peakEnd(now time.Time, loc *time.Location) time.Time {
	tariff := plan.ChinaTOU()
	if c.opts.Plan.Tariff != nil {
		tariff = *c.opts.Plan.Tariff
	}
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	m := int(local.Sub(midnight) / time.Minute)
	var end time.Time
	for _, b := range tariff.Bands {
		if b.Name == "peak" && b.From <= m+60 && m < b.To {
			if e := midnight.Add(time.Duration(b.To) * time.Minute); e.After(end) {
				end = e
			}
		}
	}
	return end
}

// Suggestion is a cap on an overloaded feeder, planned but not proposed:
// what it would do if a dispatcher accepted it.
type Suggestion struct {
	// Event is the cap, ready to Propose with OriginTriage.
	Event feeds.EventFrame
	// Pct is the cap as a percentage of the feeder's limit: SuggestPct, or
	// more when the plugged-in EVs cannot hold the feeder that low (Limited).
	Pct float64
	// FloorKW is the lowest cap the plugged-in EVs can hold in every slot
	// of the event's window, by the V2G capacity envelope: the forecast
	// feeder load less the most import the EVs can shed in the slot, the
	// highest over the window. The envelope takes each slot on its own, so
	// the plan may hold less; the cap is then raised to what it holds.
	FloorKW float64
	// Limited is set when SuggestPct is out of the EVs' reach, so the cap
	// is raised to the lowest level they can hold (rounded up to a whole
	// percent): the most they can shed. Over 100% the feeder stays
	// overloaded whatever they do.
	Limited bool
	// Chargers counts the chargers whose power changes now; ReduceKW is the
	// feeder's load drop now (positive: less load).
	Chargers int
	ReduceKW float64
	// Short counts EVs the plan leaves short of their target, and
	// AvoidableShort those of them that would have made it unmanaged.
	Short, AvoidableShort int
	UnmetKWh              float64
	Preview               *plan.Preview
	// Basis is what the feeder's base-load forecast rests on: a desk
	// simulating the day knows its curve, a desk on a feed only the load
	// now, and the two plan different caps for the same minute.
	Basis plan.ForecastBasis
}

// String is the suggestion as one line, e.g. "cap F07 at 95% until 21:00:
// 23 chargers, 180 kW, 0 EVs short". A Limited one says so: "cap F10 at
// 103% until 21:00: the most the plugged-in EVs can shed; the rest needs
// manual switching; 40 chargers, 310 kW, 0 EVs short".
func (s Suggestion) String() string {
	return fmt.Sprintf("cap %s at %.0f%% until %s: %s%s, %.0f kW, %s short",
		s.Event.Scope, s.Pct, s.Event.End.Format("15:04"), s.LimitNote(), count(s.Chargers, "charger", "chargers"), s.ReduceKW, count(s.Short, "EV", "EVs"))
}

// LimitNote is why a Limited suggestion asks for more than SuggestPct,
// ending in "; ", or "" when it is not Limited.
func (s Suggestion) LimitNote() string {
	switch {
	case !s.Limited:
		return ""
	case s.Pct > 100:
		return "the most the plugged-in EVs can shed; the rest needs manual switching; "
	}
	return fmt.Sprintf("the most the plugged-in EVs can shed (%d%% is out of reach); ", SuggestPct)
}

// SuggestPct is the cap a triage suggestion asks for, as a percentage of
// the feeder's limit: under the limit by a margin for the tolerance and the
// forecast's error.
const SuggestPct = 95

// Suggest plans a cap on feeder at SuggestPct of its limit from now until
// the unmanaged load of the EVs plugged in now would stay under that cap,
// or to the end of a tariff peak band in force or starting within the hour
// if that is later (at least an hour, at most the planning horizon), on the
// latest snapshot. When the plugged-in EVs cannot hold the feeder at
// SuggestPct in every slot of that window, the cap is raised to the lowest
// whole percent they can hold (by their V2G envelope, see
// Suggestion.FloorKW, and then by the plan itself) and the suggestion is
// Limited. Nothing is proposed or sent: Propose the returned Event to make
// it pending.
func (c *Controller) Suggest(ctx context.Context, feeder string) (*Suggestion, error) {
	snap, err := c.snapshot()
	if err != nil {
		return nil, fmt.Errorf("suggest for %q: %w", feeder, err)
	}
	f, ok := snap.Feeder(feeder)
	if !ok {
		return nil, fmt.Errorf("suggest for %q: %w", feeder, ErrNoSuchFeeder)
	}
	if f.LimitKW <= 0 {
		return nil, fmt.Errorf("suggest for %q: %w", feeder, ErrNoImportLimit)
	}
	capKW := math.Round(f.LimitKW * SuggestPct / 100)
	fc := c.opts.Forecast(snap)
	base, err := plan.Build(snap, nil, fc, c.opts.Plan)
	if err != nil {
		return nil, fmt.Errorf("suggest for %q: %w", feeder, err)
	}
	last := 0
	for t, v := range base.Baseline.Feeders[feeder] {
		if v > capKW {
			last = t
		}
	}
	end := base.SlotStart(last + 1)
	loc := locOf(snap)
	// The plan sees only the EVs plugged in now; more arrive through a peak,
	// so the cap lasts at least to the end of a peak band in force or
	// starting within the hour.
	if pe := c.peakEnd(snap.At, loc); pe.After(end) {
		end = pe
	}
	if min := snap.At.Add(time.Hour); end.Before(min) {
		end = base.SlotStart(int(math.Ceil(float64(time.Hour+snap.At.Sub(base.Start)) / float64(base.Slot))))
	}
	if max := base.SlotStart(base.Problem.Slots); end.After(max) {
		end = max
	}
	to := min(base.Problem.Slots, int(math.Ceil(float64(end.Sub(base.Start))/float64(base.Slot))))
	from := max(0, int(math.Floor(float64(snap.At.Sub(base.Start))/float64(base.Slot))))
	floor, err := shedFloor(base.Problem, feeder, from, to)
	if err != nil {
		return nil, fmt.Errorf("suggest for %q: %w", feeder, err)
	}
	// A cap under what the EVs can reach only earns a shortfall and a
	// cap-miss alarm: ask for what they can do, and say so.
	pct := float64(SuggestPct)
	if floor > capKW {
		pct = math.Max(pct, pctOf(floor, f.LimitKW))
	}
	capAt := func(pct float64) float64 {
		return math.Max(math.Round(f.LimitKW*pct/100), math.Ceil(math.Max(floor, capKW)))
	}
	ev := feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent),
		ID:   c.freeID(fmt.Sprintf("T-%s-%s", feeder, snap.At.In(loc).Format("1504"))),
		Kind: feeds.EventImportCap, Scope: feeder, Start: snap.At.In(loc), End: end.In(loc), KW: capAt(pct), Source: string(OriginTriage)}
	plans := 0
	planAt := func(kw float64) (*plan.Preview, error) {
		e := ev
		e.KW = kw
		plans++
		_, pv, err := c.planFor(ctx, snap, e)
		if err != nil {
			return nil, fmt.Errorf("suggest for %q: %w", feeder, err)
		}
		return pv, nil
	}
	pv, err := planAt(ev.KW)
	if err != nil {
		return nil, err
	}
	// The envelope is per slot: when the window needs it in several slots
	// at once the plan may still miss the cap. The highest load it plans
	// in the window is a cap it can hold (that plan meets it); the lowest
	// whole percent it can hold lies between, found by bisection on the
	// plan's own shortfall: a few more solves of the one feeder.
	if pv.CapMissed() {
		lo := pct
		hi := math.Max(lo+1, pctOf(peakOver(pv.After.Feeders[feeder], from, to), f.LimitKW))
		hiPV, err := planAt(capAt(hi))
		if err != nil {
			return nil, err
		}
		if !hiPV.CapMissed() {
			for hi-lo > 1 {
				mid := math.Floor((lo + hi) / 2)
				mpv, err := planAt(capAt(mid))
				if err != nil {
					return nil, err
				}
				if !mpv.CapMissed() {
					hi, hiPV = mid, mpv
				} else {
					lo = mid
				}
			}
		}
		// Else even that misses (the plan trades the cap for something
		// dearer): the suggestion keeps the higher cap and its preview
		// shows the shortfall.
		pct, pv = hi, hiPV
		ev.KW = capAt(pct)
	}
	c.log.Debug("triage suggestion", "feeder", feeder, "pct", pct, "cap_kw", ev.KW, "floor_kw", floor, "plans", plans)
	return &Suggestion{Event: ev, Pct: pct, FloorKW: floor, Limited: pct > SuggestPct, Chargers: pv.Affected, ReduceKW: -pv.FeederDeltaKW[feeder],
		Short: pv.Short, AvoidableShort: pv.AvoidableShort, UnmetKWh: pv.UnmetKWh, Preview: pv,
		Basis: plan.BasisOf(fc, feeder, base.Start, base.Slot)}, nil
}

// pctOf is level as a whole percentage of limit, rounded up.
func pctOf(level, limit float64) float64 { return math.Ceil(100*level/limit - 1e-9) }

// peakOver is the highest of kw over the slots [from, to).
func peakOver(kw []float64, from, to int) float64 {
	peak := math.Inf(-1)
	for t := from; t < min(to, len(kw)); t++ {
		peak = math.Max(peak, kw[t])
	}
	return peak
}

// shedFloor is the lowest load feeder can be held at in every slot of
// [from, to) by the EVs of prob: per slot, the feeder's forecast load with
// each EV at its least net power that still lets it reach its target
// (dispatch.FleetEnvelope's MinNetKW), the highest over the slots.
//
// The least net power is added to the base load, rather than the
// envelope's import reduction subtracted from the plan's unmanaged curve:
// the two agree only while each EV's unmanaged charging is exactly the
// envelope's reference. The envelope treats each slot on its own and ignores
// feeder limits, so it is an upper bound on flexibility: holding the floor in
// one slot spends energy the next assumed, and the plan may still fall short
// of the cap when several slots of the window need the full envelope at once
// (Suggest then raises the cap to what the plan holds).
func shedFloor(prob *dispatch.Problem, feeder string, from, to int) (float64, error) {
	var base []float64
	for i := range prob.Feeders {
		if prob.Feeders[i].ID == feeder {
			base = prob.Feeders[i].BaseKW
		}
	}
	if base == nil {
		return 0, fmt.Errorf("feeder %q is not in the plan", feeder)
	}
	sub := *prob
	sub.EVs = nil
	for _, ev := range prob.EVs {
		if ev.Feeder == feeder {
			sub.EVs = append(sub.EVs, ev)
		}
	}
	env, err := dispatch.FleetEnvelope(&sub)
	if err != nil {
		return 0, fmt.Errorf("envelope of %q: %w", feeder, err)
	}
	floor := make([]float64, len(base))
	for t := range floor {
		floor[t] = base[t] + env.MinNetKW[t]
	}
	return peakOver(floor, from, to), nil
}

// freeID returns id, or id with the first free suffix ("-2", "-3", ...)
// when an event already has it: a suggestion proposed, cancelled and
// proposed again in the same minute was refused as "the id is taken".
func (c *Controller) freeID(id string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, taken := c.events[id]; !taken {
		return id
	}
	for n := 2; ; n++ {
		if alt := fmt.Sprintf("%s-%d", id, n); c.events[alt] == nil {
			return alt
		}
	}
}
