package sim

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// A client's frames are checked by the protocol's rules, as a desk checks a
// server's (docs/protocol.md: "A server validates client frames by the same
// rules"), and a rejection says so in the protocol's words. The server read
// them with encoding/json: "kw":"5" was answered in Go's words ("json:
// cannot unmarshal string into Go struct field SetpointFrame.kw of type
// float64"), and a kw of 1e300 taken as a power to apply.
func TestServerChecksClientFramesByTheProtocol(t *testing.T) {
	sc := testScenario(t)
	fake := clock.NewFake(time.Unix(0, 0))
	s, err := New(sc, Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Speed: 60, Clock: fake, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	a := dial(t, "ws"+strings.TrimPrefix(hs.URL, "http")+"/v1")
	readFrame(t, a) // hello
	until := s.Now().Add(time.Hour).Format(time.RFC3339)
	for _, tc := range []struct{ frame, id, reason string }{
		{`{"v":1,"type":"setpoint","id":"sp-s","charger":"CP-0001","kw":"5","valid_until":"` + until + `"}`,
			"sp-s", `bad_json: setpoint "sp-s": kw: want a number, got a string`},
		{`{"v":1,"type":"setpoint","id":"sp-h","charger":"CP-0001","kw":1e300,"valid_until":"` + until + `"}`,
			"sp-h", `out_of_range: setpoint "sp-h": kw 1e+300 is beyond ±1e+09`},
		{`{"v":1,"type":"setpoint","id":"sp-t","charger":"CP-0001","kw":3,"valid_until":"tomorrow"}`,
			"sp-t", `bad_time: setpoint "sp-t": valid_until`},
		{`not json`, "", "bad_json: "},
	} {
		send(t, a, tc.frame)
		ack := readFrame(t, a)
		if ack["type"] != "ack" || ack["status"] != "rejected" || ack["id"] != tc.id || !strings.HasPrefix(ack["reason"].(string), tc.reason) {
			t.Errorf("answer to %s = %v, want rejected %q with reason %q…", tc.frame, ack, tc.id, tc.reason)
		}
	}
	// A good one still goes through.
	send(t, a, `{"v":1,"type":"setpoint","id":"sp-ok","charger":"CP-0001","kw":-4,"valid_until":"`+until+`"}`)
	if ack := readFrame(t, a); ack["id"] != "sp-ok" || ack["status"] != "accepted" {
		t.Errorf("ack of a good setpoint = %v", ack)
	}
	if st := srv.Stats(); st.BadFrames != 4 || st.Setpoints != 1 {
		t.Errorf("stats %+v, want 4 bad frames and 1 setpoint", st)
	}
}
