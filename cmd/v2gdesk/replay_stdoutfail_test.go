package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/replay"
)

// failAfterWriter takes ok writes, then fails every later one as
// /dev/full does, counting the writes that reached it.
type failAfterWriter struct {
	ok     int
	writes int
}

func (w *failAfterWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.ok {
		return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
	}
	return len(p), nil
}

// TestReplayHeadlessStopsAtFailedWrite: `replay FILE --headless > /dev/full`
// stops at the first write that failed and says so once: it played and
// read the whole recording, writing each summary line to a stdout that took
// none, then exited 1.
func TestReplayHeadlessStopsAtFailedWrite(t *testing.T) {
	path := demoRecording(t)
	tests := []struct {
		name string
		ok   int    // writes that get through
		said string // on stderr
	}{
		{"the first line fails", 0, "stopped before playing " + path},
		{"a summary line fails", 1, "the rest not played"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &failAfterWriter{ok: tt.ok}
			var errb bytes.Buffer
			code := runChecked(context.Background(), []string{"replay", path, "--headless"}, out, &errb)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errb.String())
			}
			if out.writes != tt.ok+1 {
				t.Errorf("%d writes reached stdout, want %d: it wrote on after the one that failed", out.writes, tt.ok+1)
			}
			const lost = "write /dev/stdout: no space left on device"
			if got := errb.String(); !strings.Contains(got, "v2gdesk replay: could not write to stdout: "+lost) || !strings.Contains(got, tt.said) {
				t.Errorf("stderr %q does not say the write failed and %q", got, tt.said)
			}
			if n := strings.Count(errb.String(), lost); n != 1 {
				t.Errorf("stderr names the failed write %d times, want once:\n%s", n, errb.String())
			}
		})
	}
}

// TestReplayHeadlessFailedWriteInZhCN: replay --headless, which takes no
// --lang, words its failed-write stop in the shell's locale as status and
// record word theirs; it was English whatever the locale, the one line of
// the command a zh-CN engineer could not read in Chinese.
func TestReplayHeadlessFailedWriteInZhCN(t *testing.T) {
	path := demoRecording(t)
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	for _, tt := range []struct {
		ok   int
		said string
	}{{0, "未播放 " + path + " 即停止"}, {1, "其余部分未播放"}} {
		out := &failAfterWriter{ok: tt.ok}
		var errb bytes.Buffer
		code := runChecked(context.Background(), []string{"replay", path, "--headless"}, out, &errb)
		got := errb.String()
		if code != 1 || !strings.Contains(got, "v2gdesk replay: 无法写入标准输出：write /dev/stdout: no space left on device") || !strings.Contains(got, tt.said) {
			t.Errorf("%d writes through: exit %d, stderr %q; want 1 and the stop in Chinese, %q", tt.ok, code, got, tt.said)
		}
	}
}

// TestDamageToldInLang: the damage a reading found is framed in the
// operator's language (the dashboard's --lang, headless the locale), the
// reader's own note passed on as it said it.
func TestDamageToldInLang(t *testing.T) {
	r := replay.Report{Skipped: 3, SkipNotes: []string{"line 7: invalid character 'x'"}}
	for _, tc := range []struct{ lang, want string }{
		{"en", "day.v2grec: skipped line 7: invalid character 'x'\nday.v2grec: 2 more lines skipped\n"},
		{"zh-CN", "day.v2grec: 已跳过 line 7: invalid character 'x'\nday.v2grec: 另有 2 行被跳过\n"},
	} {
		var b bytes.Buffer
		tellSkipped(&b, tc.lang, "day.v2grec", r)
		if b.String() != tc.want {
			t.Errorf("%s: told %q, want %q", tc.lang, b.String(), tc.want)
		}
	}
}
