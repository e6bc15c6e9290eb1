package tui

import (
	"github.com/charmbracelet/bubbles/key"
)

// keyMap is the one key map: the footer shows ShortHelp, `?` shows
// FullHelp, and Update matches against the same bindings, so help can never
// disagree with what the keys do. Help texts are translated at construction.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Left, Right                             key.Binding
	NextView, PrevView                      key.Binding
	Overview, Feeders, Chargers, Alarms     key.Binding
	Events                                  key.Binding
	Enter, Back                             key.Binding
	Filter, Command, Help                   key.Binding
	Freeze, Pause, Faster, Slower           key.Binding
	Triage                                  key.Binding
	Sort, Reverse                           key.Binding
	Ack, Shelve, Unshelve                   key.Binding
	NewEvent, Dispatch, Decline, PlanIt     key.Binding
	Edit, Extend                            key.Binding
	Dismiss                                 key.Binding
	Quit                                    key.Binding
}

func newKeyMap(t func(string) string) keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, t(desc)))
	}
	return keyMap{
		Up:       b([]string{"up", "k"}, "↑/k", "move up"),
		Down:     b([]string{"down", "j"}, "↓/j", "move down"),
		PageUp:   b([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
		Top:      b([]string{"home", "g"}, "g", "first row"),
		Bottom:   b([]string{"end", "G"}, "G", "last row"),
		Left:     b([]string{"left", "h"}, "←/h", "previous view"),
		Right:    b([]string{"right", "l"}, "→/l", "next view"),
		NextView: b([]string{"tab"}, "tab", "next view"),
		PrevView: b([]string{"shift+tab"}, "shift+tab", "previous view"),
		Overview: b([]string{"1"}, "1", "overview"),
		Feeders:  b([]string{"2"}, "2", "feeders"),
		Chargers: b([]string{"3"}, "3", "chargers"),
		Alarms:   b([]string{"4"}, "4", "alarms"),
		Events:   b([]string{"5"}, "5", "events"),
		Enter:    b([]string{"enter"}, "enter", "open"),
		Back:     b([]string{"esc"}, "esc", "back"),
		Filter:   b([]string{"/"}, "/", "filter"),
		Command:  b([]string{":"}, ":", "command"),
		Help:     b([]string{"?"}, "?", "help"),
		Freeze:   b([]string{"f"}, "f", "freeze"),
		Triage:   b([]string{"t"}, "t", "triage"),
		Pause:    b([]string{" "}, "space", "pause"),
		Faster:   b([]string{">", "+"}, ">", "faster"),
		Slower:   b([]string{"<", "-"}, "<", "slower"),
		Sort:     b([]string{"s"}, "s", "sort"),
		Reverse:  b([]string{"r"}, "r", "reverse sort"),
		Ack:      b([]string{"a"}, "a", "ack"),
		Shelve:   b([]string{"x"}, "x", "shelve"),
		Unshelve: b([]string{"u"}, "u", "unshelve"),
		NewEvent: b([]string{"n"}, "n", "new DR event"),
		Dispatch: b([]string{"d"}, "d", "plan and preview"),
		Decline:  b([]string{"c"}, "c", "decline or cancel"),
		PlanIt:   b([]string{"p"}, "p", "propose the suggestion"),
		Edit:     b([]string{"e"}, "e", "edit the pending event"),
		Extend:   b([]string{"x"}, "x", "extend the hand-back"),
		Dismiss:  b([]string{"d"}, "d", "dismiss"),
		Quit:     b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
}

// ShortHelp is the footer: the keys that matter most on every screen.
func (k keyMap) ShortHelp() []key.Binding {
	// In order of need: what does not fit the width is cut from the end.
	// r follows s; u, > and < stay in the full help, so that the DR event
	// in force keeps its place on a 160-column footer.
	return []key.Binding{k.Help, k.Filter, k.Command, k.Triage, k.PlanIt, k.NewEvent, k.Dispatch, k.Edit, k.Extend, k.Decline, k.Ack, k.Shelve, k.Sort, k.Reverse, k.Enter, k.Back, k.Freeze, k.Pause, k.Quit}
}

// FullHelp is the `?` screen, one column per group. Dismiss is not in it:
// the catch-up line it acts on says "d dismiss" itself, and d is the
// events page's plan key, which help lists.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Enter, k.Back},
		{k.Overview, k.Feeders, k.Chargers, k.Alarms, k.Events, k.NextView, k.PrevView, k.Left, k.Right},
		{k.Filter, k.Command, k.Sort, k.Reverse, k.Ack, k.Shelve, k.Unshelve},
		{k.Triage, k.Freeze, k.Pause, k.Faster, k.Slower, k.Help, k.Quit},
		{k.NewEvent, k.Dispatch, k.Edit, k.Extend, k.Decline, k.PlanIt},
	}
}

// allEnabled returns a copy of the key map with every binding enabled, for
// the full help.
func (k keyMap) allEnabled() keyMap {
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Left, &k.Right,
		&k.NextView, &k.PrevView, &k.Overview, &k.Feeders, &k.Chargers, &k.Alarms, &k.Events, &k.Enter, &k.Back,
		&k.Filter, &k.Command, &k.Help, &k.Freeze, &k.Triage, &k.Pause, &k.Faster, &k.Slower, &k.Sort, &k.Reverse,
		&k.Ack, &k.Shelve, &k.Unshelve, &k.NewEvent, &k.Dispatch, &k.Edit, &k.Extend, &k.Decline, &k.PlanIt, &k.Dismiss, &k.Quit} {
		b.SetEnabled(true)
	}
	return k
}
