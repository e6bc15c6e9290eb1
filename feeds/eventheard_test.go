package feeds

import (
	"testing"
	"time"
)

func heardEvent(id, day string) []byte {
	return []byte(`{"v":1,"type":"event","id":"` + id + `","kind":"import_cap","scope":"F1","start":"` + day + `T20:00:00Z","end":"` + day + `T21:00:00Z","kw":80}`)
}

// TestEventHeardAtDuringASignalledCatchUp: a --feed desk's fleet holds its
// clock at 16:05 while a seek to 19:00 is delivered. An event sent after
// the 17:30 load was sent at 17:30 in the data, which is what it says;
// the clock (16:05) is not. A repeat at 18:59 keeps the first time, and a
// reset forgets it with the event.
func TestEventHeardAtDuringASignalledCatchUp(t *testing.T) {
	fl, _ := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
	fl.HandleFrame(feederAtHHMM("17:30"))
	fl.HandleFrame(heardEvent("E1", "2024-01-17"))
	fl.HandleFrame(feederAtHHMM("18:59"))
	fl.HandleFrame(heardEvent("E1", "2024-01-17"))
	s := fl.Snapshot()
	if want := time.Date(2024, 1, 17, 17, 30, 0, 0, time.UTC); !s.EventHeardAt("E1").Equal(want) {
		t.Errorf("E1 heard at %v, want %v (the data time it was sent at; the clock reads %v)", s.EventHeardAt("E1"), want, s.At)
	}
	if got := s.EventHeardAt("E2"); !got.IsZero() {
		t.Errorf("an unknown event heard at %v, want zero", got)
	}
	fl.HandleLink(LinkEvent{Up: true, Reset: true})
	if got := fl.Snapshot().EventHeardAt("E1"); !got.IsZero() {
		t.Errorf("after a reset E1 heard at %v, want zero: the fleet forgot it", got)
	}
}

// TestEventHeardAtOnALiveFeed: a live feed's event is heard at the fleet
// clock (the wall's), not at its newest measurement.
func TestEventHeardAtOnALiveFeed(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "live")
	fl.HandleFrame(heardEvent("E1", "2026-11-27"))
	if got := fl.Snapshot().EventHeardAt("E1"); !got.Equal(*wall) {
		t.Errorf("E1 heard at %v, want the wall clock %v", got, *wall)
	}
}
