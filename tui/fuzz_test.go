package tui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzKeys presses arbitrary key sequences (E is enter, X esc) on the demo
// desk at 80x24: nothing may panic, and every frame must still be exactly
// the terminal's size.
func FuzzKeys(f *testing.F) {
	for _, s := range []string{"", "2jjjjjjEE", "3/s:faE", ":feeder F07E", ":seek 25:99E", ":speed -1E",
		"4axjx reasonE", "?X", "GgGg", "5EXXX", "3G/zzzzE", ":E", "/馈线E", "2srrsssE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		if !utf8.ValidString(script) || utf8.RuneCountInString(script) > 64 || strings.ContainsAny(script, "q\x03") {
			t.Skip() // q quits: nothing left to check
		}
		m, _, _ := newTestModel(t, "", 80, 24)
		press(m, script)
		got := m.View()
		lines := strings.Split(got, "\n")
		if len(lines) != 24 {
			t.Fatalf("keys %q: %d lines", script, len(lines))
		}
		for i, l := range lines {
			if w := width(l); w != 80 {
				t.Fatalf("keys %q: line %d is %d cells: %q", script, i+1, w, l)
			}
		}
	})
}
