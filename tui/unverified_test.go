package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestUnverifiedShown: a setpoint written but not read back (a Modbus
// read-back that failed) is neither applied nor failed. The overview counts
// it apart, as a warning, only when there is one; the charger's page and
// the list word it "unverified" with the power written, in both languages.
func TestUnverifiedShown(t *testing.T) {
	g := &fakeGuard{Results: map[adapters.Status]int{adapters.StatusAccepted: 3, adapters.StatusUnverified: 1}}
	m := overviewWith(t, "", g, nil, 160, 45)
	if row := setpointRow(t, m.View(), "Setpoints"); !strings.Contains(row, "3 applied") || !strings.Contains(row, "△ 1 unverified") {
		t.Errorf("overview %q, want 3 applied and △ 1 unverified", row)
	}
	zh := overviewWith(t, "zh-CN", g, nil, 160, 45)
	if row := setpointRow(t, zh.View(), "设定值"); !strings.Contains(row, "△ 1 已写入未核实") {
		t.Errorf("zh-CN overview %q, want △ 1 已写入未核实", row)
	}
	none := overviewWith(t, "", &fakeGuard{Results: map[adapters.Status]int{adapters.StatusAccepted: 3}}, nil, 160, 45)
	if row := setpointRow(t, none.View(), "Setpoints"); strings.Contains(row, "unverified") {
		t.Errorf("overview %q shows unverified with none", row)
	}

	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		at := fx.snap.At
		c := chargerWithoutAck(t, fx)
		lg := &latestGuard{latest: map[string]adapters.Outcome{
			c.ID: {Setpoint: adapters.Setpoint{Charger: c.ID, KW: 7, ValidUntil: at.Add(15 * time.Minute)},
				Result: adapters.Result{Charger: c.ID, Status: adapters.StatusUnverified, AppliedKW: 7, At: at.Add(-time.Minute)}},
		}}
		m := overviewWith(t, lang, lg, nil, 160, 45)
		want := "△ " + m.tr.t("unverified") + " 7.0"
		runKeys(m, "3")
		if row := lineWith(ansi.Strip(m.View()), " "+c.ID+" "); !strings.Contains(row, want) {
			t.Errorf("%s: list row %q lacks %q", lang, row, want)
		}
		runKeys(m, "/")
		for _, r := range c.ID {
			runKeys(m, string(r))
		}
		runKeys(m, "EE")
		page := ansi.Strip(m.View())
		if !strings.Contains(page, want+" kW") {
			t.Errorf("%s: %s's page lacks %q:\n%s", lang, c.ID, want+" kW", page)
		}
		if lang == "zh-CN" && strings.Contains(page, "unverified") {
			t.Errorf("zh-CN page shows the English word:\n%s", page)
		}
	}
}
