package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// zhShelveJournal is a journal as a zh-CN desk writes it: an operator
// shelved an alarm with a reason typed in Chinese, and the record's
// summary quotes it; then an acknowledgement in English.
func zhShelveJournal(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	reason := "变压器检修期间负荷转移至相邻馈线，预计二十二点前恢复正常运行状态请勿重复告警"
	if err := j.Append(
		adapters.Record{Kind: "alarm_shelve", Operator: "local", Reason: reason,
			Detail: `alarm=loading/F10 summary="shelved ▲ HIGH F10 loading 98% (▲120%) (` + reason + `)"`},
		adapters.Record{Kind: adapters.RecAlarmAck, Operator: "local", Reason: "seen",
			Detail: `alarm=loading/F06 summary="acknowledged ▲ HIGH F06 loading 113%"`},
	); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAuditMeasuresChineseInCells: a Chinese reason takes two columns a
// character. `v2gdesk audit` counted runes: at 80 columns the reason's
// line ran past the terminal's edge and wrapped, uncut and not counted in
// the note; at 160 columns the table's DETAIL was cut to a line the
// terminal wrapped; and piped, the columns after REASON stood out of line
// on the Chinese row.
func TestAuditMeasuresChineseInCells(t *testing.T) {
	path := zhShelveJournal(t)
	for _, cols := range []int{80, 160} {
		out, errs := auditOnTerminal(t, cols, "--journal", path)
		for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if w := ansi.StringWidth(l); w > cols {
				t.Errorf("%d columns: a line of %d cells:\n%s", cols, w, l)
			}
		}
		if !strings.Contains(out, "变压器检修期间") || !strings.Contains(out, "…") {
			t.Errorf("%d columns: the reason is not there, cut short:\n%s", cols, out)
		}
		if !strings.Contains(errs, "cut short with … to fit") {
			t.Errorf("%d columns: stderr does not say values were cut:\n%s", cols, errs)
		}
	}
	// Whole (piped): each column starts at the same cell on every line.
	var piped, perr bytes.Buffer
	if code := run(context.Background(), []string{"audit", "--journal", path}, &piped, &perr); code != 0 {
		t.Fatalf("piped: exit %d: %s", code, perr.String())
	}
	lines := strings.Split(strings.TrimRight(piped.String(), "\n"), "\n")
	at := func(l, what string) int {
		i := strings.Index(l, what)
		if i < 0 {
			t.Fatalf("no %q in %q", what, l)
		}
		return ansi.StringWidth(l[:i])
	}
	head := at(lines[0], "DETAIL")
	for _, l := range lines[1:] {
		if got := at(l, "alarm="); got != head {
			t.Errorf("DETAIL at cell %d on %q, at %d on the header", got, l, head)
		}
	}
}

// TestCutsKeepWholeCharacters: cut to a number of cells, a Chinese value
// keeps within them and splits no character.
func TestCutsKeepWholeCharacters(t *testing.T) {
	for n := 4; n < 12; n++ {
		if got := cutEnd("负荷转移至相邻馈线", n); ansi.StringWidth(got) > n || !strings.HasSuffix(got, "…") {
			t.Errorf("cutEnd to %d cells = %q (%d cells)", n, got, ansi.StringWidth(got))
		}
		if got := cutMiddle("削峰-20240117/充电桩-0159", n); ansi.StringWidth(got) > n || !strings.Contains(got, "…") {
			t.Errorf("cutMiddle to %d cells = %q (%d cells)", n, got, ansi.StringWidth(got))
		}
	}
}
