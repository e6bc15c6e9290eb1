package replay

import (
	"fmt"
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// A recording of a feed whose hello is over feeds.MaxFrameBytes (a site of
// tens of thousands of chargers) keeps that hello, as a line and as the
// header's topology, and reads back whole.
func TestRoundTripLargeHello(t *testing.T) {
	frames := testFrames(t, 3)
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Test", TimeZone: "Asia/Shanghai",
		TS: t0, Mode: "simulation", Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 100}}}
	for i := range 20000 {
		hello.Chargers = append(hello.Chargers, feeds.ChargerInfo{ID: fmt.Sprintf("CP-%06d", i), Feeder: "F01", MaxChargeKW: 7, Adapter: "sim"})
	}
	hello.Chargers[0].ID = "CP-0001" // the charger testFrames reports
	frames[0] = mustJSON(t, hello)
	if len(frames[0]) <= feeds.MaxFrameBytes {
		t.Fatalf("hello is %d bytes, want over feeds.MaxFrameBytes", len(frames[0]))
	}
	rec, err := ReadFile(record(t, frames, 2))
	if err != nil {
		t.Fatal(err)
	}
	if top := rec.Header.Topology; top == nil || len(top.Chargers) != 20000 {
		t.Fatalf("header topology = %v, want the 20000-charger hello", top != nil)
	}
	if len(rec.Entries) != len(frames) || rec.Report.Skipped != 0 {
		t.Fatalf("read %d entries of %d, report %+v", len(rec.Entries), len(frames), rec.Report)
	}
	if string(rec.Entries[0].Frame) != string(frames[0]) {
		t.Errorf("hello line differs from the hello recorded")
	}
}
