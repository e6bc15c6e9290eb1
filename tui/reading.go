package tui

import (
	"fmt"
	"time"
)

// Reading is how far the reading of a replay's recording has got while it
// plays (Options.Reading), and what its player waits for.
type Reading struct {
	// Waiting: the player has played every frame read and waits for more;
	// Target is the time a seek (or --start) waits for, zero when
	// playback has simply caught up with the reading.
	Waiting bool
	Target  time.Time
	Until   time.Time // the recorded time of the last frame read
	Pct     int       // the share of the file read, 0-100; -1 when unknown
	Done    bool      // the whole file is read
	// Damage is what the reading has found so far; nil: nothing yet.
	Damage *RecordingDamage
}

// reading returns the replay's reading state, and whether there is one.
func (m *Model) reading() (Reading, bool) {
	if m.opts.Reading == nil {
		return Reading{}, false
	}
	return m.opts.Reading(), true
}

// readingHealth is the feed part of the header while the player waits for
// a part of the recording not read yet: "◌ loading 14:00… (read to 11:32,
// 45%)", in the long, worded, short and tiny forms of feedHealth; ok is
// false when it is not waiting.
func (m *Model) readingHealth() (long, worded, short, tiny string, ok bool) {
	r, ok := m.reading()
	if !ok || !r.Waiting || r.Done {
		return "", "", "", "", false
	}
	what, tinyWhat := m.opts.Loading, ""
	if !r.Target.IsZero() {
		what = r.Target.In(m.loc()).Format("15:04")
		tinyWhat = what
	}
	pct := ""
	if r.Pct >= 0 {
		pct = fmt.Sprintf(" %d%%", r.Pct)
	}
	head := "◌ " + fmt.Sprintf(m.tr.t("loading %s…"), what)
	detail := pct
	if !r.Until.IsZero() && r.Pct >= 0 {
		detail = fmt.Sprintf(m.tr.t(" (read to %s, %d%%)"), r.Until.In(m.loc()).Format("15:04"), r.Pct)
	}
	st := m.st
	w := st.stale.Render(head + detail)
	worded = st.stale.Render(head + pct)
	short = st.stale.Render("◌ " + m.tr.t("loading…") + pct)
	if tinyWhat != "" {
		short = worded
		tiny = st.stale.Render("◌ " + tinyWhat + "…" + pct)
	} else {
		tiny = st.stale.Render("◌ " + m.tr.t("loading…"))
	}
	return m.tr.t("feed") + " " + w, worded, short, tiny, true
}

// damage is what reading the recording has held back so far: the
// reading's own account while the file is read as it plays, else
// Options.Damage.
func (m *Model) damage() *RecordingDamage {
	if r, ok := m.reading(); ok && r.Damage != nil {
		return r.Damage
	}
	return m.opts.Damage
}
