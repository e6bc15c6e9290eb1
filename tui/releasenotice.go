package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// releaseNotice is the footer's notice of a forced release: the event, the
// release time it told and its text.
type releaseNotice struct {
	event string
	at    time.Time
	text  string
}

// dropPassedReleaseNotice takes the footer's notice of a forced release
// down once that release is no longer to come: the event was released,
// ended or cancelled, or its hand-back was extended (by another desk: this
// one's x says so itself). The notice stays until a key otherwise, and on
// a shared desk it read "chargers will be released at 21:58 (in 31 min)" at 22:06,
// under the page of the event released at 21:58. The pages and the
// overview say the release for as long as it is to come.
func (m *Model) dropPassedReleaseNotice() {
	n := m.releaseShown
	if n.event == "" {
		return
	}
	if m.flashKind != flashNotice || m.flash != n.text {
		// Another message took the footer since, or a key took it down.
		m.releaseShown = releaseNotice{}
		return
	}
	if v, ok := m.drEvent(n.event); ok && v.State == control.StateActive && !v.ReleaseNoticeSince.IsZero() && v.ReleaseAt.Equal(n.at) {
		return // still to come
	}
	m.flash, m.releaseShown = "", releaseNotice{}
}

// flashText is the flash as the footer shows it now: the notice of a
// forced release worded afresh, so its "(in 18 min)" follows the clock
// (worded once, it read "in 30 min" until a key, the release minutes
// away), any other flash as it was set.
func (m *Model) flashText() string {
	n := m.releaseShown
	if n.event == "" || m.flashKind != flashNotice || m.flash != n.text {
		return m.noticeForWidth(m.flash)
	}
	v, ok := m.drEvent(n.event)
	if !ok || v.State != control.StateActive || !v.ReleaseAt.Equal(n.at) {
		return m.flash
	}
	return m.tell(Announcement{Kind: TellReleaseDue, Event: v.Event, Release: v.ReleaseAt, HandBack: v.HandBack})
}
