package tui

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// handleKey routes one key press. ctrl+c quits from anywhere; q from
// anywhere but a text prompt (where it is a letter).
func (m *Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		return m, tea.Quit
	}
	if m.input == inputForm {
		return m, m.formKey(msg)
	}
	if m.input != inputNone {
		return m.editKey(msg)
	}
	if m.flashKind == flashNotice || m.flashKind == flashHeldError {
		// Read: the key answers it (the pages keep saying it).
		m.flash, m.flashKind = "", flashDone
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		// Keys typed quickly arrive as one message ("3G"): take them one by
		// one, so "/" can open the prompt and the rest land in it.
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			_, cmd := m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return m, tea.Sequence(cmds...)
	}
	// Which keys act is decided by the state the key finds, not by the
	// last frame drawn: "4a" typed faster than a redraw acknowledges on
	// the alarms view.
	m.syncKeys()
	k := m.keys
	// A cancel waits for a second c; any other key, q included, disarms
	// it, and its hint goes with it.
	if m.cancelArmed != "" && !key.Matches(msg, k.Decline) {
		m.cancelArmed = ""
		m.flash = ""
	}
	// So does a large dispatch's first enter: the second confirmation is
	// the next key. Kept armed, a dispatcher who left the page after the
	// first enter and came back sent megawatts with one enter, the prompt
	// long gone.
	if m.armed != "" && !key.Matches(msg, k.Enter) && msg.Type != tea.KeyEnter {
		m.armed, m.armedPreview = "", nil
		if m.flashKind == flashAsk {
			m.flash = ""
		}
	}
	if key.Matches(msg, k.Quit) {
		if ask := m.quitAsk(); ask != "" && !m.quitArmed {
			m.quitArmed = true
			m.setAsk(ask)
			return m, nil
		}
		return m, tea.Quit
	}
	if m.quitArmed {
		// Disarmed: its question goes with it, or "q again quits" stays
		// on screen for a q that only asks again.
		m.quitArmed = false
		if m.flashKind == flashAsk {
			m.flash = ""
		}
	}
	if m.w < minWidth || m.h < minHeight {
		return m, nil
	}
	if m.showHelp {
		// esc closes help wherever it was opened: k.Back is disabled where
		// there is nothing to go back to (the top of a view), and the
		// overlay's title promises esc.
		switch {
		case key.Matches(msg, k.Help) || msg.Type == tea.KeyEsc:
			m.showHelp = false
		case key.Matches(msg, k.Down):
			m.helpOffset++
		case key.Matches(msg, k.Up):
			m.helpOffset = max(0, m.helpOffset-1)
		case key.Matches(msg, k.PageDown):
			m.helpOffset += max(1, m.bodyRows()-3)
		case key.Matches(msg, k.PageUp):
			m.helpOffset = max(0, m.helpOffset-max(1, m.bodyRows()-3))
		case key.Matches(msg, k.Top):
			m.helpOffset = 0
		case key.Matches(msg, k.Bottom):
			m.helpOffset = 1 << 20 // helpScreen clamps it to the last page
		}
		return m, nil
	}
	p := m.page()
	if ok, cmd := m.dispatchKey(msg, p); ok {
		return m, cmd
	}
	switch {
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpOffset = true, 0
	case key.Matches(msg, k.Overview):
		m.switchView(viewOverview)
	case key.Matches(msg, k.Feeders):
		m.switchView(viewFeeders)
	case key.Matches(msg, k.Chargers):
		m.switchView(viewChargers)
	case key.Matches(msg, k.Alarms):
		m.switchView(viewAlarms)
	case key.Matches(msg, k.Events):
		m.switchView(viewEvents)
	case key.Matches(msg, k.NextView, k.Right):
		m.switchView((m.stack[0].view + 1) % numViews)
	case key.Matches(msg, k.PrevView, k.Left):
		m.switchView((m.stack[0].view + numViews - 1) % numViews)
	case key.Matches(msg, k.Back):
		if len(m.stack) > 1 {
			m.stack = m.stack[:len(m.stack)-1]
		} else if p.filter != "" {
			p.filter = ""
			p.home()
		}
	case key.Matches(msg, k.Filter):
		if m.hasFilter(p) {
			m.input, m.text = inputFilter, []rune(p.filter)
		}
	case key.Matches(msg, k.Triage):
		if p.kind != pageTriage {
			m.push(&page{view: m.stack[0].view, kind: pageTriage})
		}
	case key.Matches(msg, k.Command):
		m.input, m.text = inputCommand, nil
	case key.Matches(msg, k.Freeze):
		m.toggleFreeze()
	case key.Matches(msg, k.Pause):
		return m, m.togglePause()
	case key.Matches(msg, k.Faster):
		return m, m.stepSpeed(1)
	case key.Matches(msg, k.Slower):
		return m, m.stepSpeed(-1)
	case key.Matches(msg, k.Up):
		m.move(p, -1)
	case key.Matches(msg, k.Down):
		m.move(p, 1)
	case key.Matches(msg, k.PageUp):
		m.move(p, -max(1, m.bodyRows()-4))
	case key.Matches(msg, k.PageDown):
		m.move(p, max(1, m.bodyRows()-4))
	case key.Matches(msg, k.Top, k.Bottom) && p.kind == pageDispatch:
		// An event's page has no rows: said, as other dead keys are.
		m.explainDeadKey(msg, p)
	case key.Matches(msg, k.Top):
		m.move(p, -p.cursor)
	case key.Matches(msg, k.Bottom):
		m.move(p, m.rowCount(p))
	case key.Matches(msg, k.Enter):
		m.drill(p)
	case key.Matches(msg, k.Sort):
		if n := m.sortColumns(p); n > 0 {
			// Only to columns on screen: sorting by one the compact layout
			// hides reordered the rows with nothing to say why.
			for range n {
				p.sortCol = (p.sortCol + 1) % n
				if m.sortShown(p, p.sortCol) {
					break
				}
			}
			p.desc = p.sortCol != 0
			p.home()
		}
	case key.Matches(msg, k.Reverse):
		if m.sortColumns(p) > 0 {
			p.desc = !p.desc
		}
	case key.Matches(msg, k.Dismiss):
		m.dismissCatchUp()
	case key.Matches(msg, k.Ack):
		m.ackSelected(p)
	case key.Matches(msg, k.Shelve):
		if id, ok := m.selectedAlarm(p); ok && m.guardAct(RefusedAlarm) {
			m.input, m.text, m.shelveID = inputShelve, nil, id
		}
	case key.Matches(msg, k.Unshelve):
		if id, ok := m.selectedAlarm(p); ok && m.guardAct(RefusedAlarm) {
			m.alarmAction(ActAlarmUnshelve, id, "", func() error { return m.alarms.Unshelve(id, m.operator()) })
		}
	default:
		// No binding acts here: a key bound elsewhere says why.
		m.explainDeadKey(msg, p)
	}
	return m, nil
}

// editKey edits the footer prompt: enter applies, esc cancels.
func (m *Model) editKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	p := m.page()
	switch msg.Type {
	case tea.KeyEsc:
		if m.input == inputFilter {
			p.filter = ""
			p.home()
		}
		m.input, m.text = inputNone, nil
		return m, nil
	case tea.KeyEnter:
		mode, text := m.input, strings.TrimSpace(string(m.text))
		m.input, m.text = inputNone, nil
		switch mode {
		case inputFilter:
			p.filter = text
		case inputCommand:
			return m, m.runCommand(text)
		case inputShelve:
			if text == "" {
				// The prompt stays: closed, the reason typed next would
				// be read as keys (n, enter: a DR event proposed).
				m.input = inputShelve
				m.setFlash(m.tr.t("shelving needs a reason")+" · "+m.tr.t("esc cancels"), true)
				return m, nil
			}
			id := m.shelveID
			m.alarmAction(ActAlarmShelve, id, text, func() error { return m.alarms.Shelve(id, m.operator(), text, m.opts.ShelveFor) })
		}
		return m, nil
	case tea.KeyBackspace:
		if len(m.text) > 0 {
			m.text = m.text[:len(m.text)-1]
		}
	case tea.KeyCtrlU:
		m.text = nil
	case tea.KeySpace:
		m.text = append(m.text, ' ')
	case tea.KeyRunes:
		m.flash = "" // the reason the prompt stayed open is answered
		// Control characters (a pasted newline) would break the footer line.
		for _, r := range msg.Runes {
			if unicode.IsPrint(r) {
				m.text = append(m.text, r)
			}
		}
	default:
		return m, nil
	}
	if m.input == inputFilter {
		// Filter as the operator types.
		p.filter = string(m.text)
		p.home()
	}
	return m, nil
}

func (m *Model) switchView(v viewID) {
	m.stack = []*page{m.roots[v]}
}

func (m *Model) push(p *page) {
	if p.kind == pageFeeder {
		// The biggest loads first (chargersort.go).
		p.sortCol, p.desc = chargerSortKW, true
	}
	m.stack = append(m.stack, p)
}

// move moves the cursor by d rows within the page's rows.
func (m *Model) move(p *page, d int) {
	n := m.rowCount(p)
	p.cursor = max(0, min(p.cursor+d, n-1))
}

// hasFilter reports whether the page has a filterable list.
func (m *Model) hasFilter(p *page) bool {
	return p.kind != pageCharger && p.kind != pageTriage && p.kind != pageDispatch && p.kind != pageEventForm
}

func (m *Model) toggleFreeze() {
	m.frozen = !m.frozen
	if m.frozen {
		m.frozenBoard = m.alarms.Board()
		m.setFlash(m.tr.t("display frozen; data keeps flowing (f to resume)"), false)
		return
	}
	m.frozenBoard = nil
	m.snap = m.latest
	m.setFlash(m.tr.t("display live"), false)
}

// guardAct tells a viewer they may not act, and reports whether the
// operator may.
func (m *Model) guardAct(action string) bool {
	if m.canAct() {
		return true
	}
	m.setFlash(m.refusal(action), true)
	return false
}

// refusal is what a viewer is told when action is not theirs to take.
func (m *Model) refusal(action string) string {
	if m.opts.Refused != nil {
		if err := m.opts.Refused(action); err != nil {
			return m.errText(err)
		}
	}
	return m.tr.t("viewers cannot do that")
}

func (m *Model) ackSelected(p *page) {
	id, ok := m.selectedAlarm(p)
	if !ok || !m.guardAct(RefusedAlarm) {
		return
	}
	if a, ok := m.alarms.Board().Find(id); ok && a.State == alarm.StateShelved {
		m.setFlash(m.tr.t("a shelved alarm is not acknowledged: u unshelves it"), true)
		return
	} else if ok && !a.Unacknowledged() {
		// Acknowledged already (by another operator a moment ago): not
		// journalled or announced as this operator's acknowledgement.
		m.alarmResult(alarm.ErrNotAckable, "")
		m.followAlarm(id)
		return
	}
	row := p.cursor
	if m.alarmAction(ActAlarmAck, id, "", func() error { return m.alarms.Ack(id, m.operator()) }) {
		// The acknowledged alarm sorts below the unacknowledged ones (or
		// leaves a list filtered to them): the cursor stays at its row,
		// now on the next alarm still to acknowledge. A dispatcher working
		// through a flood presses a, a, a down the list; following the
		// alarm to the bottom sent them back up for every one. Only a
		// successful acknowledgement moves on: a refused one (already
		// acknowledged elsewhere) stays on its alarm.
		m.keepRow(p, row)
	}
}

// keepRow puts the cursor of list page p at row (clamped to the list) and
// on whatever alarm is there now.
func (m *Model) keepRow(p *page, row int) {
	if m.page() != p {
		return
	}
	p.sel, p.cursor = "", row
	m.follow(p)
}

// alarmAction asks Options.Act (authorisation, journal, the other operators)
// before it does an alarm action, and flashes the outcome. The journal holds
// what the operator asked for even when the alarm list then refuses it (an
// alarm acknowledged by someone else a moment before): the record is of the
// operator's action, written before it takes effect.
// It reports whether the action took effect.
func (m *Model) alarmAction(kind, id, reason string, do func() error) bool {
	detail := map[string]any{"alarm": id}
	if reason != "" {
		detail["reason"] = reason
	}
	a := m.alarmAnnouncement(id, reason)
	a.Kind = kind
	if !m.act(kind, a, detail) {
		return false
	}
	err := do()
	// Said as the other operators are told it ("acknowledged ▲ HIGH F11
	// loading 107%"), not by the alarm's id ("loading/F11").
	m.alarmResult(err, m.tell(a))
	m.followAlarm(id)
	return err == nil
}

// quitAsk is what the first q asks when quitting leaves DR events behind
// ("" when it does not: q then quits at once). Quitting a local desk ends
// its re-planning, so its events are cancelled and their chargers
// released. A session of a shared desk leaves the events its operator
// confirmed running under the controller, re-planned and handed back
// without them: the audit's dispatcher quit with OP-1 in force on F10 and
// was told nothing. The question is about leaving them unattended, so an
// operator with another session open (logged in twice, OwnSessions) is
// asked nothing: their events stay in front of them in that session,
// whichever of the two confirmed them, and a question that is always
// answered q teaches the q q that skips it when it matters. The last of
// their sessions is asked, also about events confirmed in one already
// closed.
func (m *Model) quitAsk() string {
	t := m.tr.t
	if m.opts.Session == 0 {
		if n := m.steering(); n > 0 {
			if n == 1 {
				return t("q again quits and cancels the DR event in force")
			}
			return fmt.Sprintf(t("q again quits and cancels %d DR events in force"), n)
		}
		return ""
	}
	if own := m.opts.OwnSessions; own != nil && own() > 1 {
		return ""
	}
	var mine []control.EventView
	for _, v := range m.dr {
		if v.State == control.StateActive && v.DecidedBy == m.operator() {
			mine = append(mine, v)
		}
	}
	switch len(mine) {
	case 0:
		return ""
	case 1:
		scope := mine[0].Event.Scope
		if scope == feeds.ScopeSystem {
			scope = t("the system")
		}
		return fmt.Sprintf(t("q again quits; %s keeps running on %s under the controller"), mine[0].Event.ID, scope)
	default:
		return fmt.Sprintf(t("q again quits; the %d DR events you confirmed keep running under the controller"), len(mine))
	}
}

// steering counts the DR events this desk is steering chargers for.
func (m *Model) steering() int {
	n := 0
	for i := range m.dr {
		if m.dr[i].State == control.StateActive {
			n++
		}
	}
	return n
}

// followAlarm keeps the cursor of the alarm list on alarm id after an
// action moved it in the list (an acknowledged alarm sorts below the
// unacknowledged): a second key press then acts on the same alarm, never
// on whichever slid under the cursor.
func (m *Model) followAlarm(id string) {
	p := m.page()
	if p.kind != pageList || p.view != viewAlarms {
		return
	}
	p.sel = id
	m.follow(p)
}

// alarmResult flashes the outcome of an alarm action and refreshes a frozen
// alarm list so the operator sees their own action.
func (m *Model) alarmResult(err error, ok string) {
	if m.frozen {
		m.frozenBoard = m.alarms.Board()
	}
	switch {
	case err == nil:
		m.setFlash(ok, false)
	case errors.Is(err, alarm.ErrReasonRequired):
		m.setFlash(m.tr.t("shelving needs a reason"), true)
	case errors.Is(err, alarm.ErrNotAckable):
		m.setFlash(m.tr.t("already acknowledged"), true)
	case errors.Is(err, alarm.ErrUnknownAlarm):
		// Cleared and dropped from the list since the operator chose it.
		m.setFlash(m.tr.t("the alarm is no longer in the list"), true)
	case errors.Is(err, alarm.ErrNotShelved):
		m.setFlash(m.tr.t("the alarm is not shelved"), true)
	default:
		m.setFlash(m.drErrText(err), true)
	}
}

// togglePause pauses or resumes the replay in a Cmd.
func (m *Model) togglePause() tea.Cmd {
	c, ok := m.opts.Control.(Pauser)
	if !ok {
		m.setFlash(m.tr.t("this feed cannot pause"), true)
		return nil
	}
	if (!m.pausesAtEnd() && !m.guardEnded(true)) || !m.guardAct(RefusedClock) {
		return nil
	}
	kind := ActClockPause
	if c.Paused() {
		kind = ActClockResume
	}
	if !m.act(kind, Announcement{}, nil) {
		return nil
	}
	paused, resumed := m.tr.t("paused"), m.tr.t("resumed")
	return func() tea.Msg {
		if c.Paused() {
			c.Resume()
			return controlMsg{text: resumed}
		}
		c.Pause()
		return controlMsg{text: paused}
	}
}

// speedLadder are the speeds > and < step through: round numbers a
// dispatcher can read at a glance (doubling and halving from 1200 gave
// 0.5859375x).
var speedLadder = [...]float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600}

// stepSpeed moves the replay's speed one rung up the ladder (dir > 0) or
// down, from wherever it is (a :speed may have set it between rungs).
func (m *Model) stepSpeed(dir int) tea.Cmd {
	c, ok := m.opts.Control.(SpeedSetter)
	if !ok {
		m.setFlash(m.tr.t("this feed has no speed"), true)
		return nil
	}
	if !m.guardEnded(true) {
		return nil
	}
	cur := c.Speed()
	next := cur
	if dir > 0 {
		for _, v := range speedLadder {
			if v > cur*1.0001 {
				next = v
				break
			}
		}
	} else {
		for i := len(speedLadder) - 1; i >= 0; i-- {
			if v := speedLadder[i]; v < cur/1.0001 {
				next = v
				break
			}
		}
	}
	if next == cur {
		end := m.tr.t("slowest")
		if dir > 0 {
			end = m.tr.t("fastest")
		}
		m.setFlash(fmt.Sprintf(m.tr.t("speed %s: already the %s"), speedText(cur), end), true)
		return nil
	}
	return m.setSpeed(next)
}

func (m *Model) setSpeed(v float64) tea.Cmd {
	c, ok := m.opts.Control.(SpeedSetter)
	if !ok {
		m.setFlash(m.tr.t("this feed has no speed"), true)
		return nil
	}
	if !m.guardEnded(true) || !m.guardAct(RefusedClock) {
		return nil
	}
	if !m.act(ActClockSpeed, Announcement{Speed: v}, map[string]any{"speed": v}) {
		return nil
	}
	label := m.tr.t("speed")
	return func() tea.Msg {
		if err := c.SetSpeed(v); err != nil {
			return controlMsg{lead: label + " " + speedText(v), err: err}
		}
		return controlMsg{text: label + " " + speedText(c.Speed())}
	}
}

// act asks Options.Act before the operator acts on an alarm or on a shared
// simulation's clock: on the SSH desk the action is authorised, journalled
// (in English, whatever this operator reads) and told to the other
// operators (who saw only the change, not who made it). It reports whether
// to go on; a refusal is shown.
func (m *Model) act(kind string, a Announcement, detail map[string]any) bool {
	if m.opts.Act == nil {
		return true
	}
	a.Kind = kind
	a.English = m.inEnglish(a)
	if err := m.opts.Act(kind, a, detail); err != nil {
		m.setFlash(m.errText(err), true)
		return false
	}
	return true
}
