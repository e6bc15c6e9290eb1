package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// eventsInForce is what the shutdown notice asks of the DR workflow:
// *control.Controller.
type eventsInForce interface {
	Active() []string
	Pending() []string
	Event(id string) (control.EventView, bool)
}

// steered are the DR events the stop ends: those in force, which it
// cancels (of them, unreleasable: the ones whose adapter cannot release
// their chargers), and those pending, which it declines.
type steered struct {
	events, unreleasable, pending []string
}

// steeredAtStop reads the events in force and pending from d, and which
// of those in force hold chargers their adapter cannot release (the
// simulator's in-process adapter, an OCPP 1.6 charge point without
// ClearChargingProfile): those keep their setpoints until these expire.
func steeredAtStop(d eventsInForce) steered {
	var s steered
	for _, id := range d.Active() {
		s.events = append(s.events, id)
		if v, ok := d.Event(id); ok && v.Progress.Unreleasable > 0 {
			s.unreleasable = append(s.unreleasable, id)
		}
	}
	s.pending = d.Pending()
	return s
}

// noticeWidth is the terminal width the shutdown notice is fitted to:
// the narrowest a control-room desk is drawn at. Narrower, its end is cut.
const noticeWidth = 80

// shutdownWords are the shutdown notice's sentences in one language.
type shutdownWords struct {
	stopping, because string
	// released: every event in force can be released; none: none can;
	// mixed: the events whose chargers are released, then the others.
	released, none, mixed string
	pending               string
	// more ends a list cut short: the ids shown and how many are not.
	more string
}

// shutdownWordsIn are the shutdown notice's sentences in lang.
func shutdownWordsIn(lang string) shutdownWords {
	if lang == sshd.LangZhCN {
		return shutdownWords{
			stopping: "控制台正在关闭", because: " (%s)",
			released: "; 正在执行的需求响应事件被取消, 其充电桩将被释放: %s",
			none:     "; 正在执行的需求响应事件被取消: %s (适配器无法释放其充电桩, 设定值到期后失效)",
			mixed:    "; 正在执行的需求响应事件被取消: %s (充电桩将被释放), %s (设定值到期后失效)",
			pending:  "; 待处理的事件被拒绝: %s",
			more:     "%s 等另 %d 个",
		}
	}
	return shutdownWords{
		stopping: "the desk is shutting down", because: " (%s)",
		released: "; DR events in force are cancelled and their chargers released: %s",
		none:     "; DR events in force are cancelled: %s (the adapter cannot release their chargers: their setpoints expire at their validity)",
		mixed:    "; DR events in force are cancelled: %s (chargers released), %s (setpoints expire at their validity)",
		pending:  "; pending ones are declined: %s",
		more:     "%s and %d more",
	}
}

// shutdownReason is why serve stops, as each operator reads it: cause is
// the signal or error that stopped it ("" when none) and is shown as it
// is; st the DR events the stop ends: those in force, which the desk
// cancels, and those pending, which it declines (an operator must not
// come back to find OP-3 waiting for their enter). It said "their
// chargers are released" also where the adapter cannot release them (the
// demo's simulator): their setpoints stay until they expire, and a
// dispatcher must not take the chargers for free at once. The sentence is
// fitted to the notice at noticeWidth columns with grace's countdown
// before it (sshd.ShutdownNoticeFits): where every id does not fit, each
// list names its first ones and says how many more, rather than have the
// frame cut the notice off in the middle of what the stop does (a cause
// or ids long enough still are, as at less than 80 columns).
func shutdownReason(cause string, st steered, grace time.Duration) sshd.Sentence {
	return func(lang string) string {
		w := shutdownWordsIn(lang)
		longest := max(len(st.events), len(st.pending))
		var s string
		for show := longest; ; show-- {
			s = w.say(cause, st, show)
			if show <= 1 || sshd.ShutdownNoticeFits(s, lang, grace, noticeWidth) {
				return s
			}
		}
	}
}

// say words the stop with each list of ids cut to its first show.
func (w shutdownWords) say(cause string, st steered, show int) string {
	s := w.stopping
	if cause != "" {
		s += fmt.Sprintf(w.because, cause)
	}
	list := func(ids []string) string {
		if len(ids) <= show {
			return strings.Join(ids, ", ")
		}
		return fmt.Sprintf(w.more, strings.Join(ids[:show], ", "), len(ids)-show)
	}
	switch {
	case len(st.events) == 0:
	case len(st.unreleasable) == 0:
		s += fmt.Sprintf(w.released, list(st.events))
	case len(st.unreleasable) == len(st.events):
		s += fmt.Sprintf(w.none, list(st.events))
	default:
		cannot := make(map[string]bool, len(st.unreleasable))
		for _, id := range st.unreleasable {
			cannot[id] = true
		}
		var can []string
		for _, id := range st.events {
			if !cannot[id] {
				can = append(can, id)
			}
		}
		s += fmt.Sprintf(w.mixed, list(can), list(st.unreleasable))
	}
	if len(st.pending) > 0 {
		s += fmt.Sprintf(w.pending, list(st.pending))
	}
	return s
}
