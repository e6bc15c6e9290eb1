package sshd

import (
	"context"
	"net"
	"testing"
)

// TestShutdownWithNoGraceIsClean: a shutdown with no grace, its listener
// closed while Serve was still returning, failed now and then with "sshd:
// close: close tcp …: use of closed network connection" (TestCommandRefused
// failed about one run in thirty), and `v2gdesk serve --shutdown-grace 0`
// then reported a clean stop as an error. Closing the listener twice is
// no failure: every one of many stops is clean.
func TestShutdownWithNoGraceIsClean(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	for i := range 200 {
		cfg, _ := testConfig(t, []user{dana})
		srv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ln) }()
		// Accepting: a connection made (and dropped) proves Serve is in
		// its accept loop, holding the listener.
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		if err := srv.Shutdown(context.Background(), untranslated("test over"), 0); err != nil {
			t.Fatalf("stop %d: %v", i, err)
		}
		if err := <-done; err != nil {
			t.Fatalf("stop %d: serve: %v", i, err)
		}
	}
}
