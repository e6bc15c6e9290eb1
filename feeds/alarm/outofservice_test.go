package alarm

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestAlarmsOfSourcesThatLeftTheTopology: a hello that leaves out
// chargers and a feeder (decommissioned) takes their alarms off the list,
// shelved or unacknowledged (an acknowledged one clears as its condition
// goes, as always), and one warning in the log counts and names them;
// the alarms of the sources still there stay as they were. They stayed for
// ever, RTN UNACK, and a live desk's list grew with every charger a site
// retired.
func TestAlarmsOfSourcesThatLeftTheTopology(t *testing.T) {
	r := newFleetRig(t)
	var logged bytes.Buffer
	r.eng.opts.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	// CP-3 reports faulted, CP-2 goes silent, F01 goes over its limit.
	step := func(d time.Duration, silent ...string) *Board {
		r.charger("CP-3", feeds.StateFaulted)
		return r.step(d, 1050, silent...)
	}
	step(time.Second)
	step(40 * time.Second)
	b := step(30*time.Second, "CP-2")
	for _, id := range []string{"fault/CP-3", "loading/F01"} {
		if _, ok := b.Find(id); !ok {
			t.Fatalf("no %s before the new hello: %+v", id, b.Alarms)
		}
	}
	for range 3 { // CP-2 and F02 silent for longer than StaleAfter
		b = step(time.Minute, "CP-2", "F02")
	}
	for _, id := range []string{"comm_lost/CP-2", "stale_feed/F02"} {
		if _, ok := b.Find(id); !ok {
			t.Fatalf("no %s before the new hello: %+v", id, b.Alarms)
		}
	}
	if err := r.eng.Ack("fault/CP-3", "ana"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.Shelve("comm_lost/CP-2", "ana", "retired tomorrow", time.Hour); err != nil {
		t.Fatal(err)
	}

	// CP-2 and CP-3 retired, and F02 with CP-3.
	r.send(feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Test", TimeZone: "UTC", TS: r.now,
		Feeders:  []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 1000}},
		Chargers: []feeds.ChargerInfo{{ID: "CP-1", Feeder: "F01", MaxChargeKW: 11, MaxDischargeKW: 11}}})
	b = r.step(time.Second, 1050, "CP-2", "F02")
	var ids []string
	for _, a := range b.Alarms {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, " ") != "loading/F01" {
		t.Errorf("alarms after the hello: %v; want loading/F01 alone", ids)
	}
	if b.Counts.Listed != 1 || b.Counts.Unack != 1 {
		t.Errorf("counts after the hello: %+v; want 1 listed, 1 unacknowledged", b.Counts)
	}
	log := logged.String()
	for _, want := range []string{"level=WARN", "alarms=2", "unacknowledged=1", "ids=\"comm_lost/CP-2, stale_feed/F02\""} {
		if !strings.Contains(log, want) {
			t.Errorf("log: no %q in\n%s", want, log)
		}
	}
	if _, ok := r.eng.timed["comm_lost/CP-2"]; ok {
		t.Error("CP-2's shelving is still timed")
	}

	// The same topology again (a reconnect's hello) drops nothing more
	// and logs nothing more.
	logged.Reset()
	b = r.step(time.Second, 1050, "CP-2", "F02")
	if len(b.Alarms) != 1 || logged.Len() != 0 {
		t.Errorf("a second look: %d alarms, log %q", len(b.Alarms), logged.String())
	}
}

// TestDropLeftNamesTheFirstTwenty: a hello that retires many chargers
// logs one line naming the first twenty and counting the rest.
func TestDropLeftNamesTheFirstTwenty(t *testing.T) {
	var logged bytes.Buffer
	e := NewEngine(Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	for i := range 25 {
		id := alarmID(KindCommLost, "CP-"+string(rune('A'+i)))
		e.alarms[id] = &entry{Alarm: Alarm{ID: id, Kind: KindCommLost, Source: id[len("comm_lost/"):], State: StateRTNUnack}}
	}
	fl := feeds.NewFleet(feeds.FleetOptions{})
	if err := fl.Apply(&feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Test", TS: time.Now(),
		Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 1}}}); err != nil {
		t.Fatal(err)
	}
	e.dropLeft(fl.Snapshot())
	if len(e.alarms) != 0 {
		t.Errorf("%d alarms left", len(e.alarms))
	}
	if log := logged.String(); !strings.Contains(log, "comm_lost/CP-T, and 5 more\"") || !strings.Contains(log, "alarms=25") {
		t.Errorf("log: %s", log)
	}
}
