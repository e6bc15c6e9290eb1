package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/tui"
)

// refusalTap is a replay's control that tells the test when the refusal
// the desk asked to be told of has been handled (journalled).
type refusalTap struct {
	*replay.Player
	wired bool
	done  chan replay.RefusedSeek
}

func (r *refusalTap) OnRefused(f func(replay.RefusedSeek)) {
	r.wired = true
	r.Player.OnRefused(func(s replay.RefusedSeek) {
		f(s)
		r.done <- s
	})
}

// TestReplaySeekRefusedIsJournalled: on `v2gdesk replay FILE --journal J`,
// a :seek past what is read is journalled as clock_seek when it is taken;
// when the reading then finds the recording ends before it, the seek is
// refused on screen and undone, and J gets a clock_seek_refused after it
// (the same to=, the reason, back= where the clock stayed), which `v2gdesk
// audit` shows. The journal used to say only that the clock was sought.
func TestReplaySeekRefusedIsJournalled(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	data, err := os.ReadFile(demoRecording(t)) // 23:00 to 00:00
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go pw.Write(data[:len(data)/3])
	readCtx, stopReading := context.WithCancel(context.Background())
	defer stopReading()
	rec, err := replay.OpenReader(readCtx, pr, int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 1})
	if err != nil {
		t.Fatal(err)
	}
	const file = "day.v2grec"
	in := replayIngest(file, rec, p)
	tap := &refusalTap{Player: p, done: make(chan replay.RefusedSeek, 1)}
	in.control = tap
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	desk, err := startDesk(in, deskOptions{journal: journal}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			desk.stop()
		}
	}()
	if !tap.wired {
		t.Fatal("the desk did not ask the replay to tell it of refused seeks: a refusal would go unjournalled")
	}
	// The operator seeks once the desk shows the recording: the player
	// runs (a seek before it would be a --start's).
	snaps, unsubscribe := desk.hub.Subscribe()
	for s := range snaps {
		if s.HaveTopology {
			break
		}
	}
	unsubscribe()
	// As runDashboard makes it, without a terminal.
	m := tui.New(tui.Options{Mode: in.mode, Control: in.control, Act: localActions(desk.actions), Reading: in.reading, Loading: in.loading})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	const target = "2024-01-18T01:00:00+08:00"
	typeKeys(m, ":seek "+target+"\r")
	if _, err := pw.Write(data[len(data)/3:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-tap.done
	loc := rec.Header.Location()
	if r.BeforeRun || r.Target.In(loc).Format(time.RFC3339) != target || r.End.In(loc).Format("15:04") != "00:00" {
		t.Fatalf("refused %+v, want the :seek to %s, the end 00:00", r, target)
	}
	desk.stop()
	stopped = true

	var seek, refused adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		switch r.Kind {
		case "clock_seek":
			seek = r
		case adapters.RecClockSeekRefused:
			if seek.Seq == 0 {
				t.Errorf("clock_seek_refused #%d before any clock_seek", r.Seq)
			}
			refused = r
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if seek.Seq == 0 || refused.Seq == 0 {
		t.Fatalf("journal: clock_seek %+v, clock_seek_refused %+v; want both", seek, refused)
	}
	back := r.Back.In(loc).Format("15:04")
	if refused.Operator != tui.LocalOperator || refused.Reason != "after the recording's end 00:00 (found once the reading got there); the clock stayed at "+back ||
		!strings.Contains(refused.Detail, `summary="seek 01:00 is after the recording's end 00:00: stays at `+back+`"`) ||
		!strings.Contains(refused.Detail, "back=") || !strings.Contains(refused.Detail, "end=") {
		t.Errorf("clock_seek_refused %+v", refused)
	}
	to := func(detail string) string {
		_, after, _ := strings.Cut(detail, "to=")
		return after
	}
	if to(refused.Detail) == "" || to(refused.Detail) != to(seek.Detail) {
		t.Errorf("clock_seek_refused's to=%q, the clock_seek's to=%q: want the same", to(refused.Detail), to(seek.Detail))
	}

	var out, errb bytes.Buffer
	if code := runAudit(context.Background(), []string{"--journal", journal, "--tz", "Asia/Shanghai"}, &out, &errb); code != 0 {
		t.Fatalf("audit: exit %d: %s", code, errb.String())
	}
	var row string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "clock_seek_refused") {
			row = l
		}
	}
	for _, want := range []string{"local", "after the recording's end 00:00", "the clock stayed at " + back, "stays at " + back} {
		if !strings.Contains(row, want) {
			t.Errorf("audit row %q lacks %q\n%s", row, want, out.String())
		}
	}
}
