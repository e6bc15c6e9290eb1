package tui

import (
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestJournalNotWritableIsSaid: on a full disk the overview showed only
// "△ 331 failed" on its Setpoints line; the event's page alone said it was
// the journal. The header now says the journal cannot be written, where
// the feed's health is, in both layouts and languages, and the Setpoints
// line says what that did; both go once an append succeeds again.
func TestJournalNotWritableIsSaid(t *testing.T) {
	full := fmt.Errorf("%w: /var/lib/v2gdesk/audit.jsonl: %w", adapters.ErrJournal,
		&fs.PathError{Op: "write", Path: "/var/lib/v2gdesk/audit.jsonl", Err: syscall.ENOSPC})
	cases := []struct {
		lang, head   string
		w, h         int
		header, line string
	}{
		{"", "Setpoints", 160, 45, "journal ✕ full · feed ● up", "✕ 331 not sent: the audit journal cannot be written · 331 issued · 0 applied · △ 331 failed"},
		{"", "Setpoints", 80, 24, "✕ journal ● up", "Setpoints  ✕ 331 not sent: the audit journal cannot be written"},
		{"zh-CN", "设定值", 160, 45, "日志 ✕ 已满 · ", "✕ 331 个未发送: 审计日志无法写入"},
		{"zh-CN", "设定值", 80, 24, "✕ 日志 ", "✕ 331 个未发送: 审计日志无法写入"},
	}
	for _, c := range cases {
		g := &fakeGuard{Results: map[adapters.Status]int{adapters.StatusFailed: 331}, NotJournalled: 331,
			Journal: adapters.JournalHealth{Failures: 12, Err: full, Since: time.Date(2024, 1, 17, 10, 41, 0, 0, time.UTC)}}
		m := overviewWith(t, c.lang, g, nil, c.w, c.h)
		got := m.View()
		checkScreen(t, got, c.w, c.h)
		if first := strings.SplitN(got, "\n", 2)[0]; !strings.Contains(first, c.header) {
			t.Errorf("%s %dx%d: header %q, want it to say %q", c.lang, c.w, c.h, first, c.header)
		}
		if row := setpointRow(t, got, c.head); !strings.Contains(row, c.line) {
			t.Errorf("%s %dx%d: %q, want it to say %q", c.lang, c.w, c.h, row, c.line)
		}
		// Written again: the header is as before, the counts stay.
		g.Journal.Err, g.Journal.Since = nil, time.Time{}
		m.Update(SnapshotMsg{Snapshot: m.latest})
		got = m.View()
		if first := strings.SplitN(got, "\n", 2)[0]; strings.Contains(first, "✕") {
			t.Errorf("%s %dx%d: written again, the header still says %q", c.lang, c.w, c.h, first)
		}
		if row := setpointRow(t, got, c.head); strings.Contains(row, "✕") || !strings.Contains(row, "331") {
			t.Errorf("%s %dx%d: written again, %q; want the failed count without the journal's word", c.lang, c.w, c.h, row)
		}
	}
}

// TestJournalNotWritableNotFull: a journal that fails for another reason
// (an I/O error) is not called full.
func TestJournalNotWritableNotFull(t *testing.T) {
	g := &fakeGuard{Results: map[adapters.Status]int{}, Journal: adapters.JournalHealth{Failures: 1, Err: fmt.Errorf("%w: x: %w", adapters.ErrJournal, syscall.EIO)}}
	m := overviewWith(t, "", g, nil, 160, 45)
	got := m.View()
	if first := strings.SplitN(got, "\n", 2)[0]; !strings.Contains(first, "journal ✕ not writable") {
		t.Errorf("header %q, want journal ✕ not writable", first)
	}
	if row := setpointRow(t, got, "Setpoints"); !strings.Contains(row, "✕ the audit journal cannot be written: nothing can be sent") {
		t.Errorf("%q, want it to say nothing can be sent", row)
	}
}
