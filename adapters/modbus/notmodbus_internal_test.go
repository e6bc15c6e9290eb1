package modbus

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestDescribeAnswer: each kind of answer to the probe is worded for what
// it is, so the reason says what to check.
func TestDescribeAnswer(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		err  error
		want string
	}{
		{"http", []byte("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n"), nil, `speaks HTTP, not Modbus TCP: asked again (a read of register 200), it answered "HTTP/1.0 200 OK"`},
		{"modbus", []byte{0x76, 0x31, 0, 0, 0, 5, 1, 3, 2, 0, 70}, nil, "it answered in Modbus TCP (76 31 00 00 00 05 01 03 02 00 46): the device sent a malformed answer"},
		{"text", []byte("SSH-2.0-OpenSSH_9.6\r\n"), nil, `it answered in text, "SSH-2.0-OpenSSH_9.6"`},
		{"binary", []byte{0x16, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28}, nil, "it answered 16 03 01 00 02 02 28 (7 bytes)"},
		{"silent", nil, os.ErrDeadlineExceeded, "the peer said nothing within 2s"},
		{"closed", nil, errors.New("read: EOF"), "a read of register 200): read: EOF"},
	}
	for _, tt := range tests {
		if got := describeAnswer(tt.got, tt.err, 200, 2*time.Second); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q\nwant it to contain %q", tt.name, got, tt.want)
		}
	}
}
