package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// An event whose chargers are held at their last limit on stale data (the
// feed lost) says how many and since when, in English and zh-CN: the page
// otherwise showed only the plan's answers, and nobody could tell the
// event was steering blind.
func TestDispatchProgressSaysHeldOnStaleData(t *testing.T) {
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 3, Sent: 48, Done: 48, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 48},
			HeldAsked: 20, Held: 20, HeldSince: fixedNow.Add(-15 * time.Minute), HeldLastHeard: fixedNow.Add(-21 * time.Minute),
			HeldUntil: fixedNow.Add(8 * time.Minute)}}
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		since, heard, until := hhmm(v.Progress.HeldSince, m.loc()), hhmm(v.Progress.HeldLastHeard, m.loc()), hhmm(v.Progress.HeldUntil, m.loc())
		tt := struct{ lang, want string }{lang, "20 chargers held on stale data since " + since + " (last heard " + heard + "): last import limit kept, no discharge; in force until " + until}
		if lang == "zh-CN" {
			tt.want = "20 个充电桩数据过期, 自 " + since + " 起保持 (最后收到数据 " + heard + "): 维持上次的充电功率上限, 不放电; 生效至 " + until
		}
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s progress:\n%s\nwant %q", tt.lang, got, tt.want)
		}
	}
	// 5 of the 20 holds refused: the held line counts the 15 in force,
	// and a line says the others are not held.
	v.Progress.Held, v.Progress.ByStatus = 15, map[adapters.Status]int{adapters.StatusAccepted: 43, adapters.StatusRejected: 5}
	m, _, _ := newTestModel(t, "", 160, 45)
	got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
	if !strings.Contains(got, "15 chargers held on stale data since") || !strings.Contains(got, "✕ 5 chargers on stale data are not held: their hold is not in force (refused, failed or not sent; below)") {
		t.Errorf("5 of 20 holds refused, the page says:\n%s", got)
	}
	// 3 of those 5 got no answer: they may hold it, and are said so apart
	// from the 2 refused, in both languages.
	v.Progress.HeldUnknown, v.Progress.ByStatus = 3, map[adapters.Status]int{adapters.StatusAccepted: 43, adapters.StatusRejected: 2, adapters.StatusTimeout: 3}
	for lang, want := range map[string][]string{
		"":      {"△ 3 chargers on stale data: hold sent, no answer: may hold it until " + hhmm(v.Progress.HeldUntil, m.loc()), "✕ 2 chargers on stale data are not held"},
		"zh-CN": {"3 个数据过期的充电桩: 保持设定值已发送, 无应答: 可能仍执行至 " + hhmm(v.Progress.HeldUntil, m.loc()), "2 个数据过期的充电桩未能保持"},
	} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%q: 3 holds unanswered, 2 refused, the page says:\n%s\nwant %q", lang, got, w)
			}
		}
	}
	// The chargers with no answer are those 3 holds: said once, not
	// again as "3 chargers: latest setpoint sent, no answer".
	v.Progress.Unanswered, v.Progress.UnansweredUntil = 3, v.Progress.HeldUntil
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); strings.Contains(got, "latest setpoint sent") {
		t.Errorf("3 holds unanswered, 3 chargers unanswered, the page says:\n%s", got)
	}
	v.Progress.HeldUnknown, v.Progress.Unanswered, v.Progress.UnansweredUntil = 0, 0, time.Time{}
	v.Progress.Held, v.Progress.HeldAsked = 0, 0
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); strings.Contains(got, "stale data") {
		t.Errorf("nothing held, the page says:\n%s", got)
	}
}
