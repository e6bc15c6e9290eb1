package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// nightAlarms is a board as the engine sorts it (newest first among
// equals): F10 crossed its limit after F07, by less.
func nightAlarms() []alarm.Alarm {
	at := func(hm string) time.Time {
		t, err := time.Parse("15:04", hm)
		if err != nil {
			panic(err)
		}
		return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
	}
	return []alarm.Alarm{
		{ID: "loading/F10", Kind: alarm.KindLoading, Source: "F10", Severity: alarm.SevHigh, Priority: alarm.PriorityHigh,
			State: alarm.StateUnack, Active: true, Value: 104, First: at("02:50"), Last: at("02:50"), Seq: 9},
		{ID: "loading/F07", Kind: alarm.KindLoading, Source: "F07", Severity: alarm.SevHigh, Priority: alarm.PriorityHigh,
			State: alarm.StateUnack, Active: true, Value: 131, First: at("02:10"), Last: at("02:10"), Seq: 5},
		{ID: "loading/F03", Kind: alarm.KindLoading, Source: "F03", Severity: alarm.SevWarn, Priority: alarm.PriorityMedium,
			State: alarm.StateUnack, Active: true, Value: 93, First: at("02:55"), Last: at("02:55"), Seq: 10},
		{ID: "loading/F01", Kind: alarm.KindLoading, Source: "F01", Severity: alarm.SevHigh, Priority: alarm.PriorityHigh,
			State: alarm.StateRTNUnack, Value: 140, First: at("01:00"), Last: at("01:30"), Seq: 3},
		{ID: "fault/CP-0005", Kind: alarm.KindFault, Source: "CP-0005", Severity: alarm.SevFault, Priority: alarm.PriorityMedium,
			State: alarm.StateAcked, Active: true, First: at("00:10"), Last: at("00:10"), Seq: 1},
	}
}

// TestWorstUnackedOrder: the unacknowledged alarms, worst first: holding
// before returned, priority, severity, higher loading, then oldest.
func TestWorstUnackedOrder(t *testing.T) {
	var got []string
	for _, a := range worstUnacked(nightAlarms()) {
		got = append(got, a.ID)
	}
	want := "loading/F07 loading/F10 loading/F03 loading/F01"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	// Equal alarms: the one waiting longest first.
	as := nightAlarms()[:2]
	as[0].Value, as[1].Value = 110, 110
	if w := worstUnacked(as); w[0].ID != "loading/F07" {
		t.Errorf("equal loading: %s first, want the older loading/F07", w[0].ID)
	}
}

// TestOverviewAlarmLineShowsWorst: at 3 a.m. the compact overview's alarm
// line showed the newest alarm (F10 at 104%), not the worst (F07 at 131%),
// and no count of the others. Both languages, both sizes; the wide
// layout's box lists the worst first too.
func TestOverviewAlarmLineShowsWorst(t *testing.T) {
	for _, tc := range []struct {
		lang       string
		w, h       int
		want, more string
	}{
		{"", 80, 24, "Alarms  ▲ HIGH F07 loading 131% 02:10", "+3 more unack"},
		{"zh-CN", 80, 24, "告警  ▲ 高 F07 负载率 131% 02:10", "另有 3 条未确认"},
		{"", 160, 45, "▲ HIGH    F07 loading 131%", ""},
		{"zh-CN", 160, 45, "F07 负载率 131%", ""},
	} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, tc.h)
		m.frozen, m.frozenBoard = true, &alarm.Board{Alarms: nightAlarms(), Counts: alarm.Counts{Unack: 4}}
		screen := ansi.Strip(m.View())
		line := ""
		for _, l := range strings.Split(screen, "\n") {
			if strings.Contains(l, "F07") {
				line = l
				break
			}
		}
		if !strings.Contains(line, tc.want) || !strings.Contains(line, tc.more) {
			t.Errorf("%s %dx%d: first alarm row %q, want %q and %q:\n%s", tc.lang, tc.w, tc.h, line, tc.want, tc.more, screen)
		}
		if i := strings.Index(screen, "F10"); i >= 0 && i < strings.Index(screen, "F07") {
			t.Errorf("%s %dx%d: F10 listed before the worse F07:\n%s", tc.lang, tc.w, tc.h, screen)
		}
	}
}

// TestOverviewAlarmTimeIsWhenItBegan: a desk started at 18:20 on an
// overload on since 16:26 listed it at 18:20 (its last change) in the
// overview's box and line, while triage said 16:26. An alarm that holds
// gives when its condition began; one returned to normal, when it did.
func TestOverviewAlarmTimeIsWhenItBegan(t *testing.T) {
	at := func(h, mi int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute) }
	alarms := []alarm.Alarm{
		{ID: "loading/F10", Kind: alarm.KindLoading, Source: "F10", Severity: alarm.SevHigh, Priority: alarm.PriorityHigh,
			State: alarm.StateUnack, Active: true, Value: 121, First: at(16, 26), Last: at(18, 20), Seq: 9},
		{ID: "loading/F01", Kind: alarm.KindLoading, Source: "F01", Severity: alarm.SevHigh, Priority: alarm.PriorityHigh,
			State: alarm.StateRTNUnack, Value: 140, First: at(15, 0), Last: at(17, 30), Seq: 3},
	}
	for _, tc := range []struct {
		lang string
		w, h int
		want []string
	}{
		{"", 80, 24, []string{"F10 loading 121% 16:26"}},
		{"", 160, 45, []string{"16:26"}},
		{"zh-CN", 160, 45, []string{"16:26"}},
	} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, tc.h)
		m.frozen, m.frozenBoard = true, &alarm.Board{Alarms: alarms, Counts: alarm.Counts{Unack: 2}}
		screen := ansi.Strip(m.View())
		for _, w := range tc.want {
			if !strings.Contains(screen, w) {
				t.Errorf("%q %dx%d: the overview lacks %q:\n%s", tc.lang, tc.w, tc.h, w, screen)
			}
		}
		if strings.Contains(screen, "18:20") {
			t.Errorf("%q %dx%d: the holding alarm is dated by its last change, 18:20:\n%s", tc.lang, tc.w, tc.h, screen)
		}
	}
}
