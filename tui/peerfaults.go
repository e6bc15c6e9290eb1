package tui

import (
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// peerFaultLine is what the adapters' peers sent that the adapters could
// not use (malformed messages, answers to nothing, unknown charge points,
// unreadable meter values), in one line of w cells, or "" when there is
// none or the guard cannot say (Options.Setpoints without
// adapters.PeerFaultReporter). Each was logged where it happened; the line
// is what tells the operator to look, so it comes in the warning style with
// △ (seen under NO_COLOR too), and narrower it keeps every count that is
// not zero and drops the words around them.
func (m *Model) peerFaultLine(w int) string {
	r, ok := m.opts.Setpoints.(adapters.PeerFaultReporter)
	if !ok {
		return ""
	}
	f := r.PeerFaults()
	if f.Total() == 0 {
		return ""
	}
	t := m.tr.t
	counts := func(long bool) string {
		var parts []string
		add := func(v int, word, short string) {
			if v == 0 {
				return
			}
			if !long {
				word = short
			}
			parts = append(parts, thousands(int64(v))+" "+t(word))
		}
		add(f.Malformed, "malformed messages", "malformed")
		add(f.Unmatched, "unmatched answers", "unmatched")
		add(f.UnknownPeers, "unknown peers", "unknown peers")
		add(f.BadValues, "unreadable values", "bad values")
		return strings.Join(parts, " · ")
	}
	head := "△ " + t("Peer faults") + "  "
	warn := func(s string) string { return m.st.warn.Render(fit(s, w)) }
	for _, c := range []string{
		head + counts(true) + "  " + t("(from charge points and devices; see the log)"),
		head + counts(true),
		head + counts(false),
		"△ " + counts(false),
	} {
		if width(c) <= w {
			return warn(c)
		}
	}
	return warn("△ " + counts(false))
}
