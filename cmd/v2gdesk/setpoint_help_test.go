package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSetpointHelpSaysWhenItExitsFour: --help still said exit 4 came
// "when its result could not be journalled (…, whatever the charger
// did)", after a setpoint whose own record could not be journalled became
// exit 1, not sent (README and docs/adapters.md say so). It says both now,
// in English and Chinese, as README does.
func TestSetpointHelpSaysWhenItExitsFour(t *testing.T) {
	for _, c := range []struct {
		locale string
		want   []string
	}{
		{"C.UTF-8", []string{"1 otherwise (also when its own record could not be journalled: nothing is sent before it is)",
			"4 when it was sent but its result could not be journalled (the audit trail is incomplete: the charger may hold it)"}},
		{"zh_CN.UTF-8", []string{"否则为 1（设定值本身的记录无法记入审计日志时也为 1：记录写入之前不会下发）",
			"已下发但结果无法记入审计日志时为 4（审计记录不完整：充电桩可能正执行该设定值）"}},
	} {
		setLocale(t, c.locale)
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"setpoint", "--help"}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d, want 0", c.locale, code)
		}
		// The help is wrapped at 80 columns: read it as one line.
		help := strings.Join(strings.Fields(out.String()+errb.String()), " ")
		help = strings.ReplaceAll(help, "： ", "：")
		for _, w := range c.want {
			if !strings.Contains(strings.ReplaceAll(help, " ", ""), strings.ReplaceAll(w, " ", "")) {
				t.Errorf("%s: --help does not say %q:\n%s", c.locale, w, out.String()+errb.String())
			}
		}
		if strings.Contains(help, "whatever the charger did") || strings.Contains(help, "无论充电桩执行与否") {
			t.Errorf("%s: --help still says exit 4 is whatever the charger did:\n%s", c.locale, help)
		}
	}
}
