package tui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// The fields of the new-event form, in tab order.
const (
	fieldScope = iota
	fieldKind
	fieldKW
	fieldPrice
	fieldStart
	fieldEnd
	numFields
)

// eventKinds are the kinds the form offers, in order.
var eventKinds = []feeds.EventKind{feeds.EventImportCap, feeds.EventShed, feeds.EventExport, feeds.EventPrice}

// eventForm is a DR event an operator is entering: scope and kind are
// chosen with ←/→, kW, price and the window typed (HH:MM, site time).
type eventForm struct {
	scopes []string // ScopeSystem, then the feeders
	scope  int
	kind   int
	text   [numFields][]rune
	field  int
	err    string
	// kwTyped: the kW is the operator's (typed, or the edited event's),
	// not the default for the scope, and a change of scope keeps it.
	kwTyped bool
	// replaces is the pending event this form edits; "" for a new event.
	replaces string
	origin   control.Origin
	// startTyped and endTyped: the start or end is the operator's (typed,
	// or the edited event's); until then each follows the clock
	// (followClock), so a form filled in slowly on a fast simulation does
	// not propose a start long past.
	startTyped, endTyped bool
	// editStart is the edited event's start: kept as it is, it may be
	// past (the event's own window), where a start typed is refused.
	editStart time.Time
}

// followClock sets the start and end the operator has not typed from
// the clock now: the start now, the end two hours later.
func (f *eventForm) followClock(now time.Time) {
	if !f.startTyped {
		f.text[fieldStart] = []rune(now.Format("15:04"))
	}
	if !f.endTyped {
		f.text[fieldEnd] = []rune(now.Add(2 * time.Hour).Format("15:04"))
	}
}

// openForm starts a new event, on the feeder the operator is looking at
// when there is one, capped at 95% of its limit for the next two hours.
func (m *Model) openForm(p *page) {
	f := m.newForm(fieldScope)
	want := ""
	switch p.kind {
	case pageFeeder:
		want = p.id
	case pageTriage:
		if rows := m.triageRows(p); p.cursor < len(rows) {
			want = m.snap.Feeders[rows[p.cursor].feeder].ID
		}
	}
	for i, s := range f.scopes {
		if s == want {
			f.scope = i
		}
	}
	f.text[fieldKW] = m.defaultKW(f.scopes[f.scope])
	f.followClock(m.formNow())
	m.showForm(f)
}

// defaultKW is the form's kW for a scope: a cap at 95% of its import
// limit.
func (m *Model) defaultKW(scope string) []rune {
	return []rune(strconv.FormatFloat(math.Round(m.scopeLimitKW(scope)*0.95), 'f', -1, 64))
}

// newForm returns an empty form over the system and every feeder, its
// cursor on field.
func (m *Model) newForm(field int) *eventForm {
	f := &eventForm{scopes: []string{feeds.ScopeSystem}, field: field}
	for _, fs := range m.snap.Feeders {
		f.scopes = append(f.scopes, fs.ID)
	}
	return f
}

// showForm gives the keys to form f and shows it over the current view.
func (m *Model) showForm(f *eventForm) {
	m.form = f
	m.input = inputForm
	m.push(&page{view: m.stack[0].view, kind: pageEventForm})
}

// openEditForm starts the form from pending event v, to propose a
// corrected event in its place (the controller has no in-place edit: a
// pending event's preview and its second confirmation belong to what was
// previewed).
func (m *Model) openEditForm(v control.EventView) {
	ev := v.Event
	f := m.newForm(fieldKW)
	f.replaces, f.origin, f.kwTyped = ev.ID, v.Origin, true
	for i, s := range f.scopes {
		if s == ev.Scope {
			f.scope = i
		}
	}
	for i, k := range eventKinds {
		if k == ev.Kind {
			f.kind = i
		}
	}
	f.text[fieldKW] = []rune(strconv.FormatFloat(ev.KW, 'f', -1, 64))
	if ev.Price != nil {
		f.text[fieldPrice] = []rune(strconv.FormatFloat(*ev.Price, 'f', -1, 64))
	}
	if ev.Kind == feeds.EventPrice {
		// Its price is what there is to correct: it has no kW.
		f.text[fieldKW], f.field = nil, fieldPrice
	}
	f.text[fieldStart] = []rune(ev.Start.In(m.loc()).Format("15:04"))
	f.text[fieldEnd] = []rune(ev.End.In(m.loc()).Format("15:04"))
	f.startTyped, f.endTyped, f.editStart = true, true, ev.Start
	m.showForm(f)
}

// formNow is the clock the form reads its times by: the latest snapshot's,
// not the frozen display's (f freezes what is shown, not the clock the
// event will be proposed on).
func (m *Model) formNow() time.Time {
	s := m.snap
	if m.latest != nil {
		s = m.latest
	}
	return s.At.In(m.loc())
}

// followFormClock moves the open form's start and end the operator has
// not typed to the clock: called with every snapshot.
func (m *Model) followFormClock() {
	if m.form != nil && m.snap != nil {
		m.form.followClock(m.formNow())
	}
}

// pastStart says why the form's start cannot be proposed, "" when it can:
// a start the operator typed (or moved from the edited event's) that the
// clock has passed by a minute or more, on a fast simulation while the
// form was being filled in. The start is moved to now, following the
// clock again, so that enter again proposes it from there: said, not done
// silently, as the window is what the grid operator asked for.
func (m *Model) pastStart(start time.Time) string {
	f := m.form
	now := m.formNow()
	if !start.Before(now.Truncate(time.Minute)) || start.Equal(f.editStart) {
		return ""
	}
	f.startTyped = false
	f.followClock(now)
	return fmt.Sprintf(m.tr.t("start %s had passed at %s: the start now follows the clock; enter again proposes the event from it, or type another start"),
		hhmm(start, m.loc()), hhmm(now, m.loc()))
}

// closeForm leaves the form.
func (m *Model) closeForm() {
	m.form, m.input = nil, inputNone
	if m.page().kind == pageEventForm {
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// formKey edits the form; enter proposes the event.
func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	f := m.form
	if f == nil {
		m.input = inputNone
		return nil
	}
	switch msg.Type {
	case tea.KeyEsc:
		m.closeForm()
		return nil
	case tea.KeyEnter:
		m.followFormClock()
		ev, err := m.formEvent()
		if err != nil {
			f.err = err.Error()
			return nil
		}
		if why := m.pastStart(ev.Start); why != "" {
			f.err = why
			return nil
		}
		// The form was open when the day reached its end and held there.
		if why := m.dayHeldWhy("enter"); why != "" {
			f.err = why
			return nil
		}
		// What the controller would refuse is said here, in the form,
		// worded: proposed, a negative cap closed the form and the
		// controller's English sentence was cut at 80 columns ("ask for
		// e…"), and everything had to be typed again.
		if err := control.CheckEvent(ev, m.snap); err != nil {
			f.err = m.formRefusalText(err)
			return nil
		}
		m.closeForm()
		if f.replaces != "" {
			return m.replace(ev, f.replaces, f.origin)
		}
		return m.propose(ev, control.OriginOperator)
	case tea.KeyTab, tea.KeyDown:
		f.field = f.next(1)
	case tea.KeyShiftTab, tea.KeyUp:
		f.field = f.next(-1)
	case tea.KeyLeft, tea.KeyRight:
		d := 1
		if msg.Type == tea.KeyLeft {
			d = -1
		}
		switch f.field {
		case fieldScope:
			f.scope = (f.scope + d + len(f.scopes)) % len(f.scopes)
		case fieldKind:
			f.kind = (f.kind + d + len(eventKinds)) % len(eventKinds)
		}
		if !f.kwTyped {
			// The system's default under a feeder's scope line
			// (16,435 kW against F10's 1,510) proposed a cap ten
			// times the feeder's limit; and a cap's default kept
			// under another kind asked F10 to shed, or to export,
			// 1,435 kW. Only a cap has a default: the others' kW is
			// typed.
			f.text[fieldKW] = nil
			if eventKinds[f.kind] == feeds.EventImportCap {
				f.text[fieldKW] = m.defaultKW(f.scopes[f.scope])
			}
		}
	case tea.KeyBackspace:
		if t := f.text[f.field]; len(t) > 0 {
			f.text[f.field] = t[:len(t)-1]
			f.noteTyped()
		}
	case tea.KeyRunes:
		if f.field == fieldScope || f.field == fieldKind {
			return nil
		}
		for _, r := range msg.Runes {
			if unicode.IsDigit(r) || r == '.' || r == ':' || r == '-' {
				f.text[f.field] = append(f.text[f.field], r)
				f.noteTyped()
			}
		}
	}
	f.err = ""
	return nil
}

// noteTyped notes that the operator edited the field at the cursor: a kW,
// start or end typed stays, whatever the scope or the clock do.
func (f *eventForm) noteTyped() {
	switch f.field {
	case fieldKW:
		f.kwTyped = true
	case fieldStart:
		f.startTyped = true
	case fieldEnd:
		f.endTyped = true
	}
}

// formRefusalText is why the controller would refuse the form's event,
// without the id it does not have yet.
func (m *Model) formRefusalText(err error) string {
	var ie *control.InvalidEventError
	if errors.As(err, &ie) {
		return m.invalidText(ie)
	}
	return m.drErrText(err)
}

// next is the next field in direction d, skipping the price unless the
// kind is price, and the kW when it is: a price event has no kW (the
// form offered the field, and a kW typed there went with the event,
// unused).
func (f *eventForm) next(d int) int {
	i := f.field
	price := eventKinds[f.kind] == feeds.EventPrice
	for {
		i = (i + d + numFields) % numFields
		if (i != fieldPrice || price) && (i != fieldKW || !price) {
			return i
		}
	}
}

// formEvent reads the form into an event frame, its window by
// formWindow.
func (m *Model) formEvent() (feeds.EventFrame, error) {
	f := m.form
	t := m.tr.t
	ev := feeds.EventFrame{Kind: eventKinds[f.kind], Scope: f.scopes[f.scope]}
	num := func(field int, name string) (float64, error) {
		if strings.TrimSpace(string(f.text[field])) == "" {
			return 0, fmt.Errorf("%s: %s", t(name), t("to be typed"))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(string(f.text[field])), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s: %s", t(name), t("not a number"))
		}
		return v, nil
	}
	var err error
	if ev.Kind != feeds.EventPrice {
		if ev.KW, err = num(fieldKW, "kW"); err != nil {
			return ev, err
		}
	} else {
		p, err := num(fieldPrice, "price")
		if err != nil {
			return ev, err
		}
		ev.Price = &p
	}
	if ev.Start, ev.End, err = m.formWindow(); err != nil {
		return ev, err
	}
	return ev, nil
}

// formWindow reads the form's start and end: the site's clock on the
// fleet's day; an end at or before the start is the next day, and a start
// more than 12 hours back is tomorrow's.
func (m *Model) formWindow() (start, end time.Time, err error) {
	f, t := m.form, m.tr.t
	now := m.formNow()
	clock := func(field int, name string) (time.Time, error) {
		s := strings.TrimSpace(string(f.text[field]))
		tm, err := time.ParseInLocation("15:04", s, m.loc())
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %q %s", t(name), s, t("is not HH:MM"))
		}
		return time.Date(now.Year(), now.Month(), now.Day(), tm.Hour(), tm.Minute(), 0, 0, m.loc()), nil
	}
	if start, err = clock(fieldStart, "start"); err != nil {
		return start, end, err
	}
	if end, err = clock(fieldEnd, "end"); err != nil {
		return start, end, err
	}
	if now.Sub(start) > 12*time.Hour {
		start, end = start.Add(24*time.Hour), end.Add(24*time.Hour)
	}
	if !end.After(start) {
		end = end.Add(24 * time.Hour)
	}
	return start, end, nil
}

// formView draws the new-event form.
func (m *Model) formView(w, h int) []string {
	f := m.form
	t := m.tr.t
	if f == nil {
		return m.box(t("new DR event"), w, h, nil)
	}
	row := func(field int, label, value string, choice bool) string {
		mark := "  "
		if f.field == field {
			mark = cursorMark
			if choice {
				value = "◀ " + value + " ▶"
			} else {
				value += "▏"
			}
			value = m.st.input.Render(value)
		}
		return mark + fit(t(label), 10) + " " + value
	}
	scope := f.scopes[f.scope]
	if scope == feeds.ScopeSystem {
		// Its load and limit, as a feeder's line has them: the kW below
		// (16435) said nothing of what it caps.
		scope = t("system") + " · " + kw(m.snap.System.KW) + " / " + kw(m.snap.System.ImportLimitKW) + " kW"
	} else if fs, ok := m.snap.Feeder(scope); ok {
		scope += " · " + fs.Name + " · " + kw(fs.KW) + " / " + kw(fs.LimitKW) + " kW"
	}
	lines := []string{
		row(fieldScope, "scope", scope, true),
		row(fieldKind, "kind", m.kindText(eventKinds[f.kind]), true),
	}
	if eventKinds[f.kind] == feeds.EventPrice {
		// In place of the kW, which a price event has not. The label's
		// width has no room for the unit: it follows the value.
		lines = append(lines, row(fieldPrice, "price", string(f.text[fieldPrice]), false)+" "+m.st.dim.Render(priceUnit))
	} else {
		lines = append(lines, row(fieldKW, "kW", string(f.text[fieldKW]), false))
	}
	lines = append(lines,
		row(fieldStart, "start", string(f.text[fieldStart]), false),
		row(fieldEnd, "end", string(f.text[fieldEnd]), false),
	)
	// The window as it will be read: an end at or before the start is the
	// next day, which "18:37–18:00" hides (23 hours, not a mistype). It
	// shows whatever the kW: it went while the kW was still to be typed.
	if start, stop, err := m.formWindow(); err == nil {
		loc := m.loc()
		end := hhmm(stop, loc)
		if stop.In(loc).YearDay() != start.In(loc).YearDay() {
			end += " " + t("next day")
		}
		d := stop.Sub(start)
		span := t("window") + " " + hhmm(start, loc) + " – " + end + " · " +
			fmt.Sprintf(t("%d h %02d min"), int(d.Hours()), int(d.Minutes())%60)
		if d > 12*time.Hour {
			lines = append(lines, "  "+m.st.warn.Render("△ "+span))
		} else {
			lines = append(lines, "  "+m.st.dim.Render(span))
		}
	}
	enter := t("enter proposes the event as pending; its preview follows, and nothing is sent before a dispatcher confirms")
	if f.replaces != "" {
		enter = fmt.Sprintf(t("enter proposes the corrected event and declines %s; nothing is sent before a dispatcher confirms"), f.replaces)
	}
	// The help and an error wrap at the box's width: cut, a narrow
	// terminal lost "nothing is sent before a dispatcher confirms".
	wrapped := func(st lipgloss.Style, s string) []string {
		var out []string
		for _, l := range wrapLines([]string{s}, w-4) {
			out = append(out, st.Render(l))
		}
		return out
	}
	lines = append(lines, "")
	lines = append(lines, wrapped(m.st.dim, t("import cap: keep the scope at or under kW · shed: take kW off its unmanaged load · export: deliver kW · price: override the price"))...)
	lines = append(lines, wrapped(m.st.dim, enter)...)
	if f.err != "" {
		lines = append(lines, "")
		lines = append(lines, wrapped(m.st.high, "✕ "+f.err)...)
	}
	if f.replaces != "" {
		return m.box(t("edit DR event")+" "+f.replaces, w, h, lines)
	}
	return m.box(t("new DR event"), w, h, lines)
}
