package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFormWindowInDesksLanguage: the new-event form read its window's
// length as "23 h 23 min" on a zh-CN desk too; it is in the desk's
// language, at both sizes.
func TestFormWindowInDesksLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "window 18:37 – 18:00 next day · 23 h 23 min"},
		{"zh-CN", "时段 18:37 – 18:00 次日 · 23 小时 23 分钟"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, tc.lang, sz[0], sz[1])
			m.openForm(m.page())
			m.form.text[fieldStart], m.form.text[fieldEnd] = []rune("18:37"), []rune("18:00")
			view := ansi.Strip(m.View())
			if !strings.Contains(view, tc.want) {
				t.Errorf("%q %dx%d: no window line %q:\n%s", tc.lang, sz[0], sz[1], tc.want, view)
			}
			if tc.lang != "" && regexp.MustCompile(`\d+ h|\d+ min`).MatchString(view) {
				t.Errorf("%q %dx%d: English hours or minutes on a zh-CN form:\n%s", tc.lang, sz[0], sz[1], view)
			}
		}
	}
}

// TestFiguresCarryTheirUnits: a charger list's setpoints (kW) and a DR
// price event's price (¥/kWh) were bare numbers under "setpoint" and
// "price" (zh-CN 设定值, 电价); the column headers and the form's price
// field name the unit, in both languages.
func TestFiguresCarryTheirUnits(t *testing.T) {
	for _, tc := range []struct{ lang, setpoint, price string }{
		{"", "setpoint kW", "price ¥/kWh"},
		{"zh-CN", "设定值 kW", "电价 ¥/kWh"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			name := fmt.Sprintf("%q %dx%d", tc.lang, sz[0], sz[1])
			m, _, _ := newTestModel(t, tc.lang, sz[0], sz[1])
			pressViewing(m, "3")
			if view := ansi.Strip(m.View()); !strings.Contains(view, tc.setpoint) {
				t.Errorf("%s: the chargers' header lacks %q:\n%s", name, tc.setpoint, view)
			}
			if sz[0] >= 160 {
				pressViewing(m, "5")
				if view := ansi.Strip(m.View()); !strings.Contains(view, tc.price) {
					t.Errorf("%s: the events' header lacks %q:\n%s", name, tc.price, view)
				}
			}
			m.openForm(m.page())
			m.form.kind = len(eventKinds) - 1 // price
			m.form.text[fieldPrice] = []rune("0.5")
			view := ansi.Strip(m.View())
			if !regexp.MustCompile(`0\.5 +¥/kWh`).MatchString(view) {
				t.Errorf("%s: the form's price has no unit:\n%s", name, view)
			}
		}
	}
}

// TestShelvePromptNamesTheAlarm: the shelve prompt named the alarm by the
// engine's id, "loading/F07", English on a zh-CN desk; it names it as the
// list does, in the desk's language.
func TestShelvePromptNamesTheAlarm(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "shelve F07 loading"},
		{"zh-CN", "搁置 F07 负载率"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			name := fmt.Sprintf("%q %dx%d", tc.lang, sz[0], sz[1])
			m, _, _ := newTestModel(t, tc.lang, sz[0], sz[1])
			pressViewing(m, "4x")
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			foot := lines[len(lines)-1]
			if !strings.Contains(foot, tc.want) || strings.Contains(foot, "loading/") {
				t.Errorf("%s: shelve prompt %q, want it to name the alarm %q", name, foot, tc.want)
			}
		}
	}
}

// TestFormKindsHelpKeepsEachKindWhole: at 80 columns the zh-CN form's help
// on the kinds broke between "电价:" and what it means; each kind stays on
// one line with its meaning (Chinese puts no space after its colon).
func TestFormKindsHelpKeepsEachKindWhole(t *testing.T) {
	for _, w := range []int{64, 80, 100, 160} {
		m, _, _ := newTestModel(t, "zh-CN", w, 24)
		m.openForm(m.page())
		view := ansi.Strip(m.View())
		for _, kind := range []string{"受电上限：负荷不超过 kW", "削减：在无序负荷上减去 kW", "上网：输出 kW", "电价：覆盖电价"} {
			if !strings.Contains(view, kind) {
				t.Errorf("%d columns: %q is not on one line:\n%s", w, kind, view)
			}
		}
	}
}
