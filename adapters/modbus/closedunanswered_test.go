package modbus_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
)

// closingDevice is a Modbus TCP device that answers write-multiple
// requests until the closeAt-th (1-based), which it reads whole and then
// closes the connection instead of answering: a device that resets after
// taking a write, or a gateway that drops the link. It sends the address of
// every request it read on seen.
func closingDevice(t *testing.T, closeAt int) (url string, seen <-chan uint16) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan uint16, 16)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		for n := 1; ; n++ {
			head := make([]byte, 7) // MBAP: transaction, protocol, length, unit
			if _, err := io.ReadFull(c, head); err != nil {
				return
			}
			pdu := make([]byte, int(binary.BigEndian.Uint16(head[4:6]))-1)
			if _, err := io.ReadFull(c, pdu); err != nil {
				return
			}
			ch <- binary.BigEndian.Uint16(pdu[1:3])
			if n == closeAt {
				return
			}
			// The answer to function 16: the header with length 6, then
			// function, address and quantity echoed.
			answer := append(append([]byte{}, head[:4]...), 0, 6, head[6])
			answer = append(answer, pdu[:5]...)
			if _, err := c.Write(answer); err != nil {
				return
			}
		}
	}()
	return "tcp://" + ln.Addr().String(), ch
}

// TestDeviceClosesInsteadOfAnswering: a device that read a write whole and
// closed the connection unanswered may hold it, as one that never answers
// may: the result is timeout (the outcome unknown, so a DR event releases
// the charger at its end), not failed ("not delivered"), and it names what
// was already written.
func TestDeviceClosesInsteadOfAnswering(t *testing.T) {
	until := time.Now().Add(15 * time.Minute)
	for _, tc := range []struct {
		name    string
		closeAt int
		want    []string
	}{
		{"at the setpoint", 1, []string{"write setpoint at 200: the device closed the connection before answering", "the device may hold it"}},
		{"at the watchdog", 2, []string{"write watchdog at 211: the device closed the connection before answering", "already written: setpoint"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, seen := closingDevice(t, tc.closeAt)
			a := modbus.New(5*time.Second, quiet())
			a.AddDevice("AC1", url, 1, loadMap(t, "ac-22kw.json"))
			defer a.Close()
			r := a.Apply(context.Background(), adapters.Setpoint{ID: "c", Charger: "AC1", KW: 7, ValidUntil: until})
			if r.Status != adapters.StatusTimeout {
				t.Fatalf("%+v, want timeout: the device read the write and may hold it", r)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Reason, w) {
					t.Errorf("reason %q, want it to say %q", r.Reason, w)
				}
			}
			if got := <-seen; got != 200 {
				t.Fatalf("the device's first request was at %d, want the setpoint at 200", got)
			}
		})
	}
}
