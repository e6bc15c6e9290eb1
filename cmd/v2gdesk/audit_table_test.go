package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// longJournal writes a journal as serve and the demo day's desk write it:
// a login with its long detail, a DR decision with a long reason, and a
// setpoint's result with its long id.
func longJournal(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	kw := 2.2
	if err := j.Append(
		adapters.Record{Kind: adapters.RecLogin, Operator: "ana",
			Detail: "height=45 key=SHA256:uNP9hE/RpG78HWHgnt9yrUB42mczAtW1ukUfmKDHr/w remote=127.0.0.1:41136 role=dispatcher session=1 term=tmux-256color width=160"},
		adapters.Record{Kind: "dispatch_confirm", Operator: "ana", Event: "OP-1",
			Detail: "cap F10 at 1450 kW 18:00–19:00; 73 setpoints; moves 285 kW; unmet 0.0 kWh, 0 EVs short; confirmed once"},
		adapters.Record{Kind: adapters.RecResult, Operator: "ana", Event: "OP-1", Charger: "CP-0159", Setpoint: "OP-1@20240117T095400.1/CP-0159",
			Status: adapters.StatusAccepted, AppliedKW: &kw, Reason: "DR OP-1: cap F10 at 1450 kW 18:00–19:00; plan 1 (confirmed)"},
	); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// auditOnTerminal runs `v2gdesk audit args` with stdout a terminal of cols
// columns and returns what it printed there and on stderr.
func auditOnTerminal(t *testing.T, cols int, args ...string) (stdout, stderr string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: uint16(cols), Rows: 24}); err != nil {
		t.Fatal(err)
	}
	read := make(chan string)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, ptmx) // ends with EIO once the terminal is closed
		read <- b.String()
	}()
	var errb bytes.Buffer
	// As main runs it: stdout checked for write errors (runChecked).
	code := runChecked(context.Background(), append([]string{"audit"}, args...), tty, &errb)
	tty.Close()
	out := strings.ReplaceAll(<-read, "\r\n", "\n")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	return out, errb.String()
}

// TestAuditFitsTheTerminal: on a terminal every line of `v2gdesk audit`
// fits: at 160 columns a table whose long values are cut short with …, at
// 80 (too narrow for a table of setpoints and sessions) a block per record;
// stderr says how to see everything whole. --wide, and a pipe, print every
// value whole. Before, the REASON and DETAIL columns were padded to ~150
// characters whatever the terminal.
func TestAuditFitsTheTerminal(t *testing.T) {
	path := longJournal(t)
	fits := func(out string, cols int) {
		t.Helper()
		for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if n := ansi.StringWidth(l); n > cols {
				t.Errorf("a line of %d columns on a %d-column terminal:\n%s", n, cols, l)
			}
		}
	}
	contains := func(out string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("the output lacks %q:\n%s", w, out)
			}
		}
	}
	const note = "; --wide or --json shows them whole\ncolumns without a value left out (--wide shows them): KW"
	out, errs := auditOnTerminal(t, 160, "--journal", path)
	fits(out, 160)
	contains(out, "SEQ  TIME (UTC)           KIND              OPERATOR  CHARGER  SETPOINT                        STATUS    APPLIED  EVENT  REASON",
		"OP-1@20240117T095400.1/CP-0159  accepted  2.20     OP-1   DR OP-1: cap F10 at …  -", "  height=45 key=S…")
	contains(errs, "values cut short with … to fit 160 columns"+note)

	out, errs = auditOnTerminal(t, 80, "--journal", path)
	fits(out, 80)
	contains(out, "SEQ  TIME (UTC)           KIND              OPERATOR  EVENT\n1    ",
		"  result            ana       OP-1\n     status accepted · applied 2.20 kW · charger CP-0159\n     setpoint OP-1@20240117T095400.1/CP-0159\n     reason: DR OP-1: cap F10 at 1450 kW 18:00–19:00; plan 1 (confirmed)\n",
		"     detail: height=45 key=SHA256:", "…")
	fits(errs, 80)
	contains(errs, "values cut short with … to fit 80 columns"+note)

	// Sessions and DR decisions only, as serve on a feed without adapters
	// writes them: the columns of setpoints left out; a block per record at
	// 80 columns, a table at 160.
	sessions := filepath.Join(t.TempDir(), "sessions.jsonl")
	j, _, err := adapters.OpenJournal(sessions)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(
		adapters.Record{Kind: adapters.RecLogin, Operator: "ana", Detail: "height=45 key=SHA256:uNP9hE/RpG78HWHgnt9yrUB42mczAtW1ukUfmKDHr/w remote=127.0.0.1:41136"},
		adapters.Record{Kind: "dispatch_decline", Operator: "ana", Event: "OP-1", Reason: "declined at the desk", Detail: "cap system at 16435 kW 17:09–19:09"},
	); err != nil {
		t.Fatal(err)
	}
	j.Close()
	out, errs = auditOnTerminal(t, 80, "--journal", sessions)
	fits(out, 80)
	contains(out, "  dispatch_decline  ana       OP-1\n     reason: declined at the desk\n     detail: cap system at 16435 kW 17:09–19:09\n")
	// The summary on stderr keeps to the terminal's width too, broken
	// between words: the terminal broke the list of columns mid-word.
	fits(errs, 80)
	contains(errs, "1 value cut short with … to fit 80 columns; --wide or --json shows them whole\ncolumns without a value left out (--wide shows them): CHARGER, SETPOINT, KW,\nSTATUS, APPLIED")
	out, errs = auditOnTerminal(t, 160, "--journal", sessions)
	fits(out, 160)
	contains(out, "SEQ  TIME (UTC)           KIND              OPERATOR  EVENT  REASON                DETAIL\n",
		"  dispatch_decline  ana       OP-1   declined at the desk  cap system at 16435 kW 17:09–19:09\n")
	contains(errs, "\ncolumns without a value left out (--wide shows them): CHARGER, SETPOINT, KW, STATUS, APPLIED\n")

	whole := "remote=127.0.0.1:41136 role=dispatcher session=1 term=tmux-256color width=160"
	wide, errs := auditOnTerminal(t, 80, "--journal", path, "--wide")
	if !strings.Contains(wide, whole) || !strings.Contains(wide, "OP-1@20240117T095400.1/CP-0159") || strings.Contains(errs, "cut short") {
		t.Errorf("--wide cuts values:\n%s\n%s", wide, errs)
	}
	var piped, perr bytes.Buffer
	if code := run(context.Background(), []string{"audit", "--journal", path}, &piped, &perr); code != 0 || !strings.Contains(piped.String(), whole) ||
		!strings.Contains(piped.String(), "KW") || strings.Contains(perr.String(), "cut short") {
		t.Errorf("piped: exit %d, values cut:\n%s\n%s", code, piped.String(), perr.String())
	}
}

// TestCutMiddleKeepsBothEnds: a cut setpoint id keeps its event and its
// charger.
func TestCutMiddleKeepsBothEnds(t *testing.T) {
	if got := cutMiddle("OP-1@20240117T095400.1/CP-0159", 16); got != "OP-1@20…/CP-0159" {
		t.Errorf("cutMiddle = %q", got)
	}
	if got := cutEnd("declined at the desk", 8); got != "decline…" {
		t.Errorf("cutEnd = %q", got)
	}
}

// TestAuditBlocksLeaveOutWhatTheNoteSays: a journal of manual setpoints
// (no DR event) at 80 columns is a block per record, and stderr says the
// EVENT column was left out; the blocks' first line left it out too. It
// used to keep an EVENT column of dashes that the note said was not there.
func TestAuditBlocksLeaveOutWhatTheNoteSays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	kw := 3.7
	if err := j.Append(
		adapters.Record{Kind: adapters.RecSetpoint, Operator: "ana", Charger: "CP01", Setpoint: "manual-CP01-1795742730630333187", KW: &kw, Reason: "manual setpoint"},
		adapters.Record{Kind: adapters.RecResult, Operator: "ana", Charger: "CP01", Setpoint: "manual-CP01-1795742730630333187",
			Status: adapters.StatusAccepted, AppliedKW: &kw, Reason: "manual setpoint", Detail: "clamped from 30 to 22 kW (bounds [0, 22] kW); dry-run adapter: not sent to hardware"},
	); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	out, errs := auditOnTerminal(t, 80, "--journal", path)
	if !strings.Contains(errs, "columns without a value left out (--wide shows them): EVENT") {
		t.Fatalf("stderr does not say EVENT was left out:\n%s", errs)
	}
	if !strings.Contains(out, "     status accepted · applied 3.70 kW") {
		t.Fatalf("not a block per record:\n%s", out)
	}
	// The setpoint's power asked has its unit too: it read "kw 3.70".
	if !strings.Contains(out, "asked 3.70 kW") || strings.Contains(out, "kw 3.70") {
		t.Errorf("the setpoint's block does not give the power asked in kW:\n%s", out)
	}
	head, _, _ := strings.Cut(out, "\n")
	if want := "SEQ  TIME (UTC)           KIND      OPERATOR"; strings.TrimRight(head, " ") != want {
		t.Errorf("the blocks' header is %q, want %q (no EVENT, which stderr says was left out)", head, want)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "1 ") && strings.HasSuffix(strings.TrimRight(l, " "), " -") {
			t.Errorf("a record's first line ends in an empty column: %q", l)
		}
	}
}
