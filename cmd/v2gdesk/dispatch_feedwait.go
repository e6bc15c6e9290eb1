package main

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// notReadyText says what a feed had not given dispatch when it gave up
// waiting: its hello, or a measurement of some feeders (the plan needs
// every feeder's load), naming the first of them.
func notReadyText(s *feeds.Snapshot) string {
	if !s.HaveTopology {
		return "no hello"
	}
	var unseen []string
	for _, f := range s.Feeders {
		if !f.Seen {
			unseen = append(unseen, f.ID)
		}
	}
	const named = 3
	switch n := len(unseen); {
	case n == 1:
		return "no measurement of feeder " + unseen[0]
	case n <= named:
		return "no measurement of feeders " + strings.Join(unseen, ", ")
	default:
		return fmt.Sprintf("no measurement of feeders %s and %d more", strings.Join(unseen[:named], ", "), n-named)
	}
}

// feedWaitText says what the link did meanwhile, for an on-call engineer
// to tell a feed that is down from one that sends what cannot be used:
// connected or the link's last error, then the frames rejected and the
// last reason.
func feedWaitText(st feeds.FeedStats) string {
	link := "not connected"
	switch {
	case st.Connected:
		link = "connected"
	case st.LastError != "":
		link = "last error: " + st.LastError
	}
	n := st.RejectTotal()
	if n == 0 {
		return link + "; 0 frames rejected"
	}
	return fmt.Sprintf("%s; %d %s rejected, last: %s", link, n, pluralForm(n, "frame", "frames"), st.LastReject)
}
