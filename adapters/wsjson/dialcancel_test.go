package wsjson

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// Dial against a peer that accepts the connection and never answers the
// websocket upgrade ends when its ctx is cancelled: it waited for the
// ctx's deadline (the link's 5 s dial limit; an hour here), so Ctrl-C on
// a desk or `v2gdesk setpoint` dialling a silent wsjson peer hung there.
func TestDialCancelledDuringHandshake(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // held open, never answered
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		c, err := Dial(ctx, "ws://"+ln.Addr().String()+"/v1", nil)
		if c != nil {
			c.Close()
		}
		done <- err
	}()
	c := <-accepted
	defer c.Close()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Dial = %v, want context.Canceled", err)
	}
}
