package site_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/feeds"
)

type sim struct{}

func (sim) ApplySetpoint(f feeds.SetpointFrame) feeds.AckFrame {
	return feeds.AckFrame{ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW}
}

func config(t *testing.T, doc string) *adapters.Config {
	t.Helper()
	cfg, err := adapters.ParseConfig(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestOpen(t *testing.T) {
	mapsDir, err := filepath.Abs(filepath.Join("..", "modbus", "maps"))
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"journal":"audit.jsonl","adapters":[
	  {"name":"sim","kind":"inproc"},
	  {"name":"dry","kind":"dryrun"},
	  {"name":"mb","kind":"modbus","settings":{"map":"` + filepath.Join(mapsDir, "ac-22kw.json") + `"}},
	  {"name":"ocpp","kind":"ocpp","settings":{"listen":"127.0.0.1:0"}}],
	 "chargers":[
	  {"id":"S1","adapter":"sim","max_charge_kw":7,"max_discharge_kw":7},
	  {"id":"D1","adapter":"dry","max_charge_kw":7,"max_discharge_kw":0},
	  {"id":"M1","adapter":"mb","max_charge_kw":22,"max_discharge_kw":0,"settings":{"url":"tcp://127.0.0.1:1"}},
	  {"id":"O1","adapter":"ocpp","max_charge_kw":11,"max_discharge_kw":0}]}`
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := site.Open(context.Background(), config(t, doc), site.Deps{Simulator: sim{}, BaseDir: dir, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	until := time.Now().Add(10 * time.Minute)
	res := s.Guard.ApplyBatch(context.Background(), []adapters.Setpoint{
		{ID: "1", Charger: "S1", KW: -5, ValidUntil: until},
		{ID: "2", Charger: "D1", KW: 5, ValidUntil: until},
		{ID: "3", Charger: "O1", KW: 5, ValidUntil: until},
		{ID: "4", Charger: "M1", KW: 5, ValidUntil: until},
	})
	want := []adapters.Status{adapters.StatusAccepted, adapters.StatusAccepted, adapters.StatusFailed, adapters.StatusFailed}
	for i, w := range want {
		if res[i].Status != w {
			t.Errorf("%d: %+v, want %s", i, res[i], w)
		}
	}
	if !strings.Contains(res[2].Reason, "not connected") || !strings.Contains(res[3].Reason, "connect") {
		t.Errorf("reasons %q / %q", res[2].Reason, res[3].Reason)
	}
	if len(s.Sources()) != 1 {
		t.Errorf("sources %v, want the OCPP central system", s.Sources())
	}
	if _, err := os.Stat(filepath.Join(dir, "audit.jsonl")); err != nil {
		t.Errorf("journal not under BaseDir: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		deps site.Deps
		err  string
	}{
		{"no journal", `{"adapters":[],"chargers":[]}`, site.Deps{}, "no audit journal"},
		{"inproc without simulator", `{"journal":"j","adapters":[{"name":"s","kind":"inproc"}],"chargers":[]}`, site.Deps{}, "in-process simulator of a --scenario (demo or a scenario FILE)"},
		{"wsjson without connection", `{"journal":"j","adapters":[{"name":"w","kind":"wsjson"}],"chargers":[]}`, site.Deps{}, "--feed"},
		{"wsjson bad settings", `{"journal":"j","adapters":[{"name":"w","kind":"wsjson","settings":{"uri":"x"}}],"chargers":[]}`, site.Deps{}, `unknown field "uri"`},
		{"modbus without map", `{"journal":"j","adapters":[{"name":"m","kind":"modbus"}],"chargers":[{"id":"c","adapter":"m","max_charge_kw":1,"max_discharge_kw":0,"settings":{"url":"tcp://x:1"}}]}`, site.Deps{}, "no register map"},
		// A peer that is down starts (and redials); a URL no redial can
		// reach is the file's error.
		{"wsjson url not ws", `{"journal":"j","adapters":[{"name":"w","kind":"wsjson","settings":{"url":"http://agg:9000/v1"}}],"chargers":[]}`, site.Deps{}, `settings.url "http://agg:9000/v1": want a ws:// or wss:// URL`},
		{"ocpp bad unit", `{"journal":"j","adapters":[{"name":"o","kind":"ocpp","settings":{"listen":":0","rate_unit":"kW"}}],"chargers":[]}`, site.Deps{}, `rate_unit "kW"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.deps.BaseDir = t.TempDir()
			s, err := site.Open(context.Background(), config(t, tt.doc), tt.deps)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %q lacks %q", err, tt.err)
			}
		})
	}
}

// TestSharedFeedAcksCountedOnce: two wsjson adapters on the feed's one
// connection are both offered every ack; an ack that one of them matched
// is not unmatched for the other, and one that neither matched counts once.
func TestSharedFeedAcksCountedOnce(t *testing.T) {
	doc := `{"journal":"audit.jsonl","adapters":[
	  {"name":"north","kind":"wsjson"},
	  {"name":"south","kind":"wsjson"}],
	 "chargers":[
	  {"id":"N1","adapter":"north","max_charge_kw":7,"max_discharge_kw":0},
	  {"id":"S1","adapter":"south","max_charge_kw":7,"max_discharge_kw":0}]}`
	var st *site.Site
	// The peer answers each setpoint as it is sent; the site hands the ack
	// to both adapters, as the fleet's ack hook does.
	feed := sendFunc(func(_ context.Context, frame any) error {
		f := frame.(feeds.SetpointFrame)
		st.HandleAck(feeds.AckFrame{ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW})
		return nil
	})
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := site.Open(context.Background(), config(t, doc), site.Deps{Sender: feed, BaseDir: t.TempDir(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	until := time.Now().Add(10 * time.Minute)
	res := st.Guard.ApplyBatch(context.Background(), []adapters.Setpoint{
		{ID: "1", Charger: "N1", KW: 5, ValidUntil: until},
		{ID: "2", Charger: "S1", KW: 6, ValidUntil: until},
	})
	for i, r := range res {
		if r.Status != adapters.StatusAccepted {
			t.Errorf("%d: %+v, want accepted", i, r)
		}
	}
	if f := st.Guard.PeerFaults(); f.Total() != 0 {
		t.Fatalf("peer faults %+v after two matched acks, want none", f)
	}
	st.HandleAck(feeds.AckFrame{ID: "nobody", Status: feeds.AckAccepted})
	if f := st.Guard.PeerFaults(); f != (adapters.PeerFaults{Unmatched: 1}) {
		t.Fatalf("peer faults %+v after one stray ack, want 1 unmatched", f)
	}
}

// sendFunc adapts a function to wsjson.FrameSender.
type sendFunc func(ctx context.Context, frame any) error

func (f sendFunc) Send(ctx context.Context, frame any) error { return f(ctx, frame) }

// TestOpenRefusedLeavesNoNewJournal: a file refused while its adapters start
// leaves no new, empty journal behind; a journal that was there already,
// even empty, is left as it was.
func TestOpenRefusedLeavesNoNewJournal(t *testing.T) {
	const doc = `{"journal":"j.jsonl","adapters":[{"name":"o","kind":"ocpp","settings":{"listen":":0","rate_unit":"kW"}}],"chargers":[]}`
	dir := t.TempDir()
	journal := filepath.Join(dir, "j.jsonl")
	if _, err := site.Open(context.Background(), config(t, doc), site.Deps{BaseDir: dir}); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(journal); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused file left its journal behind (%v)", err)
	}
	if err := os.WriteFile(journal, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Open(context.Background(), config(t, doc), site.Deps{BaseDir: dir}); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(journal); err != nil {
		t.Errorf("the journal that was there before is gone: %v", err)
	}
}

// A wsjson adapter whose url does not answer stopped the site from opening
// (and with it serve and the desk); it opens, the link says it is down, and
// the adapter's setpoints fail naming the URL and the dial error, as an
// OCPP charger not connected or a Modbus device not answering do, while
// the other adapters work.
func TestOpenWithWSJSONPeerDown(t *testing.T) {
	url := "ws://127.0.0.1:1/v1" // port 1: nothing listens, connection refused
	doc := `{"journal":"audit.jsonl","adapters":[
	  {"name":"dry","kind":"dryrun"},
	  {"name":"agg","kind":"wsjson","settings":{"url":"` + url + `"}}],
	 "chargers":[
	  {"id":"D1","adapter":"dry","max_charge_kw":7},
	  {"id":"W1","adapter":"agg","max_charge_kw":7}]}`
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := site.Open(context.Background(), config(t, doc), site.Deps{BaseDir: t.TempDir(), Logger: quiet})
	if err != nil {
		t.Fatalf("the site did not open with its wsjson peer down: %v", err)
	}
	defer s.Close()
	until := time.Now().Add(10 * time.Minute)
	res := s.Guard.ApplyBatch(context.Background(), []adapters.Setpoint{
		{ID: "1", Charger: "D1", KW: 5, ValidUntil: until},
		{ID: "2", Charger: "W1", KW: 5, ValidUntil: until},
	})
	if res[0].Status != adapters.StatusAccepted {
		t.Errorf("dry run: %+v", res[0])
	}
	if res[1].Status != adapters.StatusFailed || !strings.Contains(res[1].Reason, url+" is down since") || !strings.Contains(res[1].Reason, "connection refused") {
		t.Errorf("wsjson: %s %q, want failed naming %s and the dial error", res[1].Status, res[1].Reason, url)
	}
	if got := s.Guard.Stats().Results[adapters.StatusFailed]; got != 1 {
		t.Errorf("failed count %d, want 1", got)
	}
	links := s.Links()
	if len(links) != 1 || links[0].Name != "adapter agg" || links[0].Up || links[0].Err == nil || !strings.Contains(links[0].Err.Error(), "connection refused") {
		t.Errorf("links %+v, want adapter agg down with the dial error", links)
	}
}
