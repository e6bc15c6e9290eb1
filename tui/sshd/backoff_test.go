package sshd

import (
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestBackoffDoublesAndClears(t *testing.T) {
	now := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	b := NewBackoff(3, 10*time.Second, 35*time.Second, func() time.Time { return now })
	a := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 50001}
	other := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 50999} // same host, new port
	steps := []time.Duration{0, 0, 10 * time.Second, 20 * time.Second, 35 * time.Second, 35 * time.Second}
	for i, want := range steps {
		if got := b.Fail(a); got != want {
			t.Errorf("failure %d: back-off %s, want %s", i+1, got, want)
		}
	}
	if left, blocked := b.Blocked(other); !blocked || left != 35*time.Second {
		t.Errorf("same host, other port: blocked=%v left=%s", blocked, left)
	}
	if _, blocked := b.Blocked(&net.TCPAddr{IP: net.IPv4(10, 0, 0, 8), Port: 1}); blocked {
		t.Errorf("another host is blocked")
	}
	now = now.Add(36 * time.Second)
	if _, blocked := b.Blocked(a); blocked {
		t.Errorf("still blocked after the back-off")
	}
	b.Succeed(a)
	if got := b.Fail(a); got != 0 {
		t.Errorf("after a success the count did not restart: %s", got)
	}
}

func TestBackoffRefusesAndSaysWhy(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	mallory := newUser(t, "mallory", RoleAdmin)
	ts := startServer(t, []user{dana}, func(c *Config) {
		c.AuthFailures = 2
		c.AuthBackoff = time.Hour
	})
	for i := 0; i < 2; i++ {
		if _, err := dial(t, ts.addr, gossh.PublicKeys(mallory.signer)); err == nil {
			t.Fatal("unknown key accepted")
		}
	}
	// The server counts a failure after the client has seen it: wait for it.
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}
	deadline := time.Now().Add(waitLong)
	for _, blocked := ts.backoff.Blocked(local); !blocked; _, blocked = ts.backoff.Blocked(local) {
		if time.Now().After(deadline) {
			t.Fatal("two failed logins did not start the back-off")
		}
		time.Sleep(5 * time.Millisecond) // polling a counter, not synchronising
	}
	// Now an unknown key is refused from this address, with a banner...
	var banner string
	_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "mallory",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(mallory.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		BannerCallback:  func(m string) error { banner = m; return nil },
		Timeout:         waitLong,
	})
	if err == nil {
		t.Fatal("an unknown key got through")
	}
	// Before login the client's locale is not known: English, then Chinese.
	lines := strings.Split(strings.TrimSuffix(banner, "\r\n"), "\r\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "v2gdesk: too many failed logins from 127.0.0.1; keys not in the users file are refused for ") ||
		!strings.HasPrefix(lines[1], "v2gdesk: 来自 127.0.0.1 的登录失败次数过多; ") || !strings.HasSuffix(lines[1], "分钟内只接受用户文件中的密钥") {
		t.Errorf("banner %q, want an English line and a Chinese one", banner)
	}
	ts.audit.waitFor(t, AuditRefused+" ")
	// ...but an operator's key still gets in: operators behind one jump
	// host share its address, and a stranger must not lock them out.
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana (dispatcher)")
	d.key(t, "q")
	d.wait(t)
	d.close()
	if _, blocked := ts.backoff.Blocked(local); !blocked {
		t.Error("dana's login lifted the back-off the stranger earned")
	}
}
