package modbus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	mb "github.com/simonvetter/modbus"
)

// probeBytes is how much of a peer's answer the probe reads: enough for an
// HTTP status line or a Modbus answer, not a web page.
const probeBytes = 256

// notModbus says what a peer that broke the Modbus TCP framing (err, the
// client's ErrProtocolError) actually speaks, for the reason of the failed
// write: "protocol error" alone sent an operator to the device's manual
// when the URL named a web server's port. The client library keeps the
// bytes it could not read to itself, so the adapter asks again on a
// connection of its own, with a read of register addr (function 3, which
// changes nothing on a device), and describes the answer. It returns ""
// for any other error, or a URL it cannot probe (not tcp://).
func notModbus(err error, url string, unit uint8, addr uint16, timeout time.Duration) string {
	if !errors.Is(err, mb.ErrProtocolError) {
		return ""
	}
	host, ok := strings.CutPrefix(url, "tcp://")
	if !ok {
		return ""
	}
	got, perr := probe(host, unit, addr, timeout)
	return describeAnswer(got, perr, addr, timeout)
}

// probe sends one Modbus TCP read of a holding register to host and
// returns what comes back first, up to probeBytes.
func probe(host string, unit uint8, addr uint16, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", host, timeout)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, fmt.Errorf("set deadline: %w", err)
	}
	// MBAP header (transaction 0x7631, protocol 0, length 6, unit), then
	// function 3, the address and a quantity of 1.
	req := []byte{0x76, 0x31, 0, 0, 0, 6, unit, 3}
	req = binary.BigEndian.AppendUint16(req, addr)
	req = binary.BigEndian.AppendUint16(req, 1)
	if _, err := conn.Write(req); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	buf := make([]byte, probeBytes)
	n, err := conn.Read(buf)
	if n > 0 {
		return buf[:n], nil
	}
	return nil, fmt.Errorf("read: %w", err)
}

// describeAnswer words what a read of register addr was answered with
// (got), or why nothing came (err).
func describeAnswer(got []byte, err error, addr uint16, timeout time.Duration) string {
	asked := fmt.Sprintf("asked again (a read of register %d)", addr)
	var ne net.Error
	switch {
	case len(got) == 0 && errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("the answer is not Modbus TCP; %s, the peer said nothing within %v", asked, timeout)
	case len(got) == 0:
		return fmt.Sprintf("the answer is not Modbus TCP; %s: %v", asked, err)
	case bytes.HasPrefix(got, []byte("HTTP/")):
		return fmt.Sprintf("the peer speaks HTTP, not Modbus TCP: %s, it answered %q; the url is most likely a web server's port, not the device's Modbus port (usually 502)",
			asked, firstLine(got))
	case len(got) >= 8 && got[2] == 0 && got[3] == 0:
		return fmt.Sprintf("the answer broke the Modbus TCP framing; %s, it answered in Modbus TCP (% x): the device sent a malformed answer to the write", asked, cut(got, 16))
	case utf8.Valid(got) && printable(got):
		return fmt.Sprintf("the peer does not speak Modbus TCP: %s, it answered in text, %q", asked, firstLine(got))
	}
	return fmt.Sprintf("the peer does not speak Modbus TCP: %s, it answered % x (%d bytes)", asked, cut(got, 16), len(got))
}

// firstLine is b's first line, shortened to 80 bytes.
func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(cut(bytes.TrimRight(line, "\r"), 80))
}

// cut is b's first n bytes.
func cut(b []byte, n int) []byte {
	return b[:min(n, len(b))]
}

// printable reports whether b is text: no control characters but line
// ends and tabs.
func printable(b []byte) bool {
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}
