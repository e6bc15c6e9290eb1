package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

const capF08 = "testdata/event-cap-f08.json"

func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"dispatch"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDispatchUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no event", []string{"--scenario", "demo"}, "--event FILE is required"},
		{"no source", []string{"--event", capF08}, "exactly one of --feed"},
		{"both sources", []string{"--event", capF08, "--scenario", "demo", "--feed", "ws://x"}, "exactly one of --feed"},
		{"live send without adapters", []string{"--event", capF08, "--feed", "ws://x", "--yes"}, "needs --adapters"},
		{"follow without yes", []string{"--event", capF08, "--scenario", "demo", "--follow"}, "--follow needs --yes"},
		{"extra argument", []string{"--event", capF08, "--scenario", "demo", "now"}, `unexpected argument "now"`},
		// Each of these was accepted: the flag ignored, or retried until
		// the timeout.
		{"adapters without yes", []string{"--event", capF08, "--scenario", "demo", "--adapters", "x.json"}, "--adapters and --journal go with --yes"},
		{"journal without yes", []string{"--event", capF08, "--scenario", "demo", "--journal", "j.jsonl"}, "--adapters and --journal go with --yes"},
		{"http feed", []string{"--event", capF08, "--feed", "http://x/"}, `--feed "http://x/": scheme "http"`},
		{"negative timeout", []string{"--event", capF08, "--feed", "ws://x/", "--timeout", "-1s"}, "--timeout -1s: want a positive duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runArgs(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
		})
	}
}

func TestDispatchBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, dir, name, body) }
	tests := []struct {
		name, event, want string
	}{
		{"missing file", filepath.Join(dir, "none.json"), "no such file"},
		{"not json", write("bad.json", "{"), "not a protocol v1 frame"},
		{"not an event", write("feeder.json", `{"v":1,"type":"feeder","id":"F08","ts":"2024-01-17T18:00:00+08:00","kw":1}`), `"feeder" frame`},
		{"outside the day", write("late.json", `{"v":1,"type":"event","id":"X","kind":"import_cap","scope":"F08","start":"2030-01-01T18:00:00+08:00","end":"2030-01-01T19:00:00+08:00","kw":900}`),
			"the event starts 2030-01-01T18:00:00+08:00, outside the scenario day 2024-01-17T00:00:00+08:00 to 2024-01-18T00:00:00+08:00"},
		// Named by its flag, as the file's other errors are (it said
		// "dispatch: f99.json: event ..." and "--event bad.json: ...").
		{"unknown feeder", write("f99.json", `{"v":1,"type":"event","id":"X","kind":"import_cap","scope":"F99","start":"2024-01-17T18:00:00+08:00","end":"2024-01-17T19:00:00+08:00","kw":900}`), `v2gdesk dispatch: --event ` + filepath.Join(dir, "f99.json") + `: event "X": invalid event: scope "F99"`},
		{"negative cap", write("neg.json", `{"v":1,"type":"event","id":"X","kind":"import_cap","scope":"F08","start":"2024-01-17T18:00:00+08:00","end":"2024-01-17T19:00:00+08:00","kw":-5}`), `v2gdesk dispatch: --event ` + filepath.Join(dir, "neg.json") + `: event "X": invalid event: an import cap needs kw >= 0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runArgs(t, "--scenario", "demo", "--event", tc.event)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, tc.want)
			}
		})
	}
}

func TestDispatchPreviewSendsNothing(t *testing.T) {
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", capF08)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Dispatch preview · DR-17 · cap F08 at 950 kW 18:00–19:00", "F08 load, kW", "EVs affected", "unmet energy", "certified gap", "nothing sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	// The sign comes before the currency in both amounts, as on the
	// dashboard: "cost −¥14 (−¥574 against unmanaged)", not "¥−14".
	if !regexp.MustCompile(`cost −?¥[0-9,]+ \([+−]¥[0-9,]+ against unmanaged\)`).MatchString(out) {
		t.Errorf("preview's cost line is not in the sign-before-currency form:\n%s", out)
	}
	// It counts what --yes would send as the desk's enter line does:
	// every planned EV's setpoint, and of them those that change power,
	// which are the EVs affected (the rest stay as they would be).
	m := regexp.MustCompile(`EVs affected ([0-9,]+) of ([0-9,]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no EVs affected line:\n%s", out)
	}
	if m[1] == m[2] {
		t.Errorf("every EV is affected (%s): the count of those changing power is not told apart", m[1])
	}
	want := fmt.Sprintf("\n%s setpoints (%s change power) for the slot from 18:00\n", m[2], m[1])
	if !strings.Contains(out, want) {
		t.Errorf("preview lacks %q:\n%s", want, out)
	}
}

func TestDispatchFollowOnTheDemoDay(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", capF08, "--yes", "--follow", "--json", "--journal", journal, "--operator", "ana")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum dispatchJSON
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	// One plan per slot of the hour; then, F08 being over its limit if
	// its chargers were all let go at 19:00, a hand-back plan per slot
	// until they can be (or for at most four hours).
	if sum.State != "ended" || !sum.Sent || sum.Plans < 4 {
		t.Errorf("state %s, sent %t, plans %d; want ended, sent, at least 4 (one per slot of the hour)", sum.State, sum.Sent, sum.Plans)
	}
	if handedBack := sum.HandBackSince != nil; handedBack != (sum.Plans > 4) || !strings.HasPrefix(sum.Reason, "window over; released") {
		t.Errorf("plans %d, hand-back since %v, reason %q: want a hand-back exactly when there are more than 4 plans, and the reason", sum.Plans, sum.HandBackSince, sum.Reason)
	}
	if len(sum.BeforeKW) == 0 || len(sum.AfterKW) != len(sum.BeforeKW) || len(sum.SysAfter) != len(sum.AfterKW) {
		t.Errorf("curves: scope %d/%d, system %d/%d slots", len(sum.BeforeKW), len(sum.AfterKW), len(sum.SysBefore), len(sum.SysAfter))
	}
	if sum.Progress.Total[adapters.StatusAccepted] == 0 || sum.Avoidable != 0 {
		t.Errorf("progress %+v, avoidable short %d", sum.Progress, sum.Avoidable)
	}
	kinds := map[adapters.RecordKind]int{}
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		kinds[r.Kind]++
		if r.Kind == adapters.RecDispatchConfirm && r.Operator != "ana" {
			t.Errorf("confirmation by %q, want ana", r.Operator)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if kinds[adapters.RecDispatchConfirm] != 1 || kinds[adapters.RecSetpoint] == 0 || kinds[adapters.RecResult] != kinds[adapters.RecSetpoint] || kinds["dispatch_end"] != 1 {
		t.Errorf("journal kinds %v: want one confirmation, a result per setpoint, one end", kinds)
	}
}

// livePeer is a small protocol v1 server on wall time: one feeder over its
// limit with four plugged chargers; it answers every setpoint with an ack.
func livePeer(t *testing.T) (url string, setpoints func() int) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	up := websocket.Upgrader{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		now := time.Now().Format(time.RFC3339)
		dep := time.Now().Add(6 * time.Hour).Format(time.RFC3339)
		var chargers, frames []string
		for i := 0; i < 4; i++ {
			chargers = append(chargers, fmt.Sprintf(`{"id":"CP-%d","feeder":"F1","max_charge_kw":11,"max_discharge_kw":0,"adapter":"site"}`, i))
			frames = append(frames, fmt.Sprintf(`{"v":1,"type":"charger","id":"CP-%d","ts":"%s","state":"charging","kw":11,"plugged":true,"soc":0.5,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`, i, now, dep))
		}
		frames = append(frames, `{"v":1,"type":"feeder","id":"F1","ts":"`+now+`","kw":124}`)
		c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"hello","site":"Live","tz":"UTC","ts":"`+now+`","feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[`+strings.Join(chargers, ",")+`]}`))
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			var f struct {
				Type, ID, Charger string
				KW                float64
			}
			if json.Unmarshal(msg, &f) != nil {
				continue
			}
			switch f.Type {
			case "subscribe":
				c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"batch","frames":[`+strings.Join(frames, ",")+`]}`))
			case "setpoint":
				mu.Lock()
				n++
				mu.Unlock()
				c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"v":1,"type":"ack","id":%q,"charger":%q,"status":"accepted","applied_kw":%g}`, f.ID, f.Charger, f.KW)))
			}
		}
	}))
	t.Cleanup(hs.Close)
	return "ws" + strings.TrimPrefix(hs.URL, "http"), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// TestDispatchOnALiveFeed sends through a wsjson adapter on the feed's own
// connection, acks coming back through the fleet.
func TestDispatchOnALiveFeed(t *testing.T) {
	url, setpoints := livePeer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"site","kind":"wsjson"}],"chargers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Minute)
	ev := filepath.Join(dir, "event.json")
	body := `{"v":1,"type":"event","id":"DR-LIVE","kind":"import_cap","scope":"F1","start":"` + now.Format(time.RFC3339) +
		`","end":"` + now.Add(time.Hour).Format(time.RFC3339) + `","kw":90}`
	if err := os.WriteFile(ev, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--feed", url, "--event", ev, "--adapters", cfg, "--yes", "--operator", "ana")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	for _, want := range []string{"· LIVE", "4 setpoints", "4 of 4 answered: 4 accepted", "setpoints hold until"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := setpoints(); n != 4 {
		t.Errorf("peer got %d setpoints, want 4", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "audit.jsonl")); err != nil {
		t.Errorf("no audit journal beside the adapters file: %v", err)
	}
}

// A feed from `v2gdesk sim` speaks in simulated time: the guard judges the
// plan's setpoints by the fleet's clock, not the wall clock, by which every
// one of them read as long expired (all 70 rejected in the audit).
func TestDispatchOnASimulatedFeed(t *testing.T) {
	url := demoFeed(t, slog.New(slog.NewTextHandler(io.Discard, nil)))
	dir := t.TempDir()
	// The simulator's hello routes its chargers to an adapter "sim"; a
	// wsjson adapter without a url sends over the feed's connection.
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"sim","kind":"wsjson"}],"chargers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--feed", url, "--event", capF08, "--adapters", cfg, "--yes", "--operator", "ana")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	if strings.Contains(out, "expired") || !strings.Contains(out, " accepted") {
		t.Errorf("setpoints on a simulated feed:\n%s", out)
	}
	// The header names the feed's mode by its hello, as the dashboard's
	// does; it read "· LIVE" for the simulator.
	head, _, _ := strings.Cut(out, "\n")
	if !strings.HasSuffix(head, "· SIMULATION") {
		t.Errorf("preview header on a simulated feed = %q, want it to end in \"· SIMULATION\"", head)
	}
	// The setpoints' validity in the event's time zone, as every other
	// time printed: it read 10:20 (UTC) under a plan for the slot from 18:00.
	m := regexp.MustCompile(`setpoints \([0-9,]+ change power\) for the slot from (\d\d):\d\d`).FindStringSubmatch(out)
	h := regexp.MustCompile(`setpoints hold until (\d\d):\d\d`).FindStringSubmatch(out)
	if m == nil || h == nil || m[1] != "18" || (h[1] != "18" && h[1] != "19") {
		t.Errorf("slot %q, validity %q: want the validity just after the 18:00 slot, in the event's zone:\n%s", m, h, out)
	}
}

// TestFeedMode: a --feed takes the mode its hello says, and is live when
// the hello says live or nothing.
func TestFeedMode(t *testing.T) {
	for _, tc := range []struct {
		hello feeds.Mode
		want  feeds.Mode
	}{
		{feeds.ModeSimulation, feeds.ModeSimulation},
		{feeds.ModeReplay, feeds.ModeReplay},
		{feeds.ModeLive, feeds.ModeLive},
		{"", feeds.ModeLive},
	} {
		if got := feedMode(&feeds.Snapshot{HaveTopology: true, FeedMode: tc.hello}); got != tc.want {
			t.Errorf("hello mode %q: %q, want %q", tc.hello, got, tc.want)
		}
	}
	if got := feedMode(nil); got != feeds.ModeLive {
		t.Errorf("no snapshot: %q, want LIVE", got)
	}
}

// TestKWColumnAlignsNegatives: the preview table's figures end in the same
// column whatever their sign (the minus is one column, three bytes).
func TestKWColumnAlignsNegatives(t *testing.T) {
	for _, kw := range []float64{0, 950, 1059, -950, -12345, 1234567} {
		if got := utf8.RuneCountInString(kwColumn(kw)); got != 9 {
			t.Errorf("kwColumn(%v) = %q, %d columns, want 9", kw, kwColumn(kw), got)
		}
	}
}
