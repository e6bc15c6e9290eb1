package sshd

import (
	"io"
	"testing"

	"github.com/muesli/termenv"
)

// TestClientRendererNoColor: a client that sends NO_COLOR (`ssh -o
// SetEnv=NO_COLOR=1`) gets a session drawn without colour, as a local desk
// under NO_COLOR is; the same terminal without it gets its colours, and a
// dumb terminal none. docs/operations.md tells operators how to send it.
func TestClientRendererNoColor(t *testing.T) {
	for _, tc := range []struct {
		name, term string
		env        []string
		want       termenv.Profile
	}{
		{"xterm-256color", "xterm-256color", nil, termenv.ANSI256},
		{"NO_COLOR", "xterm-256color", []string{"NO_COLOR=1"}, termenv.Ascii},
		{"dumb", "dumb", nil, termenv.Ascii},
		{"no terminal type", "", nil, termenv.Ascii},
	} {
		if got := clientRenderer(io.Discard, tc.term, tc.env).ColorProfile(); got != tc.want {
			t.Errorf("%s: colour profile %v, want %v", tc.name, got, tc.want)
		}
	}
}
