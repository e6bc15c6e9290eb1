package main

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// eventsInForce is what the shutdown notice asks of the DR workflow:
// *control.Controller.
type eventsInForce interface {
	Active() []string
	Event(id string) (control.EventView, bool)
}

// steered are the DR events in force when serve stops, and of those the
// ones whose adapter cannot release their chargers.
type steered struct {
	events, unreleasable []string
}

// steeredAtStop reads the events in force from d, and which of them hold
// chargers their adapter cannot release (the simulator's in-process
// adapter, an OCPP 1.6 charge point without ClearChargingProfile): those
// keep their setpoints until these expire.
func steeredAtStop(d eventsInForce) steered {
	var s steered
	for _, id := range d.Active() {
		s.events = append(s.events, id)
		if v, ok := d.Event(id); ok && v.Progress.Unreleasable > 0 {
			s.unreleasable = append(s.unreleasable, id)
		}
	}
	return s
}

// shutdownReason is why serve stops, as each operator reads it: cause is
// the signal or error that stopped it ("" when none) and is shown as it is;
// st the DR events in force, which the desk cancels. It said "their
// chargers are released" also where the adapter cannot release them (the
// demo's simulator): their setpoints stay until they expire, and a
// dispatcher must not take the chargers for free at once.
func shutdownReason(cause string, st steered) sshd.Sentence {
	return func(lang string) string {
		s, because := "the desk is shutting down", " (%s)"
		released := "; DR events in force stop being steered and their chargers are released: %s"
		cancelled := "; DR events in force stop being steered and are cancelled: %s (%s: the adapter cannot release their chargers, whose setpoints expire at their validity)"
		none := "; DR events in force stop being steered and are cancelled: %s (the adapter cannot release their chargers, whose setpoints expire at their validity)"
		if lang == sshd.LangZhCN {
			s, because = "控制台正在关闭", " (%s)"
			released = "; 正在执行的需求响应事件停止调控, 其充电桩将被释放: %s"
			cancelled = "; 正在执行的需求响应事件停止调控并被取消: %s (%s: 适配器无法释放其充电桩, 设定值到期后失效)"
			none = "; 正在执行的需求响应事件停止调控并被取消: %s (适配器无法释放其充电桩, 设定值到期后失效)"
		}
		if cause != "" {
			s += fmt.Sprintf(because, cause)
		}
		switch {
		case len(st.events) == 0:
		case len(st.unreleasable) == 0:
			s += fmt.Sprintf(released, strings.Join(st.events, ", "))
		case len(st.unreleasable) == len(st.events):
			s += fmt.Sprintf(none, strings.Join(st.events, ", "))
		default:
			s += fmt.Sprintf(cancelled, strings.Join(st.events, ", "), strings.Join(st.unreleasable, ", "))
		}
		return s
	}
}
