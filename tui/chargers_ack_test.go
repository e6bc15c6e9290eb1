package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// latestGuard is a guard's counters and each charger's latest setpoint
// with its result, as *adapters.Guard gives them.
type latestGuard struct {
	latest map[string]adapters.Outcome
	asked  int // Latest calls
}

func (g *latestGuard) Stats() adapters.GuardStats { return adapters.GuardStats{} }

func (g *latestGuard) Latest(charger string) (adapters.Outcome, bool) {
	g.asked++
	o, ok := g.latest[charger]
	return o, ok
}

// TestChargersListAckIsTheGuards: the chargers list's "last ack" column
// says what the charger's page says, from the guard's latest result when
// the telemetry carries no newer ack (an adapter whose acks do not come
// back over the feed; a timeout, which no feed acks), worded the same; only
// the visible rows ask the guard. Before, the column read "—" where the
// page read "✕ timed out 18:04" (now △: the charger may hold it).
func TestChargersListAckIsTheGuards(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		at := fx.snap.At
		// c0 and c1 have no ack in the telemetry; acked has one, newer
		// than the guard's result, which it keeps.
		var plain []feeds.ChargerStatus
		var acked feeds.ChargerStatus
		for i := 0; i < 20; i++ {
			c := fx.snap.ChargerAt(i)
			switch {
			case c.LastAck == nil:
				plain = append(plain, c)
			case acked.ID == "":
				acked = c
			}
		}
		if len(plain) < 2 || acked.ID == "" {
			t.Fatalf("the fixture's first 20 chargers: %d without a telemetry ack, acked %q", len(plain), acked.ID)
		}
		c0, c1 := plain[0], plain[1]
		g := &latestGuard{latest: map[string]adapters.Outcome{
			acked.ID: {Setpoint: adapters.Setpoint{Charger: acked.ID, KW: 1},
				Result: adapters.Result{Charger: acked.ID, Status: adapters.StatusTimeout, At: acked.LastAck.TS.Add(-time.Minute)}},
			c0.ID: {Setpoint: adapters.Setpoint{Charger: c0.ID, KW: 3, ValidUntil: at.Add(15 * time.Minute)},
				Result: adapters.Result{Charger: c0.ID, Status: adapters.StatusTimeout, At: at.Add(-time.Minute)}},
			c1.ID: {Setpoint: adapters.Setpoint{Charger: c1.ID, KW: 3.2, ValidUntil: at.Add(15 * time.Minute)},
				Result: adapters.Result{Charger: c1.ID, Status: adapters.StatusAccepted, AppliedKW: 3.2, At: at.Add(-2 * time.Minute)}},
		}}
		m := overviewWith(t, lang, g, nil, 160, 45)
		runKeys(m, "3")
		list := ansi.Strip(m.View())
		g.asked = 0
		m.View()
		if g.asked == 0 || g.asked > 45 {
			t.Errorf("%s: one view of the list asked the guard %d times, want once per visible row", lang, g.asked)
		}
		// △: with no answer the charger may hold it (✕ is for one not
		// in force).
		timedOut := "△ " + m.tr.t("timed out") + " " + hhmm(at.Add(-time.Minute), m.loc())
		accepted := "✓ " + m.tr.t("accepted") + " 3.2 " + hhmm(at.Add(-2*time.Minute), m.loc())
		kept := m.ackText(acked.LastAck, false, false)
		for _, want := range []struct{ id, ack string }{{c0.ID, timedOut}, {c1.ID, accepted}, {acked.ID, kept}} {
			row := lineWith(list, " "+want.id+" ")
			if !strings.Contains(row, want.ack) {
				t.Errorf("%s: %s's row %q lacks the guard's %q", lang, want.id, row, want.ack)
			}
		}
		// The page says the same (with the unit, which a timeout has not).
		runKeys(m, "/")
		for _, r := range c0.ID {
			runKeys(m, string(r))
		}
		runKeys(m, "EE")
		page := ansi.Strip(m.View())
		if !strings.Contains(page, m.tr.t("Charger")+" "+c0.ID) || !strings.Contains(page, timedOut) {
			t.Errorf("%s: %s's page lacks %q:\n%s", lang, c0.ID, timedOut, page)
		}
		// Its setpoint: no answer, so it may hold it until its validity
		// (the page said nothing of it).
		mayHold := map[string]string{"": "— · △ the latest, 3.0 kW, no answer: may hold it until ", "zh-CN": "— · △ 最近一个 3.0 kW, 无应答: 可能仍执行至 "}[lang] +
			hhmm(at.Add(15*time.Minute), m.loc())
		if !strings.Contains(page, mayHold) {
			t.Errorf("%s: %s's page lacks %q:\n%s", lang, c0.ID, mayHold, page)
		}
	}
}

// lineWith is the first line of screen containing s, or "".
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestChargersListSetpointIsTheGuards: under a DR event the simulator's
// telemetry carries no setpoint, and the lists' "setpoint kW" column read
// "—" for a charger held at 0.0 kW while its page said "0.0 kW · valid to
// 19:35": an on-call engineer watching setpoints go out saw none. The
// column shows the guard's applied setpoint while it is valid, and "—"
// once it has expired or when it was not applied, as the page does.
func TestChargersListSetpointIsTheGuards(t *testing.T) {
	fx := demo(t)
	at := fx.snap.At
	var plain []feeds.ChargerStatus
	for i := 0; i < 40 && len(plain) < 3; i++ {
		if c := fx.snap.ChargerAt(i); c.Seen && c.Last.SetpointKW == nil {
			plain = append(plain, c)
		}
	}
	if len(plain) < 3 {
		t.Fatalf("the fixture's first 40 chargers have %d without a telemetry setpoint, want 3", len(plain))
	}
	held, expired, refused := plain[0], plain[1], plain[2]
	outcome := func(c feeds.ChargerStatus, kw float64, st adapters.Status, until time.Time) adapters.Outcome {
		return adapters.Outcome{Setpoint: adapters.Setpoint{Charger: c.ID, KW: kw, ValidUntil: until},
			Result: adapters.Result{Charger: c.ID, Status: st, AppliedKW: kw, At: at.Add(-time.Minute)}}
	}
	g := &latestGuard{latest: map[string]adapters.Outcome{
		held.ID:    outcome(held, 0, adapters.StatusAccepted, at.Add(17*time.Minute)),
		expired.ID: outcome(expired, 2.5, adapters.StatusAccepted, at.Add(-time.Second)),
		refused.ID: outcome(refused, 4.2, adapters.StatusRejected, at.Add(17*time.Minute)),
	}}
	m := overviewWith(t, "", g, nil, 160, 45)
	runKeys(m, "3")
	list := ansi.Strip(m.View())
	for _, want := range []struct {
		id, setpoint string
	}{{held.ID, "0.0 ✓"}, {expired.ID, "— ✓"}, {refused.ID, "— ✕"}} {
		if row := lineWith(list, " "+want.id+" "); !strings.Contains(row, want.setpoint) {
			t.Errorf("%s's row %q: want its setpoint and ack to read %q", want.id, row, want.setpoint)
		}
	}
	// The charger's page agrees, with its validity.
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, ":charger "+held.ID+"E")
	page := ansi.Strip(m.View())
	if want := "0.0 kW · in force until " + hhmm(at.Add(17*time.Minute), m.loc()); !strings.Contains(page, want) {
		t.Errorf("%s's page lacks %q:\n%s", held.ID, want, page)
	}
}
