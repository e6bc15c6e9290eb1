package control

import (
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestPriceEventDetailGivesTheCurrency: the audit journal described a
// price event as "price 2.50/kWh on system …", a price without its
// currency for an auditor to guess. It gives the unit the plan's tariffs
// and the desk use: "price 2.50 ¥/kWh".
func TestPriceEventDetailGivesTheCurrency(t *testing.T) {
	r := newRig(t, nil)
	price := 2.5
	ev := capF1("P-1", 120)
	ev.Kind, ev.Scope, ev.KW, ev.Price = feeds.EventPrice, feeds.ScopeSystem, 0, &price
	if _, err := r.c.Propose(ev, OriginOperator, ana); err != nil {
		t.Fatal(err)
	}
	want := "price 2.50 ¥/kWh on system " + ev.Start.Format("15:04") + "–" + ev.End.Format("15:04")
	if len(r.j.recs) != 1 || r.j.recs[0].Kind != RecDispatchPropose || r.j.recs[0].Detail != want {
		t.Fatalf("journal = %+v, want one propose record with detail %q", r.j.recs, want)
	}
}
