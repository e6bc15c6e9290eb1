package tui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// updating reports whether -update was given: go test ./tui -update
// rewrites tui/testdata/*.golden from the current views. The flag itself is
// defined by github.com/charmbracelet/x/exp/golden, which teatest imports.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// keys turns a compact key script into key messages: E enter, X esc,
// anything else the rune itself.
func keys(script string) []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, r := range script {
		switch r {
		case 'E':
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case 'X':
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		default:
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	return out
}

func press(m *Model, script string) {
	for _, k := range keys(script) {
		m.Update(k)
	}
}

// TestGoldenViews renders each view at 80x24 and 160x45 with a fixed
// clock and no colour, and compares with tui/testdata/<name>.golden.
func TestGoldenViews(t *testing.T) {
	views := []struct {
		name, lang, keys string
		// must appear in the view whatever the golden file says
		want []string
	}{
		{"overview", "", "", []string{"System load", "Feeders by loading", "F07", "▲ HIGH", "SIMULATION 60×"}},
		{"feeders", "", "2", []string{"Feeders · 1–12 of 12", "F12", "○ STALE"}},
		{"feeder_detail", "", "2jjjjjjE", []string{"Feeder F07 · East Park", "Chargers on F07", "Feeders › F07"}},
		{"chargers", "", "3", []string{"of 96", "CP-0001", "✕ faulted", "○ offline"}},
		{"charger_detail", "", "3jjjjE", []string{"Charger CP-0005", "✕ faulted"}},
		{"alarms", "", "4", []string{"F07 loading 118%", "UNACK", "ACK", "bo"}},
		{"events", "", "5", []string{"DR-17", "● ACTIVE", "◌ SCHEDULED", "OP-1", "shed"}},
		{"help", "", "?", []string{"freeze", "Commands (:)"}},
		{"triage", "", "t", []string{"Triage · 1 over limit · 1 near it", "▲ HIGH", "F07", "biggest loads: CP-0051 22.0 kW", "for 97 min"}},
		{"triage_zh", "zh-CN", "t", []string{"过载处置", "最大负荷"}},
		{"overview_zh", "zh-CN", "", []string{"系统负荷", "馈线负载排行", "▲ 高"}},
		{"alarms_zh", "zh-CN", "4", []string{"未确认", "F07 负载率 118%"}},
	}
	sizes := []struct{ w, h int }{{80, 24}, {160, 45}}
	for _, v := range views {
		for _, sz := range sizes {
			name := v.name + "_" + itoa(sz.w) + "x" + itoa(sz.h)
			t.Run(name, func(t *testing.T) {
				m, _, _ := newTestModel(t, v.lang, sz.w, sz.h)
				press(m, v.keys)
				got := m.View()
				checkScreen(t, got, sz.w, sz.h)
				for _, w := range v.want {
					if !strings.Contains(got, w) {
						t.Errorf("view lacks %q", w)
					}
				}
				golden(t, name, got)
			})
		}
	}
}

// TestTooSmall shows the small-terminal screen, which still quits.
func TestTooSmall(t *testing.T) {
	m, _, _ := newTestModel(t, "", 50, 12)
	got := m.View()
	checkScreen(t, got, 50, 12)
	if !strings.Contains(got, "terminal too small") || !strings.Contains(got, "50×12") {
		t.Fatalf("too-small screen:\n%s", got)
	}
	golden(t, "too_small_50x12", got)
	if _, cmd := m.Update(keys("q")[0]); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q does not quit on the too-small screen")
	}
}

// TestZeroSizedTerminal: a client that reports a 0x0 terminal (`sleep 40 |
// ssh -tt`) gets the too-small message, not an empty screen; before any
// size is known the Model still draws nothing.
func TestZeroSizedTerminal(t *testing.T) {
	m := New(Options{Renderer: asciiRenderer(), Now: wallNow})
	if got := m.View(); got != "" {
		t.Fatalf("before any size: %q, want nothing", got)
	}
	for _, sz := range []tea.WindowSizeMsg{{Width: 0, Height: 0}, {Width: 120, Height: 0}, {Width: 0, Height: 40}} {
		m.Update(sz)
		got := m.View()
		want := fmt.Sprintf("%d×%d < 64×18", sz.Width, sz.Height)
		if !strings.Contains(got, "terminal too small") || !strings.Contains(got, want) || !strings.Contains(got, "q quit") {
			t.Fatalf("%dx%d terminal:\n%q", sz.Width, sz.Height, got)
		}
	}
	if _, cmd := m.Update(keys("q")[0]); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q does not quit on a 0x0 terminal")
	}
}

// checkScreen asserts the frame is exactly w x h cells: every border meets.
func checkScreen(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := width(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i+1, got, w, l)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("view differs from %s (go test ./tui -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func itoa(n int) string { return thousands(int64(n)) }
