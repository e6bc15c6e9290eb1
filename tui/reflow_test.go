package tui

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageSuggestionWraps: at 80 columns the suggestion for a feeder
// with many chargers ran past the box and was cut ("… 0 EVs short …"),
// losing the key that proposes it. It wraps at word boundaries instead;
// nothing in the box ends in "…".
func TestTriageSuggestionWraps(t *testing.T) {
	for _, tc := range []struct{ lang, short, propose, note string }{
		{"", "0 EVs short", "[p] propose", "(95% is out of reach)"},
		{"zh-CN", "0 辆车未充满", "[p] 提交", "(95% 无法达到)"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			fx := demo(t)
			ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			opts, _ := testOptions(fx, tc.lang)
			opts.Dispatch = ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			press(m, "t")
			f07, _ := fx.snap.Feeder("F07")
			sug := &control.Suggestion{Pct: 100, Limited: true, Chargers: 1155, ReduceKW: 1317,
				Event: feeds.EventFrame{ID: "T-F07", Kind: feeds.EventImportCap, Scope: "F07",
					Start: fx.snap.At, End: fx.snap.At.Add(4 * time.Hour), KW: f07.LimitKW}}
			m.Update(suggestMsg{feeder: "F07", at: fx.snap.At, s: sug})
			got := m.View()
			checkScreen(t, got, sz[0], sz[1])
			screen := ansi.Strip(got)
			name := fmt.Sprintf("%s %dx%d", tc.lang, sz[0], sz[1])
			for _, want := range []string{tc.short, tc.propose, tc.note} {
				if !strings.Contains(screen, want) {
					t.Errorf("%s: no %q:\n%s", name, want, screen)
				}
			}
			for _, l := range strings.Split(screen, "\n")[2 : sz[1]-1] {
				if strings.Contains(l, "…") {
					t.Errorf("%s: line cut: %q", name, l)
				}
			}
		}
	}
}

// TestOverviewV2GLineFits: at 80 columns, with a thousand EVs plugged, the
// compact overview's V2G line ended in "…" inside the outlook. The wording
// gets shorter, and what still does not fit gives way whole.
func TestOverviewV2GLineFits(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w    int
		want []string
	}{
		{"", 80, []string{"discharge 1.3 MW", "reducible 3.7 MW", "1,047 plugged", "next 4 h"}},
		{"zh-CN", 80, []string{"可放电 1.3 MW", "可削减 3.7 MW", "1,047 辆已接入", "未来 4 小时"}},
		{"", 64, []string{"discharge 12.3 MW", "reducible 13.7 MW"}},
		{"zh-CN", 64, []string{"可放电 12.3 MW", "可削减 13.7 MW"}},
	} {
		for _, v := range []feeds.V2GCapacity{
			{DischargeKW: 1300, ImportReducibleKW: 3700, Plugged: 1047, Bidirectional: 337},
			{DischargeKW: 12300, ImportReducibleKW: 13700, Plugged: 11047, Bidirectional: 3337},
		} {
			if tc.w == 64 && v.DischargeKW < 10000 {
				continue
			}
			m, fx, _ := newTestModel(t, tc.lang, tc.w, 24)
			snap := *fx.snap
			snap.V2G = v
			m.Update(SnapshotMsg{Snapshot: &snap})
			line := ""
			for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
				if strings.HasPrefix(l, " V2G") {
					line = l
				}
			}
			name := fmt.Sprintf("%s %d columns, %d plugged", tc.lang, tc.w, v.Plugged)
			if line == "" || strings.Contains(line, "…") || width(line) > tc.w {
				t.Errorf("%s: V2G line %q", name, line)
			}
			if v.Plugged > 2000 {
				continue
			}
			for _, want := range tc.want {
				if !strings.Contains(line, want) {
					t.Errorf("%s: V2G line %q lacks %q", name, line, want)
				}
			}
		}
	}
}
