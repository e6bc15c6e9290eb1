package control

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A charger of an event in force whose telemetry goes stale (the feed lost,
// the charger silent past the fleet's stale time) drops out of the planner's
// model: nothing is known of its state of charge. Left out of the re-plans,
// its setpoint would expire at its validity and it would go back to
// unmanaged charging while nobody can see it, and the load would rebound
// over the cap when the data returns. So the controller holds it instead:
// at every re-plan while the event is in force (its window and its
// hand-back, both bounded), it gets its last setpoint's import limit again,
// never more, and never a discharge (a stale SoC may be at the driver's
// minimum), with the usual validity, journalled as a hold on stale data.
// docs/operations.md ("Feed lost during an event") gives the rule.

// heldCharger is a charger of an event kept at its last import limit
// because its telemetry is stale.
type heldCharger struct {
	charger, feeder string
	// kw is the limit kept: the charger's last setpoint of the event, or 0
	// when that was a discharge.
	kw float64
	// lastHeard is the time of its latest telemetry.
	lastHeard time.Time
	// The room the plan leaves it on its feeder (holdroom.go): roomKW,
	// and when full (its latest setpoint not acknowledged) fullKW, the
	// most it can import, from fullFrom on.
	roomKW   float64
	full     bool
	fullKW   float64
	fullFrom time.Time
}

// staleHoldsLocked returns the chargers of e to hold on stale data at snap,
// by charger id: those that hold (or may hold) a setpoint of e, whose
// telemetry is stale and whose EV was plugged when last heard. Callers hold
// c.mu.
func (c *Controller) staleHoldsLocked(e *entry, snap *feeds.Snapshot) []heldCharger {
	var out []heldCharger
	for id, kw := range e.lastKW {
		ch, ok := snap.Charger(id)
		if !ok || !ch.Seen || !ch.Stale || !ch.Last.Plugged {
			continue
		}
		// A discharge on stale data could take the battery under the
		// driver's minimum, unseen: 0 kW is the most it keeps.
		h := heldCharger{charger: id, feeder: ch.Feeder, kw: math.Max(0, kw), lastHeard: ch.Last.TS}
		h.roomKW = h.kw
		roomFor(e, &h, ch, snap.At)
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b heldCharger) int { return strings.Compare(a.charger, b.charger) })
	return out
}

// heldForecaster adds the room of the held chargers to the base load of
// their feeders: the plan of the chargers still heard then leaves room for
// them, as if they drew their whole limit for the horizon (the most they
// can), or their full power from when their last acknowledged setpoint
// lapses when their latest was not acknowledged (holdroom.go).
type heldForecaster struct {
	base plan.Forecaster
	// kw is the room taken in every slot, by feeder; steps the chargers
	// whose room rises to their full power at a time, by feeder, by time.
	kw    map[string]float64
	steps map[string][]roomStep
}

// roomStep is a held charger's room rising by kw from a time on.
type roomStep struct {
	from time.Time
	kw   float64
}

// BaseKW implements plan.Forecaster.
func (h heldForecaster) BaseKW(feeder string, start time.Time, slot time.Duration, n int) []float64 {
	// A copy: a scenario's forecaster may hand out its own slice.
	b := slices.Clone(h.base.BaseKW(feeder, start, slot, n))
	steps := h.steps[feeder]
	x, next := h.kw[feeder], 0
	for t := range b {
		// A slot takes the full power of a charger that may draw it for
		// any part of it: the feeder's limit is on power, not energy.
		end := start.Add(time.Duration(t+1) * slot)
		for next < len(steps) && end.After(steps[next].from) {
			x += steps[next].kw
			next++
		}
		b[t] += x
	}
	return b
}

// withHeld returns base with the held chargers' room added (base itself
// when none are held).
func withHeld(base plan.Forecaster, held []heldCharger) plan.Forecaster {
	if len(held) == 0 {
		return base
	}
	kw, steps := map[string]float64{}, map[string][]roomStep{}
	for _, h := range held {
		kw[h.feeder] += h.roomKW
		if h.full && h.fullKW > h.roomKW {
			steps[h.feeder] = append(steps[h.feeder], roomStep{from: h.fullFrom, kw: h.fullKW - h.roomKW})
		}
	}
	for _, s := range steps {
		slices.SortFunc(s, func(a, b roomStep) int { return a.from.Compare(b.from) })
	}
	return heldForecaster{base: base, kw: kw, steps: steps}
}

// holdValidUntil is the validity of a hold made with plan p: that of p's
// own setpoints, the end of its first slot plus the grace.
func (c *Controller) holdValidUntil(p *plan.Plan) time.Time {
	grace := c.opts.Plan.Grace
	if grace == 0 {
		grace = 5 * time.Minute // plan.Options' default
	}
	return p.SlotStart(1).Add(grace)
}

// HoldText is the reason a hold on stale data carries, after the plan's,
// for the peer and the journal: "held on stale data: not heard since
// 18:04, last import limit 3.7 kW kept, no discharge".
func HoldText(lastHeard time.Time, kw float64) string {
	return fmt.Sprintf("held on stale data: not heard since %s, last import limit %s kW kept, no discharge",
		lastHeard.Format("15:04"), kwText(kw))
}

// kwText is a kW figure as the journal words it: one decimal, none when
// whole ("0", not "0.0" for a solver's 1e-8 kW).
func kwText(kw float64) string {
	kw = math.Round(kw*10) / 10
	if kw == math.Trunc(kw) {
		return fmt.Sprintf("%.0f", kw+0) // +0: no "-0"
	}
	return fmt.Sprintf("%.1f", kw)
}

// keepLastLocked, as a plan with held is sent at now, forgets the last
// setpoint of the chargers neither in pv nor held (heard again and left
// out of the plan: unplugged, or charging as they would; they are not held
// if they go stale later), and records who is asked to be held since when
// in e's progress. Callers hold c.mu.
func (c *Controller) keepLastLocked(e *entry, pv *plan.Preview, held []heldCharger, now time.Time) {
	keep := make(map[string]bool, len(pv.Setpoints)+len(held))
	for _, s := range pv.Setpoints {
		keep[s.Charger] = true
	}
	isHeld := make(map[string]bool, len(held))
	for _, h := range held {
		keep[h.charger], isHeld[h.charger] = true, true
	}
	for id := range e.lastKW {
		if !keep[id] {
			delete(e.lastKW, id)
		}
	}
	for id := range e.answers {
		if !keep[id] {
			delete(e.answers, id)
		}
	}
	for id := range e.heldSince {
		if !isHeld[id] {
			delete(e.heldSince, id)
		}
	}
	// Held counts acknowledged holds only, HeldUnknown those not
	// answered: none yet (send counts them as their answers come, and
	// sets HeldUntil).
	e.progress.HeldAsked, e.progress.Held, e.progress.HeldUnknown = len(held), 0, 0
	e.progress.HeldUntil, e.progress.HeldSince, e.progress.HeldLastHeard = time.Time{}, time.Time{}, time.Time{}
	e.progress.HeldFull, e.progress.HeldFullKW, e.progress.HeldFullFrom = 0, 0, time.Time{}
	for _, h := range held {
		if h.full {
			e.progress.HeldFull++
			e.progress.HeldFullKW += h.fullKW
			if e.progress.HeldFullFrom.IsZero() || h.fullFrom.Before(e.progress.HeldFullFrom) {
				e.progress.HeldFullFrom = h.fullFrom
			}
		}
		if e.heldSince == nil {
			e.heldSince = map[string]time.Time{}
		}
		since, ok := e.heldSince[h.charger]
		if !ok {
			since = now
			e.heldSince[h.charger] = now
		}
		if e.progress.HeldSince.IsZero() || since.Before(e.progress.HeldSince) {
			e.progress.HeldSince = since
		}
		if e.progress.HeldLastHeard.IsZero() || h.lastHeard.Before(e.progress.HeldLastHeard) {
			e.progress.HeldLastHeard = h.lastHeard
		}
	}
}
