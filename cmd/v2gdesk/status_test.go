package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/feedstest"
)

const (
	testHello = `{"v":1,"type":"hello","site":"Test Town","tz":"UTC","ts":"2024-02-04T18:00:00+08:00",` +
		`"feeders":[{"id":"F1","import_limit_kw":400},{"id":"F2","import_limit_kw":100}],` +
		`"chargers":[{"id":"CP-1","feeder":"F1","max_charge_kw":11,"max_discharge_kw":10},{"id":"CP-2","feeder":"F2","max_charge_kw":7}]}`
	testFeeder  = `{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:01+08:00","kw":300}`
	testCharger = `{"v":1,"type":"charger","id":"CP-1","ts":"2024-02-04T18:00:01+08:00","state":"charging","kw":7.4,"plugged":true}`
)

// wsFeed starts a websocket server for the test, runs serve on each
// connection it upgrades (closing the connection after), stops when the
// test ends, and returns its ws:// URL with path.
func wsFeed(t *testing.T, path string, serve func(c *websocket.Conn)) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		serve(c)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + path
}

// feedServer serves a websocket feed that sends msgs after the client's
// subscribe and then keeps the connection open until the test ends.
func feedServer(t *testing.T, msgs ...string) string {
	t.Helper()
	done := make(chan struct{})
	url := wsFeed(t, "/feed", func(c *websocket.Conn) {
		if _, _, err := c.ReadMessage(); err != nil { // the subscribe frame
			return
		}
		for _, m := range msgs {
			if err := c.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
				return
			}
		}
		go func() { <-done; c.Close() }()
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	t.Cleanup(func() { close(done) }) // runs before the server's Close
	return url
}

// batchOf puts frames in one batch, so they arrive with the hello and the
// shortest --window sees them all.
func batchOf(frames ...string) string {
	return `{"v":1,"type":"batch","frames":[` + strings.Join(frames, ",") + `]}`
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStatusText(t *testing.T) {
	url := feedServer(t, batchOf(testHello, testFeeder, testCharger, `"garbage"`, `{"v":1,"type":"charger","id":"CP-9","ts":"2024-02-04T18:00:01Z","state":"charging","kw":1,"plugged":false}`))
	code, out, errs := runCmd("status", "--feed", url, "--window", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	for _, want := range []string{
		"site      Test Town (UTC)",
		"feed      " + url + ", connected",
		"system    300 kW of 500 kW limit (60.0%)",
		"F1        300 kW  limit        400 kW    75.0%    1 charger   ✓ OK",
		"F2        0.0 kW  limit        100 kW     0.0%    1 charger   ○ NO DATA",
		"chargers  2: available 0, charging 1, discharging 0, suspended 0, faulted 0, offline 0; unknown 1; stale 0",
		"frames    3 accepted",
		"rejects   2: bad_json 1, unknown_charger 1",
		"ignored   0",
		"catch-ups 0 bad (catch_up signals ignored",
		"pauses    0 bad (pause signals ignored",
		"conflated 0 sets, 0 frames left out for newer ones",
		"V2G       discharge 0.0 kW",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusJSON(t *testing.T) {
	// A pause or catch_up signal on a live feed is ignored and counted
	// (bad_pauses, bad_catch_ups): a live feed runs on the wall clock.
	url := feedServer(t, batchOf(testHello, testFeeder, testCharger),
		`{"v":1,"type":"batch","frames":[],"pause":{"at":"2024-02-04T18:00:00Z"}}`,
		`{"v":1,"type":"batch","frames":[],"catch_up":{"seek":1,"to":"2024-02-04T19:00:00Z"}}`)
	code, out, errs := runCmd("status", "--feed", url, "--window", "1ms", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	if rep.Site != "Test Town" || rep.System.KW != 300 || rep.System.LimitKW != 500 || len(rep.Feeders) != 2 ||
		rep.Chargers.ByState["charging"] != 1 || rep.Chargers.Total != 2 || rep.Health.Frames != 3 || !rep.Health.Connected ||
		rep.V2G.Plugged != 1 || rep.V2G.Bidirectional != 1 {
		t.Errorf("report = %+v", rep)
	}
	if rep.Health.BadCatchUps != 1 || !strings.Contains(out, `"bad_catch_ups": 1`) {
		t.Errorf("bad_catch_ups %d, want 1 (a catch_up signal on a live feed):\n%s", rep.Health.BadCatchUps, out)
	}
	if rep.Health.BadPauses != 1 || rep.Paused || !strings.Contains(out, `"bad_pauses": 1`) || rep.Health.RejectTotal != 0 {
		t.Errorf("bad_pauses %d, paused %v, rejects %d; want 1, false, 0 (a pause signal on a live feed):\n%s",
			rep.Health.BadPauses, rep.Paused, rep.Health.RejectTotal, out)
	}
}

func TestStatusUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "ws://" + ln.Addr().String() + "/feed"
	ln.Close()
	code, _, errs := runCmd("status", "--feed", url)
	if code != 1 || !strings.Contains(errs, "cannot reach "+url) || !strings.Contains(errs, "connection refused") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestStatusNoHello(t *testing.T) {
	url := feedServer(t, testFeeder)
	code, _, errs := runCmd("status", "--feed", url, "--timeout", "300ms")
	if code != 1 || !strings.Contains(errs, "no hello from "+url+" within 300ms (1 frame rejected, last: no_topology: feeder frame before any hello)") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	silent := feedServer(t)
	code, _, errs = runCmd("status", "--feed", silent, "--timeout", "200ms")
	if code != 1 || !strings.HasSuffix(strings.TrimSpace(errs), "no hello from "+silent+" within 200ms") {
		t.Errorf("silent feed: exit %d, stderr %q", code, errs)
	}
}

func TestStatusUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"status"}, 2, "--feed URL is required"},
		{[]string{"status", "--feed", "http://localhost:1/feed"}, 2, "want ws:// or wss://"},
		{[]string{"status", "--feed", "ws:///feed"}, 2, "no host"},
		// Without a scheme url.Parse said "first path segment in URL cannot
		// contain colon", or took "localhost" for the scheme.
		{[]string{"status", "--feed", "127.0.0.1:8765"}, 2, `v2gdesk status: --feed "127.0.0.1:8765": not a websocket URL: want ws:// or wss:// in front, e.g. ws://127.0.0.1:8765/v1`},
		{[]string{"status", "--feed", "localhost:8765/v1"}, 2, `--feed "localhost:8765/v1": not a websocket URL: want ws:// or wss:// in front, e.g. ws://localhost:8765/v1`},
		{[]string{"status", "--feed", "ws://x", "extra"}, 2, "unexpected argument"},
		{[]string{"status", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"status", "--feed", "ws://x", "--timeout", "0s"}, 2, "v2gdesk status: --timeout 0s: want a positive duration"},
		{[]string{"status", "--feed", "ws://x", "--window", "-1s"}, 2, "v2gdesk status: --window -1s: want a positive duration"},
		// A zero window summarised the feed before it sent anything.
		{[]string{"status", "--feed", "ws://x", "--window", "0"}, 2, "v2gdesk status: --window 0: want a positive duration to watch the feed for, e.g. 2s"},
		{[]string{"status", "--feed", "ws://x", "--timeout", "0"}, 2, "v2gdesk status: --timeout 0: want a positive duration"},
		{[]string{"status", "--help"}, 0, "Usage: v2gdesk status"},
		{[]string{"help", "status"}, 0, "Usage: v2gdesk status"},
	} {
		code, out, errs := runCmd(tc.args...)
		stream, got := "stderr", errs
		if code == 0 {
			stream, got = "stdout", out // --help is the command's output
		}
		if code != tc.code || !strings.Contains(got, tc.msg) {
			t.Errorf("%v: exit %d, %s %q; want %d and %q", tc.args, code, stream, got, tc.code, tc.msg)
		}
	}
}

// TestStatusSaysFeedMode checks that status says when the feed is a
// simulation or a replay, as the dashboard's badge does, and that the time
// it prints is then the feed's data clock (a day in 2024 here), named as
// such: an on-call engineer reading "17:35" must not take it for now.
func TestStatusSaysFeedMode(t *testing.T) {
	for _, tc := range []struct {
		helloMode, mode, text string
	}{
		{"simulation", "SIMULATION", "mode      SIMULATION: the feed re-enacts a day; times are its clock, not the wall clock"},
		{"replay", "REPLAY", "mode      REPLAY: the feed plays a recording; times are its clock, not the wall clock"},
		{"", "LIVE", "mode      LIVE"},
	} {
		hello := testHello
		if tc.helloMode != "" {
			hello = strings.Replace(testHello, `"type":"hello",`, `"type":"hello","mode":"`+tc.helloMode+`",`, 1)
		}
		url := feedServer(t, batchOf(hello, testFeeder, testCharger))
		code, out, errs := runCmd("status", "--feed", url, "--window", "1ms")
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", tc.mode, code, errs)
		}
		if !strings.Contains(out, tc.text+"\n") {
			t.Errorf("%s: output lacks %q:\n%s", tc.mode, tc.text, out)
		}
		if tc.helloMode != "" {
			// The data clock: the latest measurement (10:00:01 UTC), run on
			// by the little wall time since it arrived.
			site := "site      Test Town (UTC), 2024-02-04 10:00:0"
			if !strings.Contains(out, site) || !strings.Contains(out, " UTC by the "+tc.helloMode+" clock\n") {
				t.Errorf("%s: site line is not the feed's clock, named:\n%s", tc.mode, out)
			}
		}
		code, out, errs = runCmd("status", "--feed", url, "--window", "1ms", "--json")
		if code != 0 {
			t.Fatalf("%s --json: exit %d, stderr %s", tc.mode, code, errs)
		}
		var rep statusReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("--json output does not parse: %v\n%s", err, out)
		}
		if string(rep.Mode) != tc.mode {
			t.Errorf("--json mode = %q, want %q", rep.Mode, tc.mode)
		}
		if tc.helloMode != "" && rep.At.Year() != 2024 {
			t.Errorf("%s --json at = %v, want the feed's clock in 2024", tc.mode, rep.At)
		}
	}
}

// TestStatusTextGroupsThousands: every figure of the report has thousands
// separators, counts as powers do ("chargers 3,000", "1,202,991 bytes"),
// as the demo day's feed gives them. Before, only the powers had them.
func TestStatusTextGroupsThousands(t *testing.T) {
	r := statusReport{Feed: "ws://x/v1", Mode: feeds.ModeLive, Site: "Demo City", TimeZone: "UTC", At: time.Date(2024, 1, 17, 18, 57, 0, 0, time.UTC),
		System:   statusSystem{KW: 15446, LimitKW: 17300, LoadingPct: 89.3},
		Feeders:  []statusFeeder{{ID: "F01", Seen: true, KW: 1400, LimitKW: 1770, LoadingPct: 79.1, Chargers: 1264}},
		Chargers: statusChargers{Total: 3000, ByState: map[string]int{"available": 1925, "charging": 586}, Unknown: 1200, Stale: 1001},
		V2G:      statusV2G{DischargeKW: 1385, Plugged: 1075, Bidirectional: 343},
		Health: statusFeedHealth{Connected: true, Frames: 4538, FramesPerSec: 3036.4, Bytes: 1202991, RejectTotal: 12345,
			Rejects: map[string]uint64{"bad_json": 12000, "unknown_charger": 345}, Ignored: 2500, BadCatchUps: 1234},
	}
	var b bytes.Buffer
	r.writeText(&b)
	for _, want := range []string{
		"system    15,446 kW of 17,300 kW limit (89.3%)",
		"  F01      1,400 kW  limit      1,770 kW    79.1%  1,264 chargers  ✓ OK",
		"chargers  3,000: available 1,925, charging 586, discharging 0, suspended 0, faulted 0, offline 0; unknown 1,200; stale 1,001",
		"(1,075 plugged, 343 bidirectional)",
		"frames    4,538 accepted (3,036/s over the last seconds), 1,202,991 bytes",
		"rejects   12,345: bad_json 12,000, unknown_charger 345",
		"ignored   2,500 (older",
		"catch-ups 1,234 bad",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestStatusJudgesAsTheDesk: F06 at 98.5 % read △ WARN in `status` and
// ▲ HIGH on the desks, which had seen it over 100 %: status ignored the
// deadband. It judges with the desk's code (alarm.Engine.Level): a feeder
// seen at 102.5 % in the window and at 98.5 % now is ▲ HIGH, as on the
// desk; one seen only at 98.5 % is △ WARN and says that a desk that saw it
// at 100 % still shows ▲ HIGH.
func TestStatusJudgesAsTheDesk(t *testing.T) {
	feeder := func(id, ts string, kw float64) string {
		return fmt.Sprintf(`{"v":1,"type":"feeder","id":%q,"ts":%q,"kw":%g}`, id, ts, kw)
	}
	// A live feed: its history is by the wall clock's minutes.
	m0 := time.Now().UTC().Truncate(time.Minute)
	before, now := m0.Add(-time.Minute).Format(time.RFC3339), m0.Format(time.RFC3339)
	url := feedServer(t, batchOf(testHello,
		feeder("F1", before, 410), // 102.5 %
		feeder("F2", before, 98.5),
		feeder("F1", now, 394), // 98.5 %
	))
	code, out, errs := runCmd("status", "--feed", url, "--window", "50ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	f1, f2 := lineStarting(out, "  F1 "), lineStarting(out, "  F2 ")
	if !strings.HasSuffix(f1, "  ▲ HIGH") {
		t.Errorf("F1 seen at 102.5 %% then 98.5 %%: %q, want ▲ HIGH as the desk holds it", f1)
	}
	if want := "△ WARN (a desk that saw it at 100% or over still shows ▲ HIGH: it clears below 97%, a 3-point deadband)"; !strings.HasSuffix(f2, want) {
		t.Errorf("F2 seen only at 98.5 %%: %q, want it to end %q", f2, want)
	}

	_, js, _ := runCmd("status", "--feed", url, "--window", "50ms", "--json")
	for _, want := range []string{`"level": "HIGH"`, `"level": "WARN"`, `"desk_may_hold": "HIGH"`} {
		if !strings.Contains(js, want) {
			t.Errorf("--json lacks %s:\n%s", want, js)
		}
	}
}

// lineStarting is the first line of out starting with prefix, or "".
func lineStarting(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// ^C while status waits for a feed that accepted the connection and says
// nothing: it said "v2gdesk status: context canceled".
func TestStatusInterrupted(t *testing.T) {
	url, accepted := feedstest.SilentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"status", "--feed", url, "--timeout", "1h"}, io.Discard, &errb) }()
	<-accepted
	cancel() // ^C
	if code := <-done; code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := "v2gdesk status: interrupted before the summary of " + url + ": nothing printed\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}
