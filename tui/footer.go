package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// footerLines is the footer: one line, or two for a message too long for
// one (footerLine, flashLines).
func (m *Model) footerLines() []string {
	if m.input == inputNone && m.flashShown() {
		st, text := m.flashStyled()
		if width(text) > m.w-1 {
			return m.flashLines(st, text)
		}
	}
	return []string{m.footerLine()}
}

// flashStyled is the flash's style and its text with its mark ("✕ …").
func (m *Model) flashStyled() (lipgloss.Style, string) {
	switch m.flashKind {
	case flashNotice, flashAsk:
		return m.st.warn, "△ " + m.flashText()
	case flashError, flashHeldError:
		return m.st.flashErr, "✕ " + m.flash
	}
	return m.st.flashOK, m.flash
}

// flashLines is a message too long for the footer's line over two,
// broken between words; what the second still cannot hold is cut with
// "…". At 80 columns one line cut "c again to cancel T-F10-1835; its
// setpoints expire by 20:05 (this adapter ca…" and "… planned again for
// this one: rea…", and a refusal's remedy was what went.
func (m *Model) flashLines(st lipgloss.Style, text string) []string {
	w := m.w - 1
	first, rest, _ := strings.Cut(ansi.Wrap(clean(text), w, ""), "\n")
	// The second line is indented under the text, past the mark.
	rest = strings.Join(strings.Fields(rest), " ")
	second, more, _ := strings.Cut(ansi.Wrap(rest, w-2, ""), "\n")
	if more != "" {
		// Longer still: whole words and "…".
		second, _, _ = strings.Cut(ansi.Wrap(rest, w-4, ""), "\n")
		second = strings.TrimRight(second, " ") + " …"
	}
	return []string{
		" " + fit(st.Render(strings.TrimRight(first, " ")), w),
		" " + fit(st.Render("  "+strings.TrimRight(second, " ")), w),
	}
}

// footerLine: the prompt when editing, else short help and the flash.
func (m *Model) footerLine() string {
	st := m.st
	if m.input != inputNone {
		var prompt, hint string
		switch m.input {
		case inputFilter:
			prompt, hint = "/", m.tr.t("enter keep · esc clear")
		case inputCommand:
			prompt, hint = ":", m.tr.t("enter run · esc cancel")
		case inputShelve:
			prompt, hint = m.tr.t("shelve")+" "+m.shelveWhat()+" · "+m.tr.t("reason")+": ", m.tr.t("enter shelve · esc cancel")
		case inputForm:
			label := m.tr.t("new DR event")
			if m.form != nil && m.form.replaces != "" {
				label = m.tr.t("edit DR event") + " " + m.form.replaces
			}
			hints := st.dim.Render(m.tr.t("tab next field · ←/→ choose · enter propose · esc cancel")) + " "
			if width(label)+width(hints)+1 > m.w-1 {
				// The box's title names the event; the keys are what the
				// footer is for (at 80 columns the edit form showed none).
				return " " + fitR(hints, m.w-1)
			}
			return " " + spread(st.input.Render(label), hints, m.w-1)
		}
		right := st.dim.Render(hint)
		if (m.flashKind == flashError || m.flashKind == flashHeldError) && m.flashShown() {
			// Why the prompt is still open (an empty shelve reason).
			right = st.flashErr.Render("✕ " + m.flash)
		}
		shownPrompt, shownText := promptFit(prompt, m.text, m.w-1)
		return " " + spread(st.input.Render(shownPrompt+shownText)+promptCursor, right+" ", m.w-1)
	}
	right := ""
	flash := m.flashShown()
	if d := m.damage(); !flash && d.Damaged() && (!m.damageSeen || *d != m.damageSeenAs) {
		// Until the first key: a damaged recording must not play as if
		// whole, and the details wait for the exit.
		right = st.warn.Render("⚠ " + m.damageNote(m.w-4))
		if width(right)+footerKeysMin > m.w-1 {
			return " " + fit(right, m.w-1)
		}
	}
	if flash {
		fst, text := m.flashStyled()
		right = fst.Render(text)
		// A message too long to sit beside the keys takes the whole line
		// (cut to it) rather than vanish: the operator must see why the
		// desk refused.
		if width(right)+footerKeysMin > m.w-1 {
			return " " + fit(right, m.w-1)
		}
	}
	if right == "" {
		// The DR event in force, when the key help leaves room for it.
		m.help.Width = 0
		if ev := m.eventSummary(); ev != "" && width(m.help.ShortHelpView(m.footerKeys()))+width(ev)+4 <= m.w {
			right = ev
		}
	}
	helpW := m.w - 1
	if right != "" {
		helpW = max(10, m.w-1-width(right)-2)
	}
	km := m.footerKeyMap()
	if m.sourceEnded() {
		m.fitEnded(&km, helpW)
	}
	keys := km.ShortHelp()
	m.help.Width = helpW
	left := m.help.ShortHelpView(keys)
	// bubbles' help keeps the last item that fits exactly even when its
	// "…" then overflows; fit would cut that item mid-word ("n new DR
	// even…"), so narrow the help until it drops whole items.
	for w := helpW - 1; width(left) > helpW && w > 0; w-- {
		m.help.Width = w
		left = m.help.ShortHelpView(keys)
	}
	return " " + spread(fit(left, min(width(left), helpW)), clean(right)+" ", m.w-1)
}

// footerKeys are the keys the footer offers: those that act here, less
// the clock keys of a source without a clock to steer (a live feed), the
// actions a viewer may not take and, once the source has ended, the
// actions that can no longer do anything (they stay bound, and say why
// when pressed).
func (m *Model) footerKeys() []key.Binding {
	k := m.footerKeyMap()
	return k.ShortHelp()
}

// footerKeyMap is a copy of the key map with only the keys footerKeys
// offers enabled, for the footer to give up more of when it is narrow.
func (m *Model) footerKeyMap() keyMap {
	k := m.keys
	if _, ok := m.opts.Control.(Pauser); !ok {
		k.Pause.SetEnabled(false)
	}
	if _, ok := m.opts.Control.(SpeedSetter); !ok {
		k.Faster.SetEnabled(false)
		k.Slower.SetEnabled(false)
	}
	if p := m.page(); p.kind == pageTriage && m.snap != nil {
		// No suggestion for a feeder with an event in force: p only says
		// so (proposeSuggestion).
		if rows := m.triageRows(p); p.cursor < len(rows) {
			if _, ok := m.eventInForce(m.snap.Feeders[rows[p.cursor].feeder].ID); ok {
				k.PlanIt.SetEnabled(false)
			}
		}
	}
	if m.sourceEnded() {
		// Nothing more can be dispatched and the clock has stopped: only
		// viewing, alarms and quitting are left (guardEnded says why when
		// one of these is pressed anyway).
		for _, b := range []*key.Binding{&k.NewEvent, &k.Dispatch, &k.Edit, &k.Extend, &k.Decline, &k.PlanIt, &k.Faster, &k.Slower} {
			b.SetEnabled(false)
		}
		if !m.pausesAtEnd() {
			k.Pause.SetEnabled(false) // a held simulated day pauses for the :seek back
		}
		if m.page().kind == pageDispatch {
			k.Enter.SetEnabled(false) // enter confirms there
		}
	}
	if !m.canAct() {
		for _, b := range []*key.Binding{&k.Ack, &k.Shelve, &k.Unshelve, &k.NewEvent, &k.Edit, &k.Extend, &k.Decline, &k.PlanIt, &k.Pause, &k.Faster, &k.Slower} {
			b.SetEnabled(false)
		}
		if p := m.page(); p.kind == pageDispatch {
			k.Enter.SetEnabled(false) // enter confirms there
			if v, ok := m.drEvent(p.id); ok && v.Preview != nil {
				k.Dispatch.SetEnabled(false) // a viewer makes only the first plan
			}
		}
	}
	return k
}

// syncKeys enables the bindings that apply to the current screen, so the
// footer shows only keys that do something here.
func (m *Model) syncKeys() {
	p := m.page()
	alarms := p.kind == pageList && p.view == viewAlarms
	// Bound whatever the source: on a live feed space and > said nothing
	// at all while :pause answered "this feed cannot pause" (togglePause,
	// stepSpeed say why); footerKeys offers them only where they act.
	m.keys.Pause.SetEnabled(true)
	// The footer says what space does now: it read "pause" on a paused
	// clock too.
	m.keys.Pause.SetHelp("space", m.tr.t("pause"))
	if c, ok := m.opts.Control.(Pauser); ok && c.Paused() {
		m.keys.Pause.SetHelp("space", m.tr.t("resume"))
	}
	m.keys.Faster.SetEnabled(true)
	m.keys.Slower.SetEnabled(true)
	// On for a viewer too, who is told the action is not theirs
	// (guardAct) rather than finding a key that does nothing; footerKeys
	// leaves them out of what it offers.
	// An empty list offers no key that acts on a row.
	rows := m.rowCount(p)
	m.keys.Ack.SetEnabled(alarms && rows > 0)
	m.keys.Shelve.SetEnabled(alarms && rows > 0)
	m.keys.Unshelve.SetEnabled(alarms && rows > 0)
	// d shares its letter with the events page's plan key.
	m.keys.Dismiss.SetEnabled(alarms && m.catchUp != nil)
	m.keys.Sort.SetEnabled(m.sortColumns(p) > 0)
	m.keys.Reverse.SetEnabled(m.sortColumns(p) > 0)
	m.keys.Filter.SetEnabled(m.hasFilter(p))
	m.keys.Back.SetEnabled(len(m.stack) > 1 || p.filter != "")
	m.keys.Enter.SetEnabled(p.kind != pageCharger && (rows > 0 || p.kind == pageDispatch || p.kind == pageEventForm))
	m.keys.Triage.SetEnabled(p.kind != pageTriage)
	m.syncDispatchKeys(p)
}

// eventSummary is the DR event in force (or the next one) in a few words,
// for the footer: "DR-17 import cap F07 ≤ 3,600 kW 18:00–21:00 · active".
func (m *Model) eventSummary() string {
	if m.snap == nil {
		return ""
	}
	at := m.snap.At
	evs := m.events()
	for _, state := range []string{"active", "next"} {
		for i := range evs {
			e := &evs[i]
			inForce := !at.Before(e.Start) && at.Before(e.End)
			if (state == "active") != inForce || (state == "next" && !at.Before(e.Start)) {
				continue
			}
			word := m.tr.t(state)
			if e.dr != nil {
				// The workflow's state: a declined event is not in force.
				if e.dr.State.Final() {
					continue
				}
				word = m.tr.t(string(e.dr.State))
			}
			return e.ID + " " + m.eventWhat(e.EventFrame) + " · " + word
		}
	}
	return ""
}

// kindText is a DR event kind in words.
func (m *Model) kindText(k feeds.EventKind) string {
	if k == feeds.EventImportCap {
		return m.tr.t("import cap")
	}
	return m.tr.t(string(k))
}
