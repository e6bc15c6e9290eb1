package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestPromptShowsWhatIsTyped: the footer's prompt (a shelve reason, a
// command, a filter) is where the operator types, and the end of what was
// typed and the cursor stay on the line however long the text grows. At
// 80x24 a zh-CN shelve reason of some twenty characters ran past the edge
// and the line was cut from its end: the cursor went, and every character
// typed after it was typed blind.
func TestPromptShowsWhatIsTyped(t *testing.T) {
	texts := map[string]string{
		"zh-CN": "变压器检修期间负荷转移至相邻馈线预计二十二点前恢复正常运行状态请勿重复告警并通知值班长",
		"en":    "transformer maintenance, load moved to the neighbouring feeder until about ten tonight, do not raise again",
	}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, sz := range [][2]int{{80, 24}, {64, 18}, {160, 45}} {
			for _, open := range []string{"4x", ":", "3/"} {
				name := fmt.Sprintf("%s %dx%d %q", lang, sz[0], sz[1], open)
				m, _, _ := newTestModel(t, lang, sz[0], sz[1])
				pressViewing(m, open)
				typed := []rune(texts[lang])
				for i, r := range typed {
					m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
					lines := strings.Split(ansi.Strip(m.View()), "\n")
					foot := lines[len(lines)-1]
					if w := ansi.StringWidth(foot); w != sz[0] {
						t.Fatalf("%s, %d typed: footer is %d cells, want %d: %q", name, i+1, w, sz[0], foot)
					}
					before, _, ok := strings.Cut(foot, promptCursor)
					if !ok {
						t.Fatalf("%s, %d typed: no cursor on the footer: %q", name, i+1, foot)
					}
					if last := string(typed[max(0, i-2) : i+1]); !strings.HasSuffix(before, last) {
						t.Fatalf("%s, %d typed: the footer does not end what it shows with %q, the last typed: %q", name, i+1, last, foot)
					}
				}
			}
		}
	}
}

// TestPromptFitKeepsThePromptWhenItCan: the prompt (which alarm is being
// shelved) stays whole while it takes at most half the line, and what was
// typed gives way from its start, marked by "…".
func TestPromptFitKeepsThePromptWhenItCan(t *testing.T) {
	prompt := "搁置 F10 负载率 98% (▲120%) · 原因: "
	text := []rune(strings.Repeat("负荷转移", 20))
	p, s := promptFit(prompt, text, 79)
	if p != prompt {
		t.Errorf("prompt %q, want it whole: %q", p, prompt)
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "负荷转移") {
		t.Errorf("text shown %q, want its end after …", s)
	}
	if w := width(p + s + promptCursor); w > 79 {
		t.Errorf("prompt, text and cursor take %d cells of 79", w)
	}
	// Short enough: everything as typed, no mark.
	if p, s := promptFit(":", []rune("seek 19:00"), 79); p != ":" || s != "seek 19:00" {
		t.Errorf("short command shown as %q %q", p, s)
	}
}
