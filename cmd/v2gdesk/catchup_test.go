package main

import (
	"bytes"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/tui"
)

// catchUpSession is one dashboard on a shared desk, as runDashboard and
// serve's sessions open it.
func catchUpSession(t *testing.T, in ingest, desk *sharedDesk, lang string, w, h int) *tui.Model {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	m := tui.New(tui.Options{Mode: in.mode, Control: in.control, Alarms: desk.alarms, Lang: lang, Renderer: r,
		Dispatch: desk.dispatch, Plan: desk.dispatch, Act: localActions(desk.actions)})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// typeKeys sends s to m as typed keys ("\r" is enter) and runs the
// commands they return that act at once (a seek), as the program would.
func typeKeys(m *tui.Model, s string) {
	for _, r := range s {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if r == '\r' {
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		}
		if _, cmd := m.Update(msg); cmd != nil && r == '\r' {
			if out := cmd(); out != nil {
				m.Update(out)
			}
		}
	}
}

// untilCatchUp hands the hub's snapshots to every session until the
// desk's alarm engine has seen catch-up n arrive, and returns it.
func untilCatchUp(t *testing.T, snaps <-chan *feeds.Snapshot, desk *sharedDesk, n uint64, sessions ...*tui.Model) alarm.CatchUp {
	t.Helper()
	for s := range snaps {
		for _, m := range sessions {
			m.Update(tui.SnapshotMsg{Snapshot: s})
		}
		if c, ok := desk.alarms.LastCatchUp(); ok && c.N >= n {
			return c
		}
	}
	t.Fatalf("the hub stopped before catch-up #%d arrived", n)
	return alarm.CatchUp{}
}

// TestDeskCatchUpAcrossSeek: `v2gdesk --start 12:00 --journal F` on the
// demo day, then `:seek 16:00`. Both catch-ups skip a loading warning on
// F10 (00:00..00:40, 12:21..14:59) that came and went: neither is listed,
// each is in the engine's summary, on the alarms page of every session
// (English at 160x45, zh-CN at 80x24) until that session dismisses it,
// and in the journal as alarm_catch_up, which `v2gdesk audit` prints,
// after the clock_seek that caused the second.
func TestDeskCatchUpAcrossSeek(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	in, err := openIngest(ingestOptions{scenario: "demo", start: "12:00", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
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
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	en := catchUpSession(t, in, desk, "", 160, 45)
	zh := catchUpSession(t, in, desk, "zh-CN", 80, 24)

	// --start 12:00: the day's first twelve hours are the first catch-up.
	c := untilCatchUp(t, snaps, desk, 1, en, zh)
	if n, fs := c.Warnings(); n != 1 || strings.Join(fs, ",") != "F10" || c.From.In(c.To.Location()).Format("15:04") != "00:00" {
		t.Fatalf("--start 12:00: catch-up %+v, want 1 warning on F10 from 00:00", c)
	}

	typeKeys(en, ":seek 16:00\r")
	c = untilCatchUp(t, snaps, desk, 2, en, zh)
	loc := desk.fleet.Snapshot().Location
	if n, fs := c.Warnings(); n != 1 || strings.Join(fs, ",") != "F10" || c.Others() != 0 {
		t.Fatalf(":seek 16:00: catch-up %+v, want 1 warning on F10", c)
	}
	m := c.Missed[0]
	if got := m.First.In(loc).Format("15:04") + ".." + m.Last.In(loc).Format("15:04"); got != "12:21..14:59" {
		t.Errorf(":seek 16:00: F10's warning %s, want 12:21..14:59", got)
	}
	if to := c.To.In(loc).Format("15:04"); !strings.HasPrefix(to, "16:0") || !strings.HasPrefix(c.From.In(loc).Format("15:04"), "12:") {
		t.Errorf(":seek 16:00: span %s–%s, want 12:xx–16:0x", c.From.In(loc).Format("15:04"), to)
	}
	for _, a := range desk.alarms.Board().Alarms {
		if a.Kind == alarm.KindLoading && a.Source == "F10" && !a.Active {
			t.Errorf("F10's warning that came and went is listed: %+v", a)
		}
	}

	// Every session's alarms page says it, until that session dismisses it.
	span := c.From.In(loc).Format("15:04") + "–" + c.To.In(loc).Format("15:04")
	for _, tc := range []struct {
		m     *tui.Model
		want  string
		never string
	}{
		{en, "skipped " + span + ": 1 loading warning on F10 · d dismiss", ""},
		{zh, "已跳过 " + span + "：F10 负载预警 1 次 · d 关闭", "skipped"},
	} {
		typeKeys(tc.m, "4")
		screen := tc.m.View()
		if !strings.Contains(screen, tc.want) || (tc.never != "" && strings.Contains(screen, tc.never)) {
			t.Errorf("alarms page lacks %q:\n%s", tc.want, screen)
		}
	}
	typeKeys(en, "d")
	if screen := en.View(); strings.Contains(screen, "· d dismiss") {
		t.Errorf("still on the alarms page after d (the footer's flash may say it until it goes):\n%s", screen)
	}
	if !strings.Contains(zh.View(), "· d 关闭") {
		t.Error("d in one session dismissed the other's")
	}

	unsubscribe()
	desk.stop()
	stopped = true
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Kind == adapters.RecAlarmCatchUp || r.Kind == tui.ActClockSeek {
			recs = append(recs, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].Kind != adapters.RecAlarmCatchUp || recs[1].Kind != tui.ActClockSeek || recs[2].Kind != adapters.RecAlarmCatchUp {
		t.Fatalf("journal %+v, want alarm_catch_up, clock_seek, alarm_catch_up", recs)
	}
	if want := "skipped 00:00–12:0"; !strings.HasPrefix(recs[0].Reason, want) {
		t.Errorf("first record's reason %q, want %q…", recs[0].Reason, want)
	}
	reason := "skipped " + span + ": 1 loading warning on F10"
	if recs[2].Reason != reason || !strings.Contains(recs[2].Detail, "loading/F10 WARN 12:21..14:59") {
		t.Errorf("second record %q %q, want %q naming F10's warning 12:21..14:59", recs[2].Reason, recs[2].Detail, reason)
	}
	var out, errOut bytes.Buffer
	if code := runAudit(t.Context(), []string{"--journal", journal, "--wide"}, &out, &errOut); code != 0 {
		t.Fatalf("audit exit %d: %s", code, errOut.String())
	}
	if !regexp.MustCompile(`alarm_catch_up .*` + regexp.QuoteMeta(reason)).MatchString(out.String()) {
		t.Errorf("audit does not print the catch-up %q:\n%s", reason, out.String())
	}
}
