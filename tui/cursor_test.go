package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// alarmIDs are the ids of the alarm list's rows, in order.
func alarmIDs(m *Model) []string {
	rows, b := m.alarmRows(m.page())
	var ids []string
	for _, r := range rows {
		ids = append(ids, b.Alarms[r].ID)
	}
	return ids
}

// TestAlarmCursorFollowsTheAlarm: on a shared desk another operator's
// acknowledgement re-sorts the list under the cursor. The audit: omar's
// ▸ was on one alarm, ana acknowledged the alarm above it, omar pressed a
// and acknowledged the alarm that slid under his cursor. Once his own a
// has acknowledged it, the cursor stays at its row, on the next alarm to
// acknowledge (a dispatcher works down a flood with a, a, a; following
// the acknowledged alarm to the bottom of the list sent them back up for
// every one).
func TestAlarmCursorFollowsTheAlarm(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "4j")
	ids := alarmIDs(m)
	mine, above, below := ids[1], ids[0], ids[2]
	if got, _ := m.selectedAlarm(m.page()); got != mine {
		t.Fatalf("cursor on %s, want %s", got, mine)
	}
	m.View()
	// Omar, in another session on the same alarm engine.
	if err := m.alarms.Ack(above, "omar"); err != nil {
		t.Fatal(err)
	}
	press(m, "a")
	b := m.alarms.Board()
	if a, _ := b.Find(mine); a.State != alarm.StateAcked || a.AckedBy != m.operator() {
		t.Errorf("%s is %v, want acknowledged: the cursor was on it", mine, a.State)
	}
	if a, _ := b.Find(below); a.State != alarm.StateUnack {
		t.Errorf("%s (slid under the row index) is %v, want still unacknowledged", below, a.State)
	}
	// mine was at row 0 when a was pressed (above had sorted below it).
	if got, _ := m.selectedAlarm(m.page()); got != below || m.page().cursor != 0 {
		t.Errorf("after a the cursor is at row %d on %s, want row 0 on %s, the next to acknowledge", m.page().cursor, got, below)
	}
	press(m, "a")
	if a, _ := m.alarms.Board().Find(below); a.State != alarm.StateAcked {
		t.Errorf("the second a left %s %v, want it acknowledged", below, a.State)
	}
}

// TestAlarmCursorStaysWhenItsAlarmGoes: when the alarm under the cursor
// leaves the list (acknowledged elsewhere, the filter shows unacknowledged
// alarms only) the cursor stays at its row, on what is there now.
func TestAlarmCursorStaysWhenItsAlarmGoes(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "4/unackEjj")
	ids := alarmIDs(m)
	if got, _ := m.selectedAlarm(m.page()); got != ids[2] {
		t.Fatalf("cursor on %s, want %s", got, ids[2])
	}
	if err := m.alarms.Ack(ids[2], "omar"); err != nil {
		t.Fatal(err)
	}
	press(m, "j")
	press(m, "k")
	if got, _ := m.selectedAlarm(m.page()); m.page().cursor != 2 || got != ids[3] {
		t.Errorf("cursor at row %d on %s, want row 2 on %s", m.page().cursor, got, ids[3])
	}
}

// TestTriageCursorFollowsTheFeeder: a feeder escalating re-sorts triage;
// the cursor (and so the suggestion p proposes) stays on its feeder. The
// audit saw the suggestion switch from F10 to F11 under the cursor.
func TestTriageCursorFollowsTheFeeder(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "tj")
	p := m.page()
	cur := func() string { return m.snap.Feeders[m.triageRows(p)[p.cursor].feeder].ID }
	if got := cur(); got != "F03" {
		t.Fatalf("cursor on %s, want F03", got)
	}
	m.View()
	// F11 goes to 130 %: it sorts above F07 and F03.
	m.Update(SnapshotMsg{Snapshot: loadedTo(m, 130, "F11")})
	if rows := m.triageRows(p); len(rows) != 3 || m.snap.Feeders[rows[0].feeder].ID != "F11" {
		t.Fatalf("F11 at 130%% is not first in triage (%d rows)", len(rows))
	}
	if got := cur(); got != "F03" {
		t.Errorf("after the re-sort the cursor is on %s, want F03", got)
	}
}

// TestFeedersCursorFollowsTheFeeder: the feeders list sorted by loading
// re-sorts as loads change; the cursor stays on its feeder.
func TestFeedersCursorFollowsTheFeeder(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "2sj") // by loading, descending: F07, F03, F11, …
	p := m.page()
	cur := func() string { return m.snap.Feeders[m.feederRows(p)[p.cursor]].ID }
	want := cur()
	m.Update(SnapshotMsg{Snapshot: loadedTo(m, 130, "F10")})
	if got := cur(); got != want {
		t.Errorf("after the re-sort the cursor is on %s, want %s", got, want)
	}
}

// TestTriageSaysWhichRows: triage says which of its feeders it shows, as
// the other lists do; at 80x24 it listed 8 of 9 with nothing to say so.
func TestTriageSaysWhichRows(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	m.Update(SnapshotMsg{Snapshot: loadedTo(m, 95, firstFeeders(m, 10)...)})
	press(m, "t")
	if n := len(m.triageRows(m.page())); n != 10 {
		t.Fatalf("triage lists %d feeders, want 10", n)
	}
	top := strings.Split(m.View(), "\n")[2]
	if !strings.Contains(top, "1–9 of 10") {
		t.Errorf("triage title %q, want 1–9 of 10", top)
	}
	press(m, "G")
	if top := strings.Split(m.View(), "\n")[2]; !strings.Contains(top, "2–10 of 10") {
		t.Errorf("at the bottom the title is %q, want 2–10 of 10", top)
	}
}

// TestTriageMarksShelved: a feeder over its limit with its loading alarm
// shelved is marked ▲ SHELVED in triage as in the feeders list, not shown
// like any other overload.
func TestTriageMarksShelved(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	if err := m.alarms.Shelve("loading/F07", "ana", "planned works", time.Hour); err != nil {
		t.Fatal(err)
	}
	m.Update(SnapshotMsg{Snapshot: m.latest})
	press(m, "t")
	var row string
	for _, l := range strings.Split(m.View(), "\n") {
		if strings.Contains(l, " F07 ") && strings.Contains(l, "/ 4,000 kW") {
			row = l
		}
	}
	if !strings.Contains(row, "▲ SHELVED") {
		t.Errorf("F07's triage row %q, want ▲ SHELVED", row)
	}
}

// TestChargerCursorFindsItsCharger: the charger lists find the charger the
// cursor was on by its topology index, filtered or not.
func TestChargerCursorFindsItsCharger(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "3")
	p := m.page()
	for _, tc := range []struct{ filter, id string }{{"", "CP-0042"}, {"f:F07", "CP-0053"}, {"f:F07", "CP-0001"}} {
		p.filter, p.cursor, p.sel = tc.filter, 0, tc.id
		m.follow(p)
		idx, n := m.chargerIndex(p, "")
		at := -1
		for r := range n {
			i := r
			if idx != nil {
				i = idx[r]
			}
			if m.snap.ChargerAt(i).ID == tc.id {
				at = r
			}
		}
		if at < 0 && (p.cursor != 0 || p.sel == tc.id) {
			t.Errorf("filter %q: %s is not listed, the cursor is at %d on %s, want row 0", tc.filter, tc.id, p.cursor, p.sel)
		}
		if at >= 0 && (p.cursor != at || p.sel != tc.id) {
			t.Errorf("filter %q: cursor at %d on %s, want %d on %s", tc.filter, p.cursor, p.sel, at, tc.id)
		}
	}
}

// loadedTo returns the model's latest snapshot, one sequence on, with the
// feeders ids loaded to pct of their limit.
func loadedTo(m *Model, pct float64, ids ...string) *feeds.Snapshot {
	s := *m.latest
	s.Seq++
	s.Feeders = append([]feeds.FeederState(nil), s.Feeders...)
	for i := range s.Feeders {
		if f := &s.Feeders[i]; slices.Contains(ids, f.ID) {
			f.KW, f.LoadingPct = f.LimitKW*pct/100, pct
		}
	}
	return &s
}

// firstFeeders returns the ids of the first n feeders of the latest
// snapshot, in topology order.
func firstFeeders(m *Model, n int) []string {
	var ids []string
	for _, f := range m.latest.Feeders[:n] {
		ids = append(ids, f.ID)
	}
	return ids
}

// TestTriageRowKeepsItsTrend: at 80 columns a triage row ended
// "(since 18:20) · ste…": where both do not fit, the trend stays and the
// start time goes (the duration stays).
func TestTriageRowKeepsItsTrend(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 80, 24)
		press(m, "t")
		want := map[string]string{"": "F03      92%  3,710 / 4,000 kW · for 22 min · steady", "zh-CN": "已持续 22 分钟 · 平稳"}[lang]
		if v := m.View(); !strings.Contains(v, want) {
			t.Errorf("%q: triage lacks %q:\n%s", lang, want, v)
		}
	}
}

// TestTriageRowKeepsItsFigures: at 80 columns a feeder over its limit for
// a three-digit number of minutes and rising lost the end of its trend
// ("for 106 min · rising 1.7%/10 m…"). The row keeps its figures: the
// trend's word gives way to its sign, then "for" goes.
func TestTriageRowKeepsItsFigures(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w    int
		want string
	}{
		{"", 80, "F07     118%  4,735 / 4,000 kW · for 106 min · +1.7%/10 min"},
		{"zh-CN", 80, "4,735 / 4,000 kW · 已持续 106 分钟 · +1.7%/10 分钟"},
		{"", 160, "F07     118%  4,735 / 4,000 kW · for 106 min (since "},
	} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, 24)
		press(m, "t")
		p := m.page()
		f07 := slices.IndexFunc(m.snap.Feeders, func(f feeds.FeederState) bool { return f.ID == "F07" })
		// The row as triageRows makes it, over its limit since 106 min ago
		// and rising 1.7 points in 10 minutes.
		p.rows = []triageRow{{feeder: f07, sev: alarm.SevHigh, since: m.snap.At.Add(-106 * time.Minute), trend: 1.7}}
		p.idxSeq, p.idxKey = m.snap.Seq, "triage"
		v := ansi.Strip(m.View())
		var row string
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "F07") {
				row = l
				break
			}
		}
		if !strings.Contains(row, tc.want) || strings.Contains(row, "…") {
			t.Errorf("%q at %d columns: triage row\n%s\nwant it to hold %q, uncut", tc.lang, tc.w, row, tc.want)
		}
		if tc.w == 160 && !strings.Contains(row, "rising 1.7%/10 min") {
			t.Errorf("at 160 columns the row %q does not say rising 1.7%%/10 min", row)
		}
	}
}
