package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// A replay that loops, or a simulated day seeked back to its start, takes
// the clock to before the DR events a dispatcher confirmed in the pass it
// leaves. The controller keeps them (their setpoints were sent and
// journalled) and plans them no more (control.EarlierPass); the desk lists
// them apart, dated, so they are not read as today's: their windows are
// today's clock times of another pass, and an ENDED with the clock before
// its window said something that is not so.

// earlierPassState is the events list's state of an event of an earlier
// pass of the day, in place of what it ended as (its page says that).
func (m *Model) earlierPassState() string {
	return m.st.dim.Render("↶ " + m.tr.t("EARLIER PASS"))
}

// earlierPassHeading is the line over the events of the earlier pass
// that seek p left behind: "↶ earlier pass, before the seek back from
// 01-18 00:00 to 01-17 00:00" (whole at 80 columns).
func (m *Model) earlierPassHeading(p *control.EarlierPass) string {
	return m.st.dim.Render("↶ " + fmt.Sprintf(m.tr.t("earlier pass, before the seek back from %s to %s"),
		m.passTime(p.From), m.passTime(p.To)))
}

// earlierPassLine is the line an earlier pass's event's page has under its
// state: what the page shows is that pass's, and why nothing acts on it.
// An event the seek back ended has said the seek in its reason, above.
func (m *Model) earlierPassLine(v *control.EventView) string {
	if v.EndWhy.Kind == control.WhyEarlierPass {
		return m.st.warn.Render("↶ " + m.tr.t("these are that pass's figures (its records are in the journal)"))
	}
	return m.st.warn.Render("↶ " + fmt.Sprintf(m.tr.t("of an earlier pass of the day: the clock went back from %s to %s after it; these are that pass's figures, and nothing more is planned for it (its records are in the journal)"),
		m.passTime(v.EarlierPass.From), m.passTime(v.EarlierPass.To)))
}

// passTime is a seek's end as the earlier pass's lines give it, always
// dated: a day started over reads "from 00:00 to 00:00" without it.
func (m *Model) passTime(t time.Time) string {
	return t.In(m.loc()).Format("01-02 15:04")
}
