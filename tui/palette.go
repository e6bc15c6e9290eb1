package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// paletteCommands lists the `:` commands for the help screen, in order.
var paletteCommands = []struct{ usage, desc string }{
	{"feeder ID", "open a feeder"},
	{"charger ID", "open a charger"},
	{"speed N", "clock speed ×N"},     // a replay's or a simulation's
	{"seek HH:MM", "go to that time"}, // "jump clock to" read as cut off
	{"pause / resume", "pause, resume"},
	{"filter TEXT", "filter the table"},
	{"freeze", "freeze display"},
	{"extend 2h", "extend hand-back"},
	{"overview … events", "switch view"},
	{"quit", "leave the desk"},
}

// runCommand runs one command-palette line.
func (m *Model) runCommand(line string) tea.Cmd {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	cmd, args := strings.ToLower(fields[0]), fields[1:]
	arg := strings.Join(args, " ")
	need := func() bool {
		if arg == "" {
			m.setFlash(fmt.Sprintf(m.tr.t("%s needs an argument"), ":"+cmd), true)
			return false
		}
		return true
	}
	switch cmd {
	case "feeder", "f":
		if need() {
			m.openFeeder(arg)
		}
	case "charger", "c":
		if need() {
			m.openCharger(arg)
		}
	case "speed":
		if !need() {
			return nil
		}
		v, err := strconv.ParseFloat(strings.TrimRight(arg, "x×"), 64)
		if lo, hi := speedLadder[0], speedLadder[len(speedLadder)-1]; err != nil || !(v >= lo && v <= hi) {
			m.setFlash(fmt.Sprintf(m.tr.t("bad speed %q: want %s to %s"), arg, speedText(lo), speedText(hi)), true)
			return nil
		}
		return m.setSpeed(v)
	case "seek":
		if need() {
			return m.seek(arg)
		}
	case "extend":
		// On a hand-back's page: x extends by the controller's default
		// length, this by the length given.
		p := m.page()
		if p.kind != pageDispatch {
			m.setFlash(m.tr.t(":extend works on an event's page: open the event first"), true)
			return nil
		}
		if !need() {
			return nil
		}
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			m.setFlash(fmt.Sprintf(m.tr.t("bad length %q: want e.g. 2h or 90m"), arg), true)
			return nil
		}
		return m.extendBy(p.id, d)
	case "pause", "resume":
		c, ok := m.opts.Control.(Pauser)
		if !ok {
			m.setFlash(m.tr.t("this feed cannot pause"), true)
			return nil
		}
		// Unlike space, which toggles, these name the state wanted: when the
		// clock is already there, say so, as "already acknowledged" does, or
		// a dispatcher cannot tell a no-op from a command that was lost.
		switch paused := c.Paused(); {
		case paused && cmd == "pause":
			m.setFlash(m.tr.t("already paused"), true)
			return nil
		case !paused && cmd == "resume":
			m.setFlash(m.tr.t("not paused"), true)
			return nil
		}
		return m.togglePause()
	case "filter":
		p := m.page()
		switch {
		case !m.hasFilter(p):
			m.setFlash(m.tr.t("nothing to filter here"), true)
		case arg == "":
			p.filter = ""
			p.home()
			m.setFlash(m.tr.t("filter cleared"), false)
		default:
			p.filter = arg
			p.home()
		}
	case "freeze":
		m.toggleFreeze()
	case "help":
		m.showHelp, m.helpOffset = true, 0
	case "quit", "q":
		return tea.Quit
	default:
		for v, name := range viewNames {
			if cmd == strings.ToLower(name) || cmd == strconv.Itoa(v+1) {
				m.switchView(viewID(v))
				return nil
			}
		}
		m.setFlash(fmt.Sprintf(m.tr.t("unknown command %q (? for help)"), cmd), true)
	}
	return nil
}

// findFeeder looks a feeder id up exactly, then ignoring case.
func (m *Model) findFeeder(id string) (string, bool) {
	if m.snap == nil {
		return "", false
	}
	if f, ok := m.snap.Feeder(id); ok {
		return f.ID, true
	}
	for _, f := range m.snap.Feeders {
		if strings.EqualFold(f.ID, id) {
			return f.ID, true
		}
	}
	return "", false
}

func (m *Model) openFeeder(id string) {
	fid, ok := m.findFeeder(id)
	if !ok {
		m.setFlash(fmt.Sprintf(m.tr.t("no feeder %q"), id), true)
		return
	}
	if top := m.page(); top.kind == pageFeeder && top.id == fid {
		return
	}
	if m.stack[0].view == viewOverview || m.stack[0].view == viewEvents {
		m.switchView(viewFeeders)
	}
	m.push(&page{view: m.stack[0].view, kind: pageFeeder, id: fid})
}

func (m *Model) openCharger(id string) {
	if m.snap == nil {
		return
	}
	c, ok := m.snap.Charger(id)
	if !ok {
		up := strings.ToUpper(id)
		if c, ok = m.snap.Charger(up); !ok {
			m.setFlash(fmt.Sprintf(m.tr.t("no charger %q"), id), true)
			return
		}
	}
	if m.stack[0].view == viewOverview || m.stack[0].view == viewEvents {
		m.switchView(viewChargers)
	}
	// From the top of the view, through the charger's own feeder in the
	// Feeders view: pushed on whatever was open, the trail read
	// "Feeders › F01 › CP-0456" for a charger on F10.
	m.stack = m.stack[:1]
	root := m.stack[0].view
	if root == viewFeeders && c.Feeder != "" {
		m.push(&page{view: root, kind: pageFeeder, id: c.Feeder})
	}
	m.push(&page{view: root, kind: pageCharger, id: c.ID})
}

// seek parses HH:MM[:SS] as a time on the replay's current local day, or
// an RFC 3339 time, and seeks there in a Cmd.
func (m *Model) seek(arg string) tea.Cmd {
	c, ok := m.opts.Control.(Seeker)
	if !ok {
		m.setFlash(m.tr.t("this feed cannot seek"), true)
		return nil
	}
	// A replay held at its end seeks back from there; another ended
	// source's clock has stopped for good.
	if (!m.holdsAtEnd() && !m.guardEnded(true)) || !m.guardAct(RefusedClock) {
		return nil
	}
	t, err := parseSeek(arg, m.seekDay(), m.loc())
	if err != nil {
		m.setFlash(m.clockErrText(err), true)
		return nil
	}
	label := m.tr.t("seek")
	loc := m.loc()
	if sc, ok := c.(SeekChecker); ok {
		// Refused now: not journalled, nor told to the others as done.
		if err := sc.CheckSeek(t); err != nil {
			m.setFlash(label+" "+t.In(loc).Format("15:04")+": "+m.clockErrText(err), true)
			return nil
		}
	}
	if !m.act(ActClockSeek, Announcement{To: t}, map[string]any{"to": t}) {
		return nil
	}
	note := m.seekSkipNote(m.siteNow(), t)
	return func() tea.Msg {
		if err := c.Seek(t); err != nil {
			return controlMsg{lead: label + " " + t.In(loc).Format("15:04"), err: err}
		}
		text := label + " " + t.In(loc).Format("15:04:05")
		if note != "" {
			// Not an error (the seek was made): a warning in its text,
			// the seconds left out for room at 80 columns.
			text = label + " " + t.In(loc).Format("15:04") + " · " + note
		}
		return controlMsg{text: text}
	}
}

// parseSeek reads a seek target: HH:MM or HH:MM:SS on ref's local day, or
// RFC 3339.
func parseSeek(s string, ref time.Time, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			d := dayStart(ref, loc)
			return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), nil
		}
	}
	return time.Time{}, &seekParseError{arg: s}
}

// speedText formats a speed factor: "60×", "0.5×".
func speedText(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64) + "×"
}
