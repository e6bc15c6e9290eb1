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
	// Refused is the latest seek (or --start) the player took while the
	// file was read and undid when the reading found the recording's end
	// before its target; N 0: none. The footer says so once per refusal.
	Refused SeekRefusal
}

// SeekRefusal is a seek past the end of a recording that was still being
// read when it was asked: refused once the reading found the end.
type SeekRefusal struct {
	N      int       // refusals so far, from 1; each is told once
	Target time.Time // the time sought
	End    time.Time // the recording's end
	Back   time.Time // where playback goes on from
	// Start: it was the command line's --start (playback goes on from the
	// recording's start), not a :seek (it stays where it was).
	Start bool
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

// noteRefusal flashes, until the next key, a seek the reading has found
// past the recording's end since the last it flashed: the seek was
// accepted when asked (the end was not read yet), so this is where the
// operator learns it did not happen, and where playback is.
func (m *Model) noteRefusal() {
	r, ok := m.reading()
	if !ok || r.Refused.N <= m.refusalSeen {
		return
	}
	m.refusalSeen = r.Refused.N
	m.setHeldError(m.seekRefusalText(r.Refused, m.w-4))
}

// seekRefusalText words refusal r in at most w cells where it can (the long
// form, else the short; w <= 0: the long).
func (m *Model) seekRefusalText(r SeekRefusal, w int) string {
	t, loc := m.tr.t, m.loc()
	at := func(x time.Time) string { return x.In(loc).Format("15:04") }
	var long, short string
	if r.Start {
		long = fmt.Sprintf(t("--start %s is after the recording's end %s: plays from %s, its start"), at(r.Target), at(r.End), at(r.Back))
		short = fmt.Sprintf(t("--start %s is after the end %s: plays from %s"), at(r.Target), at(r.End), at(r.Back))
	} else {
		long = fmt.Sprintf(t("seek %s is after the recording's end %s: stays at %s"), at(r.Target), at(r.End), at(r.Back))
		short = fmt.Sprintf(t("seek %s is after the end %s: stays at %s"), at(r.Target), at(r.End), at(r.Back))
	}
	if w <= 0 || width("✕ "+long)+12 <= w {
		return long
	}
	return short
}
