package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// writePreview prints what a dispatch would do: the scope's load before and
// after per slot through the event's window, and the figures a dispatcher
// confirms on.
func writePreview(w io.Writer, v control.EventView, mode feeds.Mode) {
	pv := v.Preview
	ev := v.Event
	fmt.Fprintf(w, "Dispatch preview · %s · %s · %s\n", ev.ID, control.Describe(ev), mode)
	before, after := pv.ScopeCurves()
	capKW := math.NaN()
	switch ev.Kind {
	case feeds.EventImportCap:
		capKW = ev.KW
	case feeds.EventExport:
		capKW = -ev.KW
	}
	type previewRow struct {
		at               string
		before, after, c string
		mark             string
	}
	var rows []previewRow
	// The rows are now, then the slot boundaries on the clock (the quarter
	// hours), each with the plan in force at that time, as the desk's
	// chart draws it. The plan itself starts at the current minute (it
	// never counts on the part of a slot already gone) and is re-planned
	// on the next boundary, by the desk and by --follow alike: rows at
	// 17:42, 17:57, … named slots that no plan after the first would use.
	for row, at := 0, pv.Start; ; row++ {
		t := int(at.Sub(pv.Start) / pv.Slot)
		if t >= len(after) || !at.Before(ev.End.Add(2*pv.Slot)) || row >= 24 {
			break
		}
		next := at.Truncate(pv.Slot).Add(pv.Slot)
		c := "        –"
		in := at.Before(ev.End) && next.After(ev.Start)
		if in && ev.Kind == feeds.EventShed {
			c = kwColumn(before[t] - ev.KW)
		} else if in && !math.IsNaN(capKW) {
			c = kwColumn(capKW)
		}
		mark := " "
		if !math.IsNaN(capKW) && in && after[t] > capKW+0.5 {
			mark = "!"
		}
		// A window past midnight: "00:15 (+1 d)", as the event's title
		// marks its end.
		rows = append(rows, previewRow{at.In(ev.Start.Location()).Format("15:04") + control.DayMark(at, pv.Start, ev.Start.Location()),
			kwColumn(before[t]), kwColumn(after[t]), c, mark})
		at = next
	}
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r.at))
	}
	// The header's columns move with a marked time column. An export or a
	// shed is held to a target, not a cap: its column says so, and the line
	// under the rows names it as the desk's chart does (an export's at
	// minus the export, net export being a negative load).
	head := "      cap"
	if ev.Kind == feeds.EventExport || ev.Kind == feeds.EventShed {
		head = "   target"
	}
	fmt.Fprintf(w, "\n%s load, kW%s   before    after%s\n", ev.Scope, strings.Repeat(" ", max(0, width-5)), head)
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s      %s %s%s%s\n", width, r.at, r.before, r.after, r.mark, r.c)
	}
	if ev.Kind == feeds.EventExport || ev.Kind == feeds.EventShed {
		fmt.Fprintf(w, "  target column: %s\n", tui.TargetLegend(ev.Kind, ev.KW))
	}
	fmt.Fprintf(w, "\nEVs affected %s of %s (%s discharging)   energy shifted %s   V2G export %s\n",
		count(pv.Affected), count(pv.EVs), count(pv.Discharging), kwh(pv.ShiftedKWh), kwh(pv.ExportKWh))
	fmt.Fprintf(w, "unmet energy %s · %s %s short (%s who would have made it unmanaged)\n", kwh(pv.UnmetKWh), count(pv.Short), pluralForm(pv.Short, "EV", "EVs"), count(pv.AvoidableShort))
	fmt.Fprintf(w, "cost %s (%s against unmanaged)   solved in %s · certified gap %.0e · %s\n",
		tui.Yuan(pv.Cost), tui.SignedYuan(pv.CostDelta), pv.SolveTime.Round(time.Millisecond), pv.Gap, pv.Status)
	var parts []string
	ids := make([]string, 0, len(pv.FeederDeltaKW))
	for id, d := range pv.FeederDeltaKW {
		if math.Abs(d) >= 0.5 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s %s%s kW", id, sign(pv.FeederDeltaKW[id]), numtext.KW(math.Abs(pv.FeederDeltaKW[id]))))
	}
	parts = append(parts, fmt.Sprintf("system %s%s kW", sign(pv.SystemDeltaKW), numtext.KW(math.Abs(pv.SystemDeltaKW))))
	fmt.Fprintf(w, "change now against unmanaged charging: %s\n", strings.Join(parts, " · "))
	if now := pv.EventNowKW(); !math.IsNaN(now) {
		// Apart from what time-of-use prices move anyway.
		plain := pv.PlainNowKW()
		note := ""
		if now >= 0.5 {
			note = " (charging brought forward ahead of the cap)"
		}
		fmt.Fprintf(w, "of which a plan without the event (prices, limits): %s %s%s kW · the event itself: %s%s kW, cost %s%s\n",
			ev.Scope, sign(plain), numtext.KW(math.Abs(plain)), sign(now), numtext.KW(math.Abs(now)), tui.SignedYuan(pv.EventCost()), note)
	}
	if pv.CapMissed() {
		fmt.Fprintf(w, tui.CapShortfallText(ev.Kind)+"\n", kwh(pv.CapShortfallKWh))
	}
	second := ""
	if v.NeedsSecond {
		second = fmt.Sprintf(" (large dispatch, moves %s kW: a second confirmation is needed)", numtext.KW(v.MovedKW))
	}
	// Counted as the desk's enter line counts them: a setpoint for every
	// EV planned, and of them those that change power (the others leave
	// their EV as it would be).
	fmt.Fprintf(w, "%s for the slot from %s%s\n", tui.SetpointsText(len(pv.Setpoints), plan.Changing(pv.Setpoints)),
		pv.Start.In(ev.Start.Location()).Format("15:04"), second)
}

// writeProgress prints one line for the latest send.
func writeProgress(w io.Writer, v control.EventView) {
	p := v.Progress
	at := v.LastPlan.In(v.Event.Start.Location()).Format("15:04")
	fmt.Fprintf(w, "%s plan %d (%s): %s of %s answered: %s", at, v.Plans, v.LastReason,
		count(p.Done), count(p.Sent), statusLine(p.ByStatus))
	if p.Late > 0 {
		fmt.Fprintf(w, " (%d of them answered late)", p.Late)
	}
	if n := len(v.Track); n > 0 {
		last := v.Track[n-1]
		fmt.Fprintf(w, " · %s %s kW", v.Event.Scope, numtext.KW(last.MeasuredKW))
		if !math.IsNaN(last.CapKW) {
			// In the desk's words: an export read "(cap −2,000)" where
			// its page says "export target 2,000 kW".
			fmt.Fprintf(w, " (%s)", tui.TargetText(v.Event.Kind, last.CapKW))
		}
		if last.Stale {
			// Its last measurement, not the load now (a lost feed).
			fmt.Fprintf(w, " (stale: last measured %s, the cap is not judged)", last.MeasuredAt.In(v.Event.Start.Location()).Format("15:04"))
		}
	}
	fmt.Fprintln(w)
	loc := v.Event.Start.Location()
	none := tui.ReachedNone(p)
	switch {
	case p.HeldAsked > 0 && p.Held == 0 && none:
		// The hold went out on the path that failed (the feed carrying
		// the setpoints lost, the adapter down): not kept, as the desk's
		// page says.
		fmt.Fprintf(w, "    ✕ %s on stale data since %s (last heard %s) %s not held: none of this plan's setpoints was applied (below); %s\n",
			chargersText(p.HeldAsked), p.HeldSince.In(loc).Format("15:04"), p.HeldLastHeard.In(loc).Format("15:04"), pluralForm(p.HeldAsked, "is", "are"), lapseLine(p, v.LastPlan, loc))
	case p.Held > 0:
		held := fmt.Sprintf("△ %s held on stale data since %s (last heard %s): last import limit kept, no discharge",
			chargersText(p.Held), p.HeldSince.In(loc).Format("15:04"), p.HeldLastHeard.In(loc).Format("15:04"))
		if !p.HeldUntil.IsZero() {
			held += "; in force until " + p.HeldUntil.In(loc).Format("15:04")
		}
		fmt.Fprintf(w, "    %s\n", held)
	case none:
		if p.Sent == 1 {
			fmt.Fprintf(w, "    ✕ this plan's 1 setpoint was not applied (below); %s\n", lapseLine(p, v.LastPlan, loc))
		} else {
			fmt.Fprintf(w, "    ✕ none of this plan's %s setpoints was applied (below); %s\n", count(p.Sent), lapseLine(p, v.LastPlan, loc))
		}
	}
	// The three cases of a hold, as the desk's page words them: held
	// (above), no answer (the charger may hold it), not in force.
	if p.HeldUnknown > 0 && !p.HeldUntil.IsZero() {
		fmt.Fprintf(w, "    △ %s on stale data: hold sent, %s\n", chargersText(p.HeldUnknown), mayHoldUntil(p.HeldUntil, loc))
	}
	if n := tui.HoldsNotApplied(p); n > 0 && !none {
		// As the desk's page says it: the held line counts only the
		// holds acknowledged.
		if n == 1 {
			fmt.Fprintf(w, "    ✕ 1 charger on stale data is not held: its hold is not in force (refused, failed or not sent; below)\n")
		} else {
			fmt.Fprintf(w, "    ✕ %s chargers on stale data are not held: their hold is not in force (refused, failed or not sent; below)\n", count(n))
		}
	}
	if p.HeldFull > 0 {
		// What the plan assumed of them, as the desk's page says it.
		fmt.Fprintf(w, "    △ %s on stale data, latest setpoint not acknowledged: planned as if drawing %s kW from %s\n",
			chargersText(p.HeldFull), numtext.KW(p.HeldFullKW), p.HeldFullFrom.In(loc).Format("15:04"))
	}
	if p.Unanswered > p.HeldUnknown && !p.UnansweredUntil.IsZero() {
		// Holds included; when they are all holds, said above already.
		fmt.Fprintf(w, "    △ %s: latest setpoint sent, %s\n", chargersText(p.Unanswered), mayHoldUntil(p.UnansweredUntil, loc))
	}
	for _, r := range tui.NotApplied(p.Failed) {
		fmt.Fprintf(w, "    not applied: %s\n", r)
	}
	if v.Alarm != nil && v.Alarm.Active() {
		fmt.Fprintf(w, "    ▲ %s: %s kW against %s\n", tui.TargetMissedText(v.Event.Kind, v.Alarm.Since.Format("15:04")),
			numtext.KW(v.Alarm.MeasuredKW), tui.TargetText(v.Event.Kind, v.Alarm.CapKW))
	}
}

// mayHoldUntil is a setpoint with no answer as the desk words it (tui,
// mayHoldUntil): "no answer: may hold it until 18:35".
func mayHoldUntil(until time.Time, loc *time.Location) string {
	return "no answer: may hold it until " + until.In(loc).Format("15:04")
}

// lapseLine says what an event's chargers follow once its plan of now
// reached none of them, as the desk's page does (tui, lapseText).
func lapseLine(p control.Progress, now time.Time, loc *time.Location) string {
	switch {
	case p.ValidUntil.IsZero():
		return "its chargers follow no setpoint of the event"
	case !now.Before(p.ValidUntil):
		return "its chargers follow no setpoint of the event since " + p.ValidUntil.In(loc).Format("15:04")
	}
	return "its chargers follow its earlier setpoints at most until " + p.ValidUntil.In(loc).Format("15:04") + ", then none"
}

// statusLine is "1,911 accepted · 2 clamped · 1 failed", grouped as the
// desk groups counts.
func statusLine(m map[adapters.Status]int) string {
	var parts []string
	for _, s := range []adapters.Status{adapters.StatusAccepted, adapters.StatusClamped, adapters.StatusRejected, adapters.StatusFailed, adapters.StatusTimeout, adapters.StatusUnverified} {
		if m[s] > 0 {
			parts = append(parts, count(m[s])+" "+string(s))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " · ")
}

// kwh is an energy in kWh, or MWh from 1,000 kWh.
func kwh(x float64) string {
	if math.Abs(x) >= 1000 {
		return fmt.Sprintf("%.1f MWh", x/1000)
	}
	return fmt.Sprintf("%.0f kWh", x)
}

func sign(x float64) string {
	if x < -0.5 {
		return "−"
	}
	return "+"
}

// kwColumn is a power right-aligned in the preview table's 9 columns. The
// minus sign is one column but three bytes, which fmt's %9s counts, so a
// negative figure (an export cap, a load that exports) stood three columns
// left of the others.
func kwColumn(kw float64) string {
	s := numtext.KW(kw)
	return strings.Repeat(" ", max(0, 9-utf8.RuneCountInString(s))) + s
}

// chargersText counts chargers as the progress lines do: "1 charger",
// "1,204 chargers".
func chargersText(n int) string {
	return count(n) + " " + pluralForm(n, "charger", "chargers")
}
