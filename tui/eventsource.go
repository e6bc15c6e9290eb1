package tui

import "strings"

// feedSources are the DR event sources the desk knows the words for: what
// the grid operators and aggregators feeding it put in an event frame's
// free-text "source" (docs/protocol.md, the feeds' and tests' events). A
// zh-CN desk shows their zh-CN wording; any other source is shown as sent,
// since it names someone the desk cannot know.
var feedSources = [...]string{"grid operator", "aggregator", "State Grid aggregator", "tariff"}

// sourceText is a DR event's source as the events list shows it: the
// controller's origin ("feed", "operator", "triage") and the known feed
// sources in the desk's language, matched whatever their case and
// surrounding spaces; any other source as sent.
func (m *Model) sourceText(e *knownEvent) string {
	if e.dr != nil && e.Source == string(e.dr.Origin) {
		// The controller's word for where the event came from, not a
		// source the feed named: worded like the origin.
		return m.tr.t(e.Source)
	}
	s := strings.TrimSpace(e.Source)
	for _, k := range feedSources {
		if strings.EqualFold(s, k) {
			return m.tr.t(k)
		}
	}
	return e.Source
}
