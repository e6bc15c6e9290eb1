package feeds

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// largeHello returns a hello with n chargers on two feeders, as JSON.
func largeHello(t *testing.T, n int) []byte {
	t.Helper()
	h := Hello{Header: NewHeader(TypeHello), Site: "Big City", TS: time.Date(2024, 2, 4, 10, 0, 0, 0, time.UTC), Mode: "simulation",
		Feeders: []FeederInfo{{ID: "F1", ImportLimitKW: 40000}, {ID: "F2", ImportLimitKW: 40000}}}
	for i := range n {
		h.Chargers = append(h.Chargers, ChargerInfo{ID: fmt.Sprintf("CP-%06d", i), Feeder: []string{"F1", "F2"}[i%2],
			MaxChargeKW: 11, MaxDischargeKW: 10, Adapter: "sim"})
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A hello is the one frame that may exceed MaxFrameBytes (it lists every
// charger: 100,000 of them are some 9 MB), up to MaxHelloBytes.
func TestDecodeHelloOverFrameLimit(t *testing.T) {
	raw := largeHello(t, 20000)
	if len(raw) <= MaxFrameBytes {
		t.Fatalf("hello is %d bytes, want over MaxFrameBytes for this test", len(raw))
	}
	f, err := Decode(raw)
	if err != nil {
		t.Fatalf("hello of %d bytes: %v", len(raw), err)
	}
	if h := f.(*Hello); len(h.Chargers) != 20000 || h.Chargers[19999].ID != "CP-019999" {
		t.Errorf("decoded %d chargers, last %+v", len(h.Chargers), h.Chargers[len(h.Chargers)-1])
	}

	// Any other frame over MaxFrameBytes is still too large, and so is a
	// hello over MaxHelloBytes, and a hello inside a large batch.
	pad := strings.Repeat("x", MaxFrameBytes)
	bigBatch := `{"v":1,"type":"batch","frames":[` + string(raw) + `]}`
	overHello := `{"v":1,"type":"hello","pad":"` + strings.Repeat("x", MaxHelloBytes) + `"}`
	for name, msg := range map[string]string{
		"feeder":       `{"v":1,"type":"feeder","pad":"` + pad + `"}`,
		"no type":      `{"v":1,"pad":"` + pad + `"}`,
		"not json":     `{"v":1,"type":"hello","pad":"` + pad,
		"batch":        bigBatch,
		"hello > 32MB": overHello,
	} {
		_, err := Decode([]byte(msg))
		if r, _ := ReasonOf(err); r != RejectTooLarge || !strings.Contains(err.Error(), "only a hello may be larger") {
			t.Errorf("%s of %d bytes: %v, want too_large", name, len(msg), err)
		}
	}
}

// A subscriber takes a hello larger than MaxFrameBytes and the frames after
// it, and the Fleet then knows every charger.
func TestSubscriberLargeHello(t *testing.T) {
	raw := largeHello(t, 20000)
	charger := strings.Replace(chargerJSON, `"CP-1"`, `"CP-019999"`, 1)
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		c.WriteMessage(websocket.TextMessage, raw)
		c.WriteMessage(websocket.TextMessage, []byte(charger))
		holdOpen(c, release)
	})
	sink := newNotifySink(FleetOptions{Clock: func() time.Time { return t0 }})
	runSub(t, NewSubscriber(srv.url(), testSubOptions()), sink)
	sink.waitLink(t)
	sink.waitFrames(t, 2)
	snap := sink.fl.Snapshot()
	if st := snap.Stats; st.Frames != 2 || st.Rejects[RejectTooLarge] != 0 {
		t.Errorf("stats = %+v, want the hello and the charger accepted", st)
	}
	if snap.NumChargers() != 20000 {
		t.Fatalf("fleet has %d chargers, want 20000", snap.NumChargers())
	}
	if c, ok := snap.Charger("CP-019999"); !ok || !c.Seen || c.Last.KW != 7.4 {
		t.Errorf("CP-019999 = %+v, %v; want its frame applied", c, ok)
	}
}
