package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestEveryScreenFits renders every screen at many sizes in both languages
// and checks each frame is exactly the terminal's size: no line too long
// (which would wrap and break the layout) or too short, and every box's
// sides in line (boxProblems).
func TestEveryScreenFits(t *testing.T) {
	scripts := []string{"", "2", "2jjjjjjE", "2jjjjjjEE", "3", "3G", "4", "4E", "5", "5E", "?", ":", "/", "t", "tjE"}
	sizes := []struct{ w, h int }{{64, 18}, {80, 24}, {99, 30}, {100, 18}, {100, 19}, {100, 30}, {120, 40}, {160, 45}, {211, 62}}
	for _, lang := range []string{"en", "zh-CN"} {
		for _, sz := range sizes {
			for _, sc := range scripts {
				m, _, _ := newTestModel(t, lang, sz.w, sz.h)
				press(m, sc)
				got := m.View()
				lines := strings.Split(got, "\n")
				if len(lines) != sz.h {
					t.Errorf("%s %dx%d keys %q: %d lines", lang, sz.w, sz.h, sc, len(lines))
					continue
				}
				for i, l := range lines {
					if w := width(l); w != sz.w {
						t.Errorf("%s %dx%d keys %q: line %d is %d cells: %q", lang, sz.w, sz.h, sc, i+1, w, l)
						break
					}
				}
				for _, p := range boxProblems(got) {
					t.Errorf("%s %dx%d keys %q: %s", lang, sz.w, sz.h, sc, p)
				}
			}
		}
	}
}

var sgr = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// TestColourProfiles: no escape codes at all under NO_COLOR (Ascii), only
// the 16 basic colours on a 16-colour terminal, and status words present
// whatever the profile, so colour is never the only signal.
func TestColourProfiles(t *testing.T) {
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(p)
		opts.Renderer = r
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		got := m.View()
		codes := sgr.FindAllStringSubmatch(got, -1)
		switch p {
		case termenv.Ascii:
			if strings.Contains(got, "\x1b") {
				t.Fatalf("Ascii profile emitted escape codes")
			}
		case termenv.ANSI:
			if len(codes) == 0 {
				t.Fatal("ANSI profile emitted no colour")
			}
			for _, c := range codes {
				for _, part := range strings.Split(c[1], ";") {
					if part == "38" || part == "48" {
						t.Fatalf("16-colour profile used an extended colour: %q", c[0])
					}
				}
			}
		default:
			if len(codes) == 0 {
				t.Fatalf("profile %v emitted no colour", p)
			}
		}
		plain := sgr.ReplaceAllString(got, "")
		for _, w := range []string{"▲ HIGH", "△ WARN", "○ STALE", "✓ OK"} {
			if !strings.Contains(plain, w) {
				t.Errorf("profile %v: %q missing", p, w)
			}
		}
		checkScreen(t, got, 160, 45)
	}
}
