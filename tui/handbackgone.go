package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// handBackFeedGone is the line a handing-back event's page gets once its
// feed is gone (feedGoneSince): the hand-back releases the chargers only
// when data says the scope stays under its limit, and no data comes, so
// it holds them until the forced release, whose time the desk reads on a
// clock it now only estimates. "" while the feed is up or only briefly
// down. The page said "handing back since 21:00" as if the checks went on.
func (m *Model) handBackFeedGone(v *control.EventView) string {
	since, ok := m.feedGoneSince()
	if !ok || v.HandBackSince.IsZero() {
		return ""
	}
	at := hhmm(since, m.loc())
	if v.ReleaseAt.IsZero() {
		return m.st.high.Render("✕ " + fmt.Sprintf(m.tr.t("the feed has been gone since %s: this hand-back cannot release its chargers until data returns"), at))
	}
	return m.st.high.Render("✕ " + fmt.Sprintf(m.tr.t("the feed has been gone since %s: this hand-back cannot release its chargers until data returns, only at its forced release at %s, on a clock the desk now estimates"),
		at, hhmm(v.ReleaseAt, m.loc())))
}
