package main

import (
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// fakeInForce is the DR workflow as the shutdown notice reads it.
type fakeInForce map[string]control.Progress

func (f fakeInForce) Active() []string {
	var ids []string
	for _, id := range []string{"T-F10-1901", "OP-2"} {
		if _, ok := f[id]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func (f fakeInForce) Event(id string) (control.EventView, bool) {
	p, ok := f[id]
	return control.EventView{Progress: p}, ok
}

// TestShutdownNoticeSaysWhatIsReleased: on the demo day (the simulator's
// adapter cannot release) a stopping serve told every operator "DR events
// in force stop being steered and their chargers are released:
// T-F10-1901", while the log said released=0 unsupported=88: the chargers
// kept their setpoints until these expired. The notice says so for the
// events whose adapter cannot release, and still says "released" where it
// can.
func TestShutdownNoticeSaysWhatIsReleased(t *testing.T) {
	for _, tc := range []struct {
		name     string
		inForce  fakeInForce
		lang     string
		want     string
		dontWant string
	}{
		{"cannot release", fakeInForce{"T-F10-1901": {Holding: 88, Unreleasable: 88}}, "",
			"the desk is shutting down (interrupt); DR events in force stop being steered and are cancelled: T-F10-1901 (the adapter cannot release their chargers, whose setpoints expire at their validity)",
			"are released"},
		{"one of two", fakeInForce{"T-F10-1901": {Holding: 88, Unreleasable: 88}, "OP-2": {Holding: 40}}, "",
			"are cancelled: T-F10-1901, OP-2 (T-F10-1901: the adapter cannot release", "are released"},
		{"can release", fakeInForce{"OP-2": {Holding: 40}}, "",
			"the desk is shutting down (interrupt); DR events in force stop being steered and their chargers are released: OP-2", "cannot release"},
		{"cannot release zh-CN", fakeInForce{"T-F10-1901": {Holding: 88, Unreleasable: 88}}, sshd.LangZhCN,
			"停止调控并被取消: T-F10-1901 (适配器无法释放其充电桩, 设定值到期后失效)", "将被释放"},
		{"none", fakeInForce{}, "", "the desk is shutting down (interrupt)", ";"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shutdownReason("interrupt", steeredAtStop(tc.inForce))(tc.lang)
			if !strings.Contains(got, tc.want) {
				t.Errorf("notice %q\nwant it to hold %q", got, tc.want)
			}
			if strings.Contains(got, tc.dontWant) {
				t.Errorf("notice %q holds %q", got, tc.dontWant)
			}
		})
	}
}
