package sshd

import (
	"context"
	"net"
	"testing"
)

// TestShutdownBeforeServe: a SIGTERM or SIGHUP can reach `serve` after its
// listener exists and before the goroutine running Serve has started.
// Shutdown then comes first, and Serve must still return (nil) instead of
// accepting on its listener forever: `serve` waits for Serve before it
// exits, and hung there (seen once under load in
// TestServeHangUpShutsDownGracefully).
func TestShutdownBeforeServe(t *testing.T) {
	cfg, _ := testConfig(t, []user{newUser(t, "ana", RoleAdmin)})
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := srv.Shutdown(ctx, untranslated("test over"), 0); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := srv.Serve(ln); err != nil {
		t.Errorf("serve after shutdown: %v, want nil", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Errorf("the listener still accepts after Serve returned")
	}
}
