package control

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// catchUpRecording writes a recorded simulated day from 16:00 to until on
// a feeder with two chargers, a batch a minute, with the feed's events
// sent after the batch of sentAt.
func catchUpRecording(t *testing.T, until, sentAt time.Time, events ...string) *replay.Recording {
	t.Helper()
	day := time.Date(2024, 1, 17, 16, 0, 0, 0, t0.Location())
	path := filepath.Join(t.TempDir(), "day.v2grec")
	w := replay.NewRecorder(path, replay.RecorderOptions{Source: "test"})
	w.HandleFrame([]byte(`{"v":1,"type":"hello","site":"Test","tz":"Asia/Shanghai","ts":"` + day.Format(time.RFC3339) + `","mode":"simulation",
		"feeders":[{"id":"F1","import_limit_kw":150}],
		"chargers":[{"id":"CP-1","feeder":"F1","max_charge_kw":11,"max_discharge_kw":0},{"id":"CP-2","feeder":"F1","max_charge_kw":11,"max_discharge_kw":0}]}`))
	for at := day; !at.After(until); at = at.Add(time.Minute) {
		ts, dep := at.Format(time.RFC3339), day.Add(8*time.Hour).Format(time.RFC3339)
		var frames []string
		for _, id := range []string{"CP-1", "CP-2"} {
			frames = append(frames, fmt.Sprintf(`{"v":1,"type":"charger","id":"%s","ts":"%s","state":"charging","kw":11,"plugged":true,"soc":0.5,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`, id, ts, dep))
		}
		frames = append(frames, fmt.Sprintf(`{"v":1,"type":"feeder","id":"F1","ts":"%s","kw":102}`, ts))
		w.HandleFrame([]byte(`{"v":1,"type":"batch","frames":[` + strings.Join(frames, ",") + `]}`))
		if at.Equal(sentAt) {
			for _, ev := range events {
				w.HandleFrame([]byte(ev))
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := replay.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// stepEvery is a desk's ingest in miniature: a Fleet fed by the player, and
// the controller stepped after every few frames, as a desk's dispatch loop
// ticks while a catch-up's frames pour in. At the end of the recording it
// steps once more before the fleet hears the end.
type stepEvery struct {
	fleet *feeds.Fleet
	ctl   *Controller
	n     int
	every int
}

func (s *stepEvery) HandleFrame(raw []byte) {
	s.fleet.HandleFrame(raw)
	if s.n++; s.n%s.every == 0 {
		s.ctl.Step(context.Background())
	}
}

func (s *stepEvery) HandleLink(ev feeds.LinkEvent) {
	if ev.End {
		s.ctl.Step(context.Background())
	}
	s.fleet.HandleLink(ev)
}

// TestCatchUpProposalCarriesItsDataTime: a recorded day started at 17:45
// (--start) hands the desk the frames from 16:00 at once. The feed sent
// two events at 16:30 in the recording; the controller, stepped while the
// catch-up's frames came, proposed them at whatever time the catch-up had
// reached, and the journal dated the dispatch_propose records so (16:32 on
// one run, another time on a faster machine). An auditor reads when the
// feed asked: each record says 16:30, the event's time in the data, as a
// play from the start records it, and the desk acts on the events only at
// the target: the one whose window ended in the skip is ended then, never
// confirmed, dated 17:45.
func TestCatchUpProposalCarriesItsDataTime(t *testing.T) {
	day := time.Date(2024, 1, 17, 16, 0, 0, 0, t0.Location())
	at := func(h, m int) time.Time { return day.Add(time.Duration(h-16)*time.Hour + time.Duration(m)*time.Minute) }
	event := func(id string, from, to time.Time) string {
		return `{"v":1,"type":"event","id":"` + id + `","kind":"import_cap","scope":"F1","start":"` + from.Format(time.RFC3339) +
			`","end":"` + to.Format(time.RFC3339) + `","kw":120,"source":"aggregator"}`
	}
	target := at(17, 45)
	rec := catchUpRecording(t, target, at(16, 30),
		event("GRID-17", at(17, 0), at(17, 30)), event("GRID-18", at(18, 30), at(19, 0)))

	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 60, Clock: clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: p.Now, CatchingUp: p.CatchingUp})
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	j.SetDataClock(p.Now) // as the replay's desk dates its records
	ctl, err := New(Options{Fleet: fleet, Journal: j, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Seek(target); err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background(), &stepEvery{fleet: fleet, ctl: ctl, every: 7}); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		kind adapters.RecordKind
		data string
	}
	got := map[string][]seen{}
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		d := "none"
		if r.DataTS != nil {
			d = r.DataTS.In(day.Location()).Format("15:04:05")
		}
		got[r.Event] = append(got[r.Event], seen{r.Kind, d})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]seen{
		"GRID-17": {{RecDispatchPropose, "16:30:00"}, {RecDispatchEnd, "17:45:00"}},
		"GRID-18": {{RecDispatchPropose, "16:30:00"}},
	}
	for id, w := range want {
		if fmt.Sprint(got[id]) != fmt.Sprint(w) {
			t.Errorf("%s's records (kind, data time) %v, want %v", id, got[id], w)
		}
	}
	v, ok := ctl.Event("GRID-18")
	if !ok || v.State != StatePending || !v.Created.Equal(at(16, 30)) {
		t.Errorf("GRID-18: %v %v created %v; want pending, created 16:30 as the journal says", ok, v.State, v.Created)
	}
	v, ok = ctl.Event("GRID-17")
	if !ok || v.State != StateEnded || v.EndWhy.Kind != WhyUnconfirmed {
		t.Errorf("GRID-17: %v %v %q; want ended unconfirmed: its window passed in the skip", ok, v.State, v.EndWhy.Kind)
	}
}
