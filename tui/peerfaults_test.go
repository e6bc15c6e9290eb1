package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// faultyGuard is a guard whose adapters' peers sent what they could not use.
type faultyGuard struct {
	fakeGuard
	f adapters.PeerFaults
}

func (g *faultyGuard) PeerFaults() adapters.PeerFaults { return g.f }

// TestPeerFaultsOnTheOverview: a guard reporting peer faults puts them on
// the overview under the setpoints, every non-zero count kept at 80x24 and
// 160x45, in English and in Chinese with no English word; the screen keeps
// its size (the feeders give way).
func TestPeerFaultsOnTheOverview(t *testing.T) {
	g := &faultyGuard{fakeGuard: *demoGuard, f: adapters.PeerFaults{Malformed: 3, Unmatched: 1, BadValues: 1204}}
	cases := []struct {
		lang     string
		w, h     int
		want     string
		notThere []string
	}{
		{"", 160, 45, "△ Peer faults  3 malformed messages · 1 unmatched answer · 1,204 unreadable values  (from charge points and devices; see the log)", nil},
		{"", 80, 24, "△ Peer faults  3 malformed · 1 unmatched · 1,204 bad values", []string{"unknown"}},
		{"zh-CN", 160, 45, "△ 对端异常  3 条报文格式错误 · 1 条应答无对应请求 · 1,204 个读数无法解析  (来自充电桩和设备; 详见日志)", nil},
		{"zh-CN", 80, 24, "△ 对端异常  3 条报文格式错误 · 1 条应答无对应请求 · 1,204 个读数无法解析", nil},
	}
	for _, c := range cases {
		m := overviewWith(t, c.lang, g, nil, c.w, c.h)
		got := m.View()
		checkScreen(t, got, c.w, c.h)
		if row := setpointRow(t, ansi.Strip(got), "△"); row != c.want {
			t.Errorf("%s %dx%d:\n got %q\nwant %q", c.lang, c.w, c.h, row, c.want)
		}
		for _, s := range c.notThere {
			if strings.Contains(setpointRow(t, got, "△"), s) {
				t.Errorf("%s %dx%d: a zero count %q is shown", c.lang, c.w, c.h, s)
			}
		}
		if c.lang == "zh-CN" {
			for _, english := range []string{"Peer faults", "malformed", "unmatched", "values", "see the log"} {
				if strings.Contains(got, english) {
					t.Errorf("%dx%d: the Chinese desk shows %q:\n%s", c.w, c.h, english, got)
				}
			}
		}
	}
	// Without a fault, or from a guard that cannot say, there is no line.
	for _, sp := range []SetpointCounter{&faultyGuard{fakeGuard: *demoGuard}, demoGuard} {
		if got := overviewWith(t, "", sp, nil, 80, 24).View(); strings.Contains(got, "Peer faults") {
			t.Errorf("a peer-fault line without faults:\n%s", got)
		}
	}
}

// TestPeerFaultLineNarrows: at every width the line is exactly that wide,
// keeps every non-zero count, and is in the warning style.
func TestPeerFaultLineNarrows(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI256)
	g := &faultyGuard{fakeGuard: *demoGuard, f: adapters.PeerFaults{Malformed: 3, Unmatched: 1, Refused: 2, BadValues: 4}}
	m := overviewWith(t, "", g, r, 160, 45)
	for w := minWidth - 1; w <= 200; w++ {
		l := m.peerFaultLine(w)
		got := ansi.Strip(l)
		if width(got) != w {
			t.Fatalf("at %d cells the line is %d wide: %q", w, width(got), got)
		}
		if !strings.HasPrefix(got, "△ ") {
			t.Errorf("at %d cells no △: %q", w, got)
		}
		for _, must := range []string{"3 malformed", "1 unmatched", "2 refused conn", "4 "} {
			if !strings.Contains(got, must) {
				t.Errorf("at %d cells %q is cut: %q", w, must, got)
			}
		}
		if l != m.st.warn.Render(got) || l == got {
			t.Errorf("at %d cells the line is not in the warning style: %q", w, l)
		}
	}
}
