package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestDispatchProgressSaysRestartDroppedTheSetpoints: the event of an
// earlier pass that a seek back on a simulator ended read "this adapter
// cannot release: 143 setpoints expire at their validity, by 22:33" while
// the simulator had dropped them when it started its day over. The page
// says they were dropped and that none is in force, in English and zh-CN,
// at 160 and 80 columns; an adapter that cannot release on a feed that
// dropped nothing keeps its "expire at their validity".
func TestDispatchProgressSaysRestartDroppedTheSetpoints(t *testing.T) {
	restart := fixedNow.Add(-11 * time.Hour)
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F10"}, State: control.StateEnded,
		EndWhy:   control.Why{Kind: control.WhyEarlierPass},
		Progress: control.Progress{Sends: 2, Sent: 143, Done: 143, Holding: 143, Unreleasable: 143, Dropped: 143, DroppedAt: restart, ValidUntil: fixedNow.Add(time.Hour)}}
	for _, lang := range []string{"", "zh-CN"} {
		for _, w := range []int{160, 80} {
			m, _, _ := newTestModel(t, lang, w, 45)
			at := hhmm(restart, m.loc())
			want := "143 setpoints dropped by the simulator's restart at " + at + ": none in force"
			if lang == "zh-CN" {
				want = "仿真器于 " + at + " 重启, 已丢弃 143 个设定值: 均不再生效"
			}
			got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
			if !strings.Contains(got, want) || strings.Contains(got, "expire at their validity") || strings.Contains(got, "到期失效") {
				t.Errorf("%s at %d columns, progress:\n%s\nwant %q and no expiry", lang, w, got, want)
			}
			if n := ansi.StringWidth(want); n > w-4 {
				t.Errorf("%s: the line is %d cells, over the page at %d columns", lang, n, w)
			}
		}
	}
	v.Progress.Released, v.Progress.ReleaseFailed = 2, 1
	m, _, _ := newTestModel(t, "", 160, 45)
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); !strings.Contains(got, "released 2 chargers; 1 failed; 143 setpoints dropped by the simulator's restart") {
		t.Errorf("some released, the page says:\n%s", got)
	}

	v.Progress = control.Progress{Sends: 2, Sent: 143, Done: 143, Holding: 143, Unreleasable: 143, ReleaseUnsupported: 143, ValidUntil: fixedNow.Add(time.Hour)}
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); !strings.Contains(got, "this adapter cannot release: 143 setpoints expire at their validity, by") {
		t.Errorf("nothing dropped, the page says:\n%s", got)
	}
}
