package ocpp_test

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A central system told to listen on 127.0.0.1 refuses a charge point
// that reaches the same port on another local address (127.0.0.2, also
// loopback on Linux), although ocpp-go binds every interface; one that
// comes in on 127.0.0.1 gets its websocket.
func TestListenHostIsEnforced(t *testing.T) {
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err != nil {
		t.Skipf("127.0.0.2 is not a local address here: %v", err)
	} else {
		ln.Close()
	}
	cs, _ := startCS(t, "W") // listens on 127.0.0.1
	dial := func(host string) (*http.Response, error) {
		d := websocket.Dialer{Subprotocols: []string{"ocpp1.6"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial(fmt.Sprintf("ws://%s:%d/ocpp/CP-A", host, cs.Port()), nil)
		if c != nil {
			c.Close()
		}
		return resp, err
	}
	if _, err := dial("127.0.0.2"); err == nil {
		t.Fatal("a charge point on 127.0.0.2 got a websocket from a central system listening on 127.0.0.1")
	}
	if n := cs.Counts().WrongAddress; n != 1 {
		t.Errorf("WrongAddress = %d, want 1", n)
	}
	if _, err := dial("127.0.0.1"); err != nil {
		t.Fatalf("a charge point on 127.0.0.1 was refused: %v", err)
	}
	if n := cs.Counts().WrongAddress; n != 1 {
		t.Errorf("WrongAddress = %d after the allowed connection, want still 1", n)
	}
}
