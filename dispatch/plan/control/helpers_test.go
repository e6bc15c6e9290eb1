package control

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

var t0 = time.Date(2024, 2, 4, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))

// testSite is a fleet on a clock the test moves: F1 (limit 150 kW, base
// 80 kW) with ten 11 kW chargers, five of them bidirectional, and F2 (limit
// 500 kW, base 100 kW) with two 7 kW chargers.
type testSite struct {
	t   *testing.T
	mu  sync.Mutex
	now time.Time
	fl  *feeds.Fleet
	kw  map[string]float64 // charger power the site reports
	soc float64            // state of charge every EV reports (target 0.8)
}

func newSite(t *testing.T) *testSite { return newSiteMode(t, "") }

// newSiteMode is newSite with the hello's mode ("simulation", "replay"; ""
// says none, a live feed).
func newSiteMode(t *testing.T, mode string) *testSite {
	s := &testSite{t: t, now: t0, kw: map[string]float64{}, soc: 0.5}
	s.fl = feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	var chargers []string
	for i := 0; i < 10; i++ {
		dis := 0.0
		if i < 5 {
			dis = 11
		}
		chargers = append(chargers, fmt.Sprintf(`{"id":"CP-%02d","feeder":"F1","max_charge_kw":11,"max_discharge_kw":%g}`, i, dis))
		s.kw[fmt.Sprintf("CP-%02d", i)] = 11
	}
	for i := 0; i < 2; i++ {
		chargers = append(chargers, fmt.Sprintf(`{"id":"CP-9%d","feeder":"F2","max_charge_kw":7,"max_discharge_kw":0}`, i))
		s.kw[fmt.Sprintf("CP-9%d", i)] = 7
	}
	modeField := ""
	if mode != "" {
		modeField = `"mode":"` + mode + `",`
	}
	s.frame(`{"v":1,"type":"hello",` + modeField + `"site":"Test","tz":"Asia/Shanghai","ts":"` + t0.Format(time.RFC3339) + `",
		"feeders":[{"id":"F1","import_limit_kw":150},{"id":"F2","import_limit_kw":500}],
		"chargers":[` + strings.Join(chargers, ",") + `]}`)
	s.report(0)
	return s
}

// Now is the fleet clock.
func (s *testSite) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *testSite) frame(f string) {
	s.t.Helper()
	before := s.fl.Snapshot().Stats.RejectTotal()
	s.fl.HandleFrame([]byte(f))
	if n := s.fl.Snapshot().Stats.RejectTotal(); n != before {
		s.t.Fatalf("test frame rejected (%s): %s", s.fl.Snapshot().Stats.LastReject, f)
	}
}

// report moves the clock by d and reports every charger and feeder, with
// extraF1 kW of base load added on F1.
func (s *testSite) report(d time.Duration, extraF1 ...float64) {
	s.mu.Lock()
	s.now = s.now.Add(d)
	now, soc := s.now, s.soc
	s.mu.Unlock()
	ts := now.Format(time.RFC3339)
	dep := t0.Add(6 * time.Hour).Format(time.RFC3339)
	f1, f2 := 80.0, 100.0
	for _, x := range extraF1 {
		f1 += x
	}
	for id, kw := range s.kw {
		s.frame(fmt.Sprintf(`{"v":1,"type":"charger","id":"%s","ts":"%s","state":"charging","kw":%g,"plugged":true,"soc":%g,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`, id, ts, kw, soc, dep))
		if strings.HasPrefix(id, "CP-9") {
			f2 += kw
		} else {
			f1 += kw
		}
	}
	s.frame(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F1","ts":"%s","kw":%g}`, ts, f1))
	s.frame(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F2","ts":"%s","kw":%g}`, ts, f2))
}

// Snapshot implements SnapshotSource.
func (s *testSite) Snapshot() *feeds.Snapshot { return s.fl.Snapshot() }

// fakeSender answers every setpoint at once; it applies them to the site
// (so the next report shows them) unless the charger is in refuse.
type fakeSender struct {
	site   *testSite
	mu     sync.Mutex
	sent   []adapters.Setpoint
	refuse map[string]string
	silent map[string]bool // chargers whose answer does not come in time
	// fail holds the chargers whose setpoint cannot be delivered (the
	// feed that carries it down), with the adapter's reason.
	fail      map[string]string
	released  []string
	noRelease bool
	// onRelease, when set, is called (outside the sender's lock) as each
	// release begins: what an operator does while the chargers are let go.
	onRelease func()
	// onApply, when set, is called (outside the sender's lock) as each
	// batch begins: a test holds a send in flight there.
	onApply func(sps []adapters.Setpoint)
}

func (f *fakeSender) ApplyBatch(_ context.Context, sps []adapters.Setpoint) []adapters.Result {
	if f.onApply != nil {
		f.onApply(sps)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]adapters.Result, len(sps))
	for i, sp := range sps {
		f.sent = append(f.sent, sp)
		if f.silent[sp.Charger] {
			out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusTimeout, Reason: "no answer before the deadline"}
			continue
		}
		if why, ok := f.fail[sp.Charger]; ok {
			out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusFailed, Reason: why}
			continue
		}
		if why, ok := f.refuse[sp.Charger]; ok {
			out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusRejected, Reason: why}
			continue
		}
		out[i] = adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusAccepted, AppliedKW: sp.KW}
		if f.site != nil {
			f.site.mu.Lock()
			f.site.kw[sp.Charger] = sp.KW
			f.site.mu.Unlock()
		}
	}
	return out
}

func (f *fakeSender) Release(_ context.Context, charger, _, _ string) error {
	if f.onRelease != nil {
		f.onRelease()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noRelease {
		return fmt.Errorf("release %q: %w", charger, adapters.ErrNotSupported)
	}
	f.released = append(f.released, charger)
	return nil
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// fakeJournal keeps records in memory.
type fakeJournal struct {
	mu   sync.Mutex
	recs []adapters.Record
	fail error
}

func (j *fakeJournal) Append(recs ...adapters.Record) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.fail != nil {
		return j.fail
	}
	j.recs = append(j.recs, recs...)
	return nil
}

func (j *fakeJournal) kinds() []adapters.RecordKind {
	j.mu.Lock()
	defer j.mu.Unlock()
	var k []adapters.RecordKind
	for _, r := range j.recs {
		k = append(k, r.Kind)
	}
	return k
}

var (
	ana    = Actor{Name: "ana", Dispatcher: true}
	viewer = Actor{Name: "vic"}
)

func capF1(id string, kw float64) feeds.EventFrame {
	return feeds.EventFrame{ID: id, Kind: feeds.EventImportCap, Scope: "F1", Start: t0, End: t0.Add(2 * time.Hour), KW: kw}
}

type rig struct {
	site *testSite
	snd  *fakeSender
	j    *fakeJournal
	c    *Controller
}

func newRig(t *testing.T, mod func(*Options)) *rig { return newRigOn(t, newSite(t), mod) }

// newRigOn is newRig on site s.
func newRigOn(t *testing.T, s *testSite, mod func(*Options)) *rig {
	r := &rig{site: s, snd: &fakeSender{site: s, refuse: map[string]string{}}, j: &fakeJournal{}}
	o := Options{Fleet: s, Sender: r.snd, Journal: r.j, Logger: slog.New(slog.DiscardHandler)}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	return r
}

// confirmed proposes, previews and confirms ev.
func (r *rig) confirmed(t *testing.T, ev feeds.EventFrame) string {
	t.Helper()
	id, err := r.c.Propose(ev, OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(context.Background(), id, ana, ConfirmOptions{}); err != nil {
		t.Fatal(err)
	}
	return id
}
