package tui

import (
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// peerFaultLine is what the adapters' peers sent that the adapters could
// not use (malformed messages, answers to nothing, refused connections,
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
		// one and many are the long wording for a count of one and of
		// more; the short forms follow them.
		add := func(v int, one, many, shortOne, shortMany string) {
			if v == 0 {
				return
			}
			word := many
			switch {
			case long && v == 1:
				word = one
			case !long && v == 1:
				word = shortOne
			case !long:
				word = shortMany
			}
			parts = append(parts, thousands(int64(v))+" "+t(word))
		}
		add(f.Malformed, "malformed message", "malformed messages", "malformed", "malformed")
		add(f.Unmatched, "unmatched answer", "unmatched answers", "unmatched", "unmatched")
		add(f.Refused, "refused connection", "refused connections", "refused conn.", "refused conn.")
		add(f.BadValues, "unreadable value", "unreadable values", "bad value", "bad values")
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
