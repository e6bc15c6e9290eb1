package main

import (
	"net"
	"strings"
	"testing"
)

// TestStatusSilentPortIsNotNoHello: a port that accepts the connection and
// never answers the websocket handshake (a wrong port, a hung gateway) was
// reported as "no hello from URL within 200ms", as if the feed had
// connected and only its hello were missing. It now says nothing answered.
func TestStatusSilentPortIsNotNoHello(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c // accepted, never answered
		}
	}()
	defer func() {
		for len(held) > 0 {
			(<-held).Close()
		}
	}()
	url := "ws://" + ln.Addr().String() + "/v1"
	code, _, errs := runCmd("status", "--feed", url, "--timeout", "200ms")
	want := "no answer from " + url + " within 200ms: the connection or its websocket handshake was not answered"
	if code != 1 || !strings.Contains(errs, want) || strings.Contains(errs, "no hello") {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, want)
	}
}
