package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cutID is a line that ends in the first part of a hyphenated id ("CP-",
// "DR-"): the wrap broke the id at its hyphen.
var cutID = regexp.MustCompile(`[A-Z]+-$`)

// idsCut returns the lines of a screen or wrapped text that end in part of
// an id, box borders and padding aside.
func idsCut(lines []string) []string {
	var cut []string
	for _, l := range lines {
		l = strings.TrimRight(ansi.Strip(l), " ")
		l = strings.TrimRight(strings.TrimSuffix(l, "│"), " ")
		if cutID.MatchString(l) {
			cut = append(cut, l)
		}
	}
	return cut
}

// TestDispatchPageKeepsChargerIDsWhole: the dispatch page's unrouted line
// ended a line with "CP-" and began the next with "0004" (the zh-CN page
// at 80 columns, and others): a charger id is never split, in English and
// zh-CN, at 80 and 160 columns. The page is golden: a plan of 20 setpoints
// (7 changing power) whose adapters file (depot-17.json) routes the first 3.
func TestDispatchPageKeepsChargerIDsWhole(t *testing.T) {
	fx := demo(t)
	for _, c := range []struct {
		name, lang string
		w, h       int
	}{
		{"dispatch_routes_80x24", "", 80, 24},
		{"dispatch_routes_160x45", "", 160, 45},
		{"dispatch_routes_zh_80x24", "zh-CN", 80, 24},
		{"dispatch_routes_zh_160x45", "zh-CN", 160, 45},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _, d := routedPlanDeskIn(t, fx, c.lang, c.w, c.h, func(i int) bool { return i < 3 })
			m.opts.Routes = "--adapters /etc/v2gdesk/depot-17.json"
			ev := d.events[0].Event
			pv := commandAll(&ev, fx.snap, 2)
			pv.Setpoints = pv.Setpoints[:20]
			for i := range pv.Setpoints {
				pv.Setpoints[i].Changes = i%3 == 0
			}
			d.events[0].Preview = pv
			m.Update(drChangedMsg{})
			got := m.View()
			checkScreen(t, got, c.w, c.h)
			if cut := idsCut(strings.Split(got, "\n")); len(cut) > 0 {
				t.Errorf("an id is split at its hyphen after:\n%s", strings.Join(cut, "\n"))
			}
			for _, id := range []string{"CP-0004", "CP-0005", "CP-0006"} {
				if !strings.Contains(got, id) {
					t.Errorf("the page lacks %s whole", id)
				}
			}
			golden(t, c.name, got)
		})
	}
}

// TestWrapKeepsHyphenatedWordsWhole: wrapLines never breaks at a hyphen,
// at any width from 20 to 160 cells, in English and zh-CN: not a charger
// id ("CP-0054"), an event's ("DR-17"), a figure ("2e-05") or a file
// ("depot-17.json"). The text is otherwise unchanged.
func TestWrapKeepsHyphenatedWordsWhole(t *testing.T) {
	hyphenated := regexp.MustCompile(`\S*[^\s-]-[^\s-]\S*`)
	for _, line := range []string{
		`△ --adapters /etc/v2gdesk/depot-17.json routes 2 setpoints (2 change power) of the plan's 5 setpoints (3 change power); the 3 others (CP-0054, CP-0055, CP-0056) will not be sent to, their setpoints journalled as rejected: charger "CP-0054" routes to adapter "site", which is not running`,
		`△ --adapters /etc/v2gdesk/depot-17.json 路由计划的 5 个设定值 (其中 3 个改变功率) 中的 2 个设定值 (其中 2 个改变功率); 其余 3 个 (CP-0054, CP-0055, CP-0056) 不会下发, 其设定值记入日志为已拒绝: 充电桩 "CP-0054" 路由到适配器 "site", 该适配器未运行`,
		"unmet energy 0 kWh · 0 EVs short (0 avoidable)   cost ¥4 (−¥386 against unmanaged)   solved in 76ms · certified gap 2e-05",
		"未下发: --adapters site.json 未路由计划的 5 个设定值 (其中 3 个改变功率) 中的任何一个; DR-17 仍待处理 (c 拒绝)",
	} {
		words := hyphenated.FindAllString(line, -1)
		for w := 20; w <= 160; w++ {
			got := wrapLines([]string{line}, w)
			for _, word := range words {
				if !slicesContain(got, strings.Trim(word, `"(),;:`)) {
					t.Errorf("at %d cells %q is split:\n%s", w, word, strings.Join(got, "\n"))
				}
			}
			space := regexp.MustCompile(` +`)
			if j := space.ReplaceAllString(strings.Join(got, " "), " "); j != space.ReplaceAllString(line, " ") {
				t.Errorf("at %d cells the text changed:\n%q\n%q", w, j, line)
			}
		}
	}
}
