package sshd

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// BenchmarkSessionCost measures what one connected operator costs the
// server: the real dashboard on a 10,000-charger site whose snapshots reach
// every session four times a second. It runs the shared ingest alone for a
// fixed time, then with N sessions driven by ssh clients in a separate
// process (so their decryption is not counted), and reports the differences
// per session: heap+stacks after GC, and CPU from getrusage as a share of
// one core. It is a measurement command, not a test:
//
//	go test ./tui/sshd -run '^$' -bench SessionCost -benchtime 1x
//
// V2GDESK_BENCH_SESSIONS (default 20) and V2GDESK_BENCH_SECONDS (default 20)
// change N and the measuring time.
func BenchmarkSessionCost(b *testing.B) {
	sessions := envInt("V2GDESK_BENCH_SESSIONS", 20)
	dur := time.Duration(envInt("V2GDESK_BENCH_SECONDS", 20)) * time.Second
	site := synthSite{feeders: 50, chargers: 10000}

	now := time.Now()
	fleet := feeds.NewFleet(feeds.FleetOptions{})
	fleet.HandleFrame(site.hello(now))
	fleet.HandleFrame(site.update(now, 0, 0, site.chargers))
	hub := feeds.NewHub(fleet, feeds.DefaultHubEvery) // 4 snapshots a second
	alarms := alarm.NewEngine(alarm.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = hub.Run(ctx) }()
	// Ingest: every 250 ms all feeders and a quarter of the chargers, so
	// every snapshot differs and every charger changes once a second.
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for step := 1; ; step++ {
			select {
			case <-ctx.Done():
				return
			case at := <-t.C:
				q := site.chargers / 4
				from := (step % 4) * q
				fleet.HandleFrame(site.update(at, step, from, from+q))
			}
		}
	}()
	defer wg.Wait()
	defer cancel()

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		b.Fatal(err)
	}
	keyFile := writeClientKey(b, priv)
	users, err := ParseUsers(strings.NewReader("bench viewer "+string(gossh.MarshalAuthorizedKey(signer.PublicKey()))), "users")
	if err != nil {
		b.Fatal(err)
	}
	_, hk, _ := ed25519.GenerateKey(rand.Reader)
	host, _ := gossh.NewSignerFromKey(hk)
	srv, err := New(Config{
		Users: users, HostKey: host, MaxSessions: sessions + 1, IdleTimeout: -1,
		Factory: func(s *Session) tea.Model {
			snaps, unsubscribe := hub.Subscribe()
			s.OnClose(unsubscribe)
			return tui.New(tui.Options{Snapshots: snaps, Mode: feeds.ModeLive, Alarms: alarms,
				Operator: s.Operator.Name, Role: string(s.Operator.Role), Renderer: s.Renderer})
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), time.Minute)
		defer scancel()
		_ = srv.Shutdown(sctx, untranslated("benchmark over"), 0)
		<-served
	}()

	b.ResetTimer()
	// Phase 1: the shared ingest alone.
	time.Sleep(2 * time.Second) // warm up: let the hub and history settle
	heap0, rss0, cpu0 := liveHeap(), rss(), cpuTime()
	time.Sleep(dur)
	cpuBase := cpuTime() - cpu0

	// Phase 2: the same with N sessions.
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchClients$", "-test.v")
	cmd.Env = append(os.Environ(), "V2GDESK_BENCH_ADDR="+ln.Addr().String(),
		"V2GDESK_BENCH_KEY="+keyFile, fmt.Sprintf("V2GDESK_BENCH_N=%d", sessions))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	waitLine := func(prefix string) string {
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), prefix) {
				return lines.Text()
			}
		}
		b.Fatalf("client process ended before %q: %v", prefix, lines.Err())
		return ""
	}
	waitLine("READY")
	if got := srv.Presence().Len(); got != sessions {
		b.Fatalf("%d sessions connected, want %d", got, sessions)
	}
	time.Sleep(2 * time.Second) // warm up: every session has drawn its dashboard
	cpu1 := cpuTime()
	time.Sleep(dur)
	cpuSessions := cpuTime() - cpu1
	heap1, rss1 := liveHeap(), rss()
	stdin.Close()
	bytesLine := waitLine("BYTES")
	_ = cmd.Wait()
	b.StopTimer()

	received, _ := strconv.ParseFloat(strings.Fields(bytesLine)[1], 64)
	perMB := float64(int64(heap1)-int64(heap0)) / float64(sessions) / (1 << 20)
	perCore := 100 * (cpuSessions - cpuBase).Seconds() / dur.Seconds() / float64(sessions)
	b.ReportMetric(perMB, "MB/session")
	b.ReportMetric(float64(int64(rss1)-int64(rss0))/float64(sessions)/(1<<20), "MB-RSS/session")
	b.ReportMetric(perCore, "%core/session")
	b.ReportMetric(100*cpuBase.Seconds()/dur.Seconds(), "%core-ingest")
	b.ReportMetric(received/float64(sessions)/(dur.Seconds()+4)/1024, "KiB/s/session")
	b.Logf("%d sessions, %s each phase: heap %0.1f -> %0.1f MB, RSS %0.1f -> %0.1f MB; CPU %.2fs alone, %.2fs with sessions; stats %+v",
		sessions, dur, float64(heap0)/(1<<20), float64(heap1)/(1<<20), float64(rss0)/(1<<20), float64(rss1)/(1<<20), cpuBase.Seconds(), cpuSessions.Seconds(), srv.Stats())
}

// TestBenchClients is BenchmarkSessionCost's client process: N ssh sessions
// with 160x45 terminals that read everything; half stay on the overview and
// half open the charger list. It prints
// READY once every session shows the dashboard, runs until its stdin closes,
// then prints BYTES and the bytes received. It skips unless run by the
// benchmark.
func TestBenchClients(t *testing.T) {
	addr := os.Getenv("V2GDESK_BENCH_ADDR")
	if addr == "" {
		t.Skip("the client half of BenchmarkSessionCost")
	}
	pemBytes, err := os.ReadFile(os.Getenv("V2GDESK_BENCH_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	n := envInt("V2GDESK_BENCH_N", 20)
	var received atomic.Int64
	var ready sync.WaitGroup
	ready.Add(n)
	var clients []*gossh.Client
	var inputs []io.Writer
	for range n {
		c, err := dial(t, addr, gossh.PublicKeys(signer))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, _ := s.StdoutPipe()
		in, _ := s.StdinPipe()
		inputs = append(inputs, in)
		if err := s.RequestPty("xterm-256color", 45, 160, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		go func() {
			buf := make([]byte, 32<<10)
			var seen []byte
			marked := false
			for {
				k, err := out.Read(buf)
				received.Add(int64(k))
				if !marked {
					seen = append(seen, buf[:k]...)
					if bytes.Contains(seen, []byte("Synth Town")) {
						marked = true
						seen = nil
						ready.Done()
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
	ready.Wait()
	// Every other operator watches the 10,000-row charger list rather than
	// the overview: the dearest view to keep up to date.
	for i, in := range inputs {
		if i%2 == 1 {
			if _, err := io.WriteString(in, "3"); err != nil {
				t.Fatal(err)
			}
		}
	}
	fmt.Println("READY")
	_, _ = io.Copy(io.Discard, os.Stdin)
	fmt.Printf("BYTES %d\n", received.Load())
	for _, c := range clients {
		c.Close()
	}
}

// writeClientKey stores priv as an OpenSSH private key for the client process.
func writeClientKey(b *testing.B, priv ed25519.PrivateKey) string {
	block, err := gossh.MarshalPrivateKey(priv, "bench")
	if err != nil {
		b.Fatal(err)
	}
	path := b.TempDir() + "/client_key"
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// liveHeap is the heap and goroutine stacks in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse + ms.StackInuse
}

// rss is the process's resident memory now (Linux; 0 elsewhere).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
