package tui

import (
	"fmt"
	"strings"
)

// RecordingDamage is what reading a replayed recording held back, in
// figures, for the dashboard to word in the operator's language
// (Options.Damage). The command that read the file lists each line when
// the dashboard ends; the dashboard says from the start that there is
// something to list.
type RecordingDamage struct {
	File string // the recording's name as the operator knows it (its base name)
	// Skipped counts lines skipped: not valid recording lines, or in a gzip
	// member that failed its check; CorruptSkipped counts the latter.
	Skipped, CorruptSkipped int
	// CorruptMembers counts the gzip members that failed their check: the
	// file is corrupt even when none of their lines was skipped (a member
	// holding the header alone, read before its check).
	CorruptMembers int
	// TimeJumps counts lines whose time went back, or came after a silence
	// of over an hour.
	TimeJumps int
	// StopLine is the line where the file stopped early (0: it did not);
	// StopCorrupt says it stopped at corrupt data, not at a torn tail.
	StopLine    int
	StopCorrupt bool
	// TopologyLine is the line of the feed's hello when it went with a
	// damaged gzip member (0: it did not): until a later hello every
	// measurement is rejected (no_topology) and the screens stay empty,
	// which the skipped lines alone do not explain.
	TopologyLine int
	// HeaderTopologyLine is the line of the feed's first hello when it went
	// with a damaged gzip member and the recording header's copy of it was
	// played in its place (0: it was not): the screens show that topology,
	// and the operator is to know where it came from.
	HeaderTopologyLine int
}

// Damaged reports whether there is anything to tell.
func (d *RecordingDamage) Damaged() bool {
	return d != nil && (d.Skipped > 0 || d.CorruptMembers > 0 || d.TimeJumps > 0 || d.StopLine > 0 || d.TopologyLine > 0 || d.HeaderTopologyLine > 0)
}

// damageMarks are the forms of the header's marker while a damaged
// recording plays, longest first, the last empty: the startup note goes at
// the first key, the marker stays. A whole file has none.
func (m *Model) damageMarks() []string {
	if !m.damage().Damaged() {
		return []string{""}
	}
	return []string{" " + m.st.warn.Render("⚠ "+m.tr.t("damaged file")), " " + m.st.warn.Render("⚠"), ""}
}

// damageNote words the startup note in at most w cells: the longest form
// that fits, else the shortest cut to w.
func (m *Model) damageNote(w int) string {
	d := m.damage()
	if !d.Damaged() {
		return ""
	}
	t := m.tr.t
	var long, short []string
	if d.TopologyLine > 0 {
		// First: it is why the screens are empty.
		long = append(long, fmt.Sprintf(t("topology lost with damaged line %d"), d.TopologyLine))
		short = append(short, fmt.Sprintf(t("no topology (line %d)"), d.TopologyLine))
	}
	if d.HeaderTopologyLine > 0 {
		// First: the screens show a topology the feed's own hello in
		// the file did not give.
		long = append(long, fmt.Sprintf(t("topology taken from the file's header (its hello at line %d was damaged)"), d.HeaderTopologyLine))
		short = append(short, fmt.Sprintf(t("topology from header (line %d)"), d.HeaderTopologyLine))
	}
	if d.Skipped > 0 {
		switch {
		case d.CorruptSkipped > 0:
			long = append(long, plural(d.Skipped, t("%d line skipped (%d corrupt)"), t("%d lines skipped (%d corrupt)"), d.Skipped, d.CorruptSkipped))
			short = append(short, fmt.Sprintf(t("%d skipped (%d corrupt)"), d.Skipped, d.CorruptSkipped))
		case d.Skipped == 1:
			long = append(long, t("1 line skipped"))
			short = append(short, fmt.Sprintf(t("%d skipped"), 1))
		default:
			long = append(long, fmt.Sprintf(t("%d lines skipped"), d.Skipped))
			short = append(short, fmt.Sprintf(t("%d skipped"), d.Skipped))
		}
	}
	if d.CorruptMembers > 0 && d.CorruptSkipped == 0 {
		// Corrupt with no line skipped for it: without this the note
		// would say nothing, or only the lesser damage.
		s := t("1 gzip check failed")
		if d.CorruptMembers > 1 {
			s = fmt.Sprintf(t("%d gzip checks failed"), d.CorruptMembers)
		}
		long, short = append(long, s), append(short, s)
	}
	if d.TimeJumps > 0 {
		s := t("1 time jump")
		if d.TimeJumps > 1 {
			s = fmt.Sprintf(t("%d time jumps"), d.TimeJumps)
		}
		long, short = append(long, s), append(short, s)
	}
	if d.StopLine > 0 {
		if d.StopCorrupt {
			s := fmt.Sprintf(t("corrupt from line %d"), d.StopLine)
			long, short = append(long, s), append(short, s)
		} else {
			long = append(long, fmt.Sprintf(t("the file stopped early at line %d"), d.StopLine))
			short = append(short, fmt.Sprintf(t("stopped at line %d"), d.StopLine))
		}
	}
	sep := t(", ")
	forms := []string{
		fmt.Sprintf(t("%s: %s — details on exit"), d.File, strings.Join(long, sep)),
		fmt.Sprintf(t("%s: %s — details on exit"), d.File, strings.Join(short, sep)),
		fmt.Sprintf(t("%s: %s"), d.File, strings.Join(short, sep)),
	}
	for _, f := range forms {
		if width(f) <= w {
			return f
		}
	}
	return fit(forms[len(forms)-1], w)
}
