// Package feedstest provides utilities for testing telemetry clients, as
// net/http/httptest does for HTTP.
package feedstest

import (
	"net"
	"sync"
	"testing"
)

// SilentServer listens on a loopback port, accepts one connection and
// never answers on it: a peer whose websocket upgrade never completes, as
// a hung server or the wrong service on the port does. It returns the
// websocket URL to dial and a channel that receives the accepted
// connection, so that a test cancels its client only once the handshake
// is under way. The listener and the connection are closed when the test
// ends.
func SilentServer(t testing.TB) (url string, accepted <-chan net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conn net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		if conn != nil {
			conn.Close()
		}
	})
	ch := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return // the listener closed: the test ended
		}
		mu.Lock()
		conn = c
		mu.Unlock()
		ch <- c // held open, never answered
	}()
	return "ws://" + ln.Addr().String() + "/v1", ch
}
