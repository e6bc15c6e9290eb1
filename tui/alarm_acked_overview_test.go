package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestOverviewAckedAlarmsAreNotOK: once every alarm was acknowledged, the
// overview's alarm line read "Alarms  0 unack · ✓ OK" (and its box "✓ OK
// no unacknowledged alarms") above a feeder still ▲ HIGH at 118%: at 3
// a.m. that reads as the overload having cleared. Acknowledged is not
// cleared: the overview says how many alarms are acknowledged and still
// active, at the severity of the worst, and "✓ OK" only when none is.
func TestOverviewAckedAlarmsAreNotOK(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
		m, _, _ := newTestModel(t, "", sz.w, sz.h)
		press(m, "4")
		for range m.board().Counts.Unack {
			press(m, "a")
		}
		b := m.board()
		if b.Counts.Unack != 0 || b.Counts.Acked == 0 {
			t.Fatalf("%dx%d: %d unacknowledged, %d acknowledged after a on each", sz.w, sz.h, b.Counts.Unack, b.Counts.Acked)
		}
		press(m, "1")
		v := ansi.Strip(m.View())
		want := "▲ HIGH  " + thousands(int64(b.Counts.Acked)) + " acknowledged, still active"
		if !strings.Contains(v, want) {
			t.Errorf("%dx%d: the overview does not say %q:\n%s", sz.w, sz.h, want, v)
		}
		if strings.Contains(v, "✓ OK  no unacknowledged") || strings.Contains(v, "unack · ✓ OK") {
			t.Errorf("%dx%d: the overview says ✓ OK with %d alarms still active:\n%s", sz.w, sz.h, b.Counts.Acked, v)
		}
	}
}
