package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// fakeInForce is the DR workflow as the shutdown notice reads it: the
// events in force, with their progress, in order (ids), and those pending.
type fakeInForce struct {
	ids      []string
	progress map[string]control.Progress
	pending  []string
}

// inForce is a fakeInForce of the events in force ids (in that order,
// each "id" or "id!" for one whose adapter cannot release its chargers)
// and the pending events.
func inForce(ids []string, pending ...string) fakeInForce {
	f := fakeInForce{progress: map[string]control.Progress{}, pending: pending}
	for _, id := range ids {
		p := control.Progress{Holding: 40}
		if cut, ok := strings.CutSuffix(id, "!"); ok {
			id, p = cut, control.Progress{Holding: 88, Unreleasable: 88}
		}
		f.ids = append(f.ids, id)
		f.progress[id] = p
	}
	return f
}

func (f fakeInForce) Active() []string  { return f.ids }
func (f fakeInForce) Pending() []string { return f.pending }

func (f fakeInForce) Event(id string) (control.EventView, bool) {
	p, ok := f.progress[id]
	return control.EventView{Progress: p}, ok
}

// TestShutdownNoticeSaysWhatIsReleased: on the demo day (the simulator's
// adapter cannot release) a stopping serve told every operator "DR events
// in force stop being steered and their chargers are released:
// T-F10-1901", while the log said released=0 unsupported=88: the chargers
// kept their setpoints until these expired. The notice says so for the
// events whose adapter cannot release, and still says "released" where it
// can.
func TestShutdownNoticeSaysWhatIsReleased(t *testing.T) {
	for _, tc := range []struct {
		name     string
		inForce  fakeInForce
		lang     string
		want     string
		dontWant string
	}{
		{"cannot release", inForce([]string{"T-F10-1901!"}), "",
			"the desk is shutting down (interrupt); DR events in force are cancelled: T-F10-1901 (the adapter cannot release their chargers: their setpoints expire at their validity)",
			"released"},
		{"one of two", inForce([]string{"T-F10-1901!", "OP-2"}), "",
			"are cancelled: OP-2 (chargers released), T-F10-1901 (setpoints expire at their validity)", "T-F10-1901 (chargers released"},
		{"can release", inForce([]string{"OP-2"}), "",
			"the desk is shutting down (interrupt); DR events in force are cancelled and their chargers released: OP-2", "cannot release"},
		{"cannot release zh-CN", inForce([]string{"T-F10-1901!"}), sshd.LangZhCN,
			"被取消: T-F10-1901 (适配器无法释放其充电桩, 设定值到期后失效)", "将被释放"},
		{"none", inForce(nil), "", "the desk is shutting down (interrupt)", ";"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shutdownReason("interrupt", steeredAtStop(tc.inForce), 10*time.Second)(tc.lang)
			if !strings.Contains(got, tc.want) {
				t.Errorf("notice %q\nwant it to hold %q", got, tc.want)
			}
			if strings.Contains(got, tc.dontWant) {
				t.Errorf("notice %q holds %q", got, tc.dontWant)
			}
		})
	}
}

// TestShutdownNoticeNamesThePendingItDeclines: a stop declines every
// pending DR event (dispatch_decline by desk), but the notice named only
// the events in force it cancels: a dispatcher who had proposed OP-3 and
// was about to confirm it read nothing of it. It names both, in English
// and zh-CN, and fits the notice's lines at 80 columns with the
// countdown before it: with many events, each list names its first ones
// and how many more, never cut off mid-sentence.
func TestShutdownNoticeNamesThePendingItDeclines(t *testing.T) {
	many := func(prefix string, n int) []string {
		var ids []string
		for i := range n {
			ids = append(ids, fmt.Sprintf("%s-%d", prefix, 1840+i))
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		d    fakeInForce
		lang string
		want []string
	}{
		{"pending alone", inForce(nil, "OP-3", "OP-4"), "",
			[]string{"the desk is shutting down; pending ones are declined: OP-3, OP-4"}},
		{"in force and pending", inForce([]string{"T-F10-1901!", "OP-2"}, "OP-3"), "",
			[]string{"OP-2 (chargers released), T-F10-1901 (setpoints expire at their validity)", "; pending ones are declined: OP-3"}},
		{"in force and pending zh-CN", inForce([]string{"OP-2"}, "OP-3", "OP-4"), sshd.LangZhCN,
			[]string{"被取消, 其充电桩将被释放: OP-2", "; 待处理的事件被拒绝: OP-3, OP-4"}},
		{"many", inForce(append(many("T-F0", 6), "OP-9!"), many("OP", 12)...), "",
			[]string{"T-F0-1840", "OP-9 (setpoints expire at their validity)", "; pending ones are declined: OP-1840", " more"}},
		{"many zh-CN", inForce(append(many("T-F0", 6), "OP-9!"), many("OP", 12)...), sshd.LangZhCN,
			[]string{"T-F0-1840", "OP-9 (设定值到期后失效)", "; 待处理的事件被拒绝: OP-1840", "等另"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shutdownReason("", steeredAtStop(tc.d), 10*time.Second)(tc.lang)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("notice %q\nwant it to hold %q", got, w)
				}
			}
			if !sshd.ShutdownNoticeFits(got, tc.lang, 10*time.Second, 80) {
				t.Errorf("notice %q does not fit the notice's lines at 80 columns", got)
			}
		})
	}
}
