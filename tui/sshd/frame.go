package sshd

import (
	"runtime/debug"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// frame wraps a session's dashboard model to show the transport's notices
// (idle warnings, shutdown, other operators' actions) without the dashboard
// knowing about SSH. It passes every message through to the dashboard and
// draws a notice over the dashboard's bottom line (its whole footer when that
// takes more, Footer), so the dashboard's layout never changes size under it.
type frame struct {
	inner     tea.Model
	self      uint64 // Present.ID of this session
	lang      string // the session's language, for the frame's own notices
	noticeFor time.Duration

	width  int
	notice NoticeMsg
	seq    int
	// told is set while the notice is another operator's action
	// (ActionMsg), which another action, a join or a leave then follows
	// rather than covers (follow).
	told bool
	// queue holds what follows the notice's action but did not fit beside
	// it: shown, in order, once the notice goes (faded, or taken down by
	// a key).
	queue []queued
	// answering is set by the operator's key and cleared answerFor later
	// (answerOverMsg with keySeq): meanwhile the dashboard's bottom line
	// holds its answer, and a notice is drawn above it, not over it.
	answering bool
	keySeq    int
	online    map[string]Operator // by name, from the latest PresenceMsg; nil before the first
	// sessions is how many sessions each name in online has.
	sessions map[string]int
	// presenceSeq is the Seq of the latest PresenceMsg shown.
	presenceSeq uint64

	info, warn lipgloss.Style

	// onPanic is told when the dashboard panics in Init, Update or View;
	// the frame then shows nothing and quits, so one operator's broken
	// dashboard ends their session with a message rather than silently.
	onPanic func(r any, stack []byte)
	crashed bool
}

func newFrame(inner tea.Model, self uint64, lang string, r *lipgloss.Renderer, noticeFor time.Duration) *frame {
	return &frame{
		inner:     inner,
		self:      self,
		lang:      lang,
		noticeFor: noticeFor,
		info:      r.NewStyle().Reverse(true),
		warn:      r.NewStyle().Bold(true).Reverse(true).Foreground(lipgloss.AdaptiveColor{Light: "#A00000", Dark: "#FFB000"}),
	}
}

// Init implements tea.Model.
func (f *frame) Init() (cmd tea.Cmd) {
	defer f.recover(&cmd)
	return f.inner.Init()
}

// recover turns a panic of the dashboard into a quit; cmd, when given,
// is set to tea.Quit.
func (f *frame) recover(cmd *tea.Cmd) {
	r := recover()
	if r == nil {
		return
	}
	f.crashed = true
	if f.onPanic != nil {
		f.onPanic(r, debug.Stack())
	}
	if cmd != nil {
		*cmd = tea.Quit
	}
}

// Update implements tea.Model. After a panic of the dashboard it still
// returns the frame (next is set before anything can panic): returned as
// nil, Bubble Tea drew the nil model, panicked again, and printed "Caught
// panic" and a stack on the desk's standard output, outside the log.
func (f *frame) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	next = f
	if f.crashed {
		return f, tea.Quit
	}
	defer f.recover(&cmd)
	var own tea.Cmd
	switch m := msg.(type) {
	case NoticeMsg:
		return f, f.show(m)
	case clearNoticeMsg:
		if m.seq == f.seq && !f.notice.Sticky && !f.notice.Closing {
			f.notice = NoticeMsg{}
			return f, f.showQueued()
		}
		return f, nil
	case answerOverMsg:
		if m.seq == f.keySeq {
			f.answering = false
		}
		return f, nil
	case tea.WindowSizeMsg:
		f.width = m.Width
	case tea.KeyMsg:
		// A key takes a notice down (not the shutdown's): the dashboard
		// answers it on the bottom line the notice covers, and an
		// operator's own refusal stayed hidden under "ana joined" for as
		// long as the notice lasted.
		if !f.notice.Closing {
			f.notice = NoticeMsg{}
			// What waited behind it is shown now, above the footer
			// (answering), not dropped with it.
			own = f.showQueued()
		}
		// A notice that comes while the key is being answered (another
		// dispatcher's confirm of the same event, someone joining) covered
		// the answer for as long as the answer lasts: a "c again to cancel"
		// question went unseen, and the second c that cancels was pressed
		// as if the first had done nothing.
		f.keySeq++
		f.answering = true
		seq := f.keySeq
		own = tea.Batch(own, tea.Tick(answerFor, func(time.Time) tea.Msg { return answerOverMsg{seq: seq} }))
	case PresenceMsg:
		if m.Seq != 0 {
			if m.Seq <= f.presenceSeq {
				// Older than what the session shows: the dashboard
				// would list a stale set, and the next change would be
				// told against it.
				return f, nil
			}
			f.presenceSeq = m.Seq
		}
		if changes, online := f.presenceChange(m); len(changes) > 0 {
			if f.told && f.notice.Text != "" {
				// After the action, not over it: a dispatcher whose ssh
				// died just after enter is announced as having confirmed,
				// then as having left, within milliseconds, and the other
				// operators read only "ana (dispatcher) left".
				own = f.follow(queued{changes: changes, online: online})
			} else {
				own = f.show(NoticeMsg{Text: queued{changes: changes, online: online}.String(f.lang)})
			}
		}
	case ActionMsg:
		if m.By.ID != f.self {
			// Two dispatchers acting at once: the second action follows
			// the first rather than covering it, which was never drawn
			// when both came within one frame.
			own = f.follow(queued{text: f.tell(m)})
		}
	}
	var inner tea.Cmd
	f.inner, inner = f.inner.Update(msg)
	return f, tea.Batch(own, inner)
}

// tell is another operator's action as this session reads it: worded by
// the dashboard when it can (Teller), else the name and the English
// summary.
func (f *frame) tell(m ActionMsg) string {
	if t, ok := f.inner.(Teller); ok && m.Say != nil {
		if s, ok := t.Tell(m.By.Operator.Name, m.Say); ok {
			return s
		}
	}
	return m.By.Operator.Name + " " + m.Summary
}

// roleWord is a role in lang.
func roleWord(lang string, r Role) string {
	switch r {
	case RoleViewer:
		return say(lang, "viewer")
	case RoleDispatcher:
		return say(lang, "dispatcher")
	case RoleAdmin:
		return say(lang, "admin")
	}
	return string(r)
}

// presenceChange notes who is online and describes who joined or left since
// the previous PresenceMsg ("omar (dispatcher) joined", sorted) and who is
// online now ("ana, omar"). The first message only sets the scene: joining
// shows no notice.
func (f *frame) presenceChange(m PresenceMsg) (changes []string, online string) {
	now := make(map[string]Operator, len(m.Operators))
	counts := make(map[string]int, len(m.Operators))
	names := make([]string, 0, len(m.Operators))
	for _, o := range m.Operators {
		now[o.Name] = o
		n := max(1, m.PerName[o.Name])
		counts[o.Name] = n
		if n > 1 {
			names = append(names, say(f.lang, "%s (%d sessions)", o.Name, n))
		} else {
			names = append(names, o.Name)
		}
	}
	prev, prevCounts := f.online, f.sessions
	f.online, f.sessions = now, counts
	if prev == nil {
		return nil, ""
	}
	for _, o := range m.Operators {
		n, was := counts[o.Name], prevCounts[o.Name]
		_, ok := prev[o.Name]
		switch {
		case !ok && n > 1:
			changes = append(changes, say(f.lang, "%s joined (%d sessions)", o.in(f.lang), n))
		case !ok:
			changes = append(changes, say(f.lang, "%s joined", o.in(f.lang)))
		case n > was:
			// The same name again: by names alone nothing had changed.
			changes = append(changes, say(f.lang, "%s joined again (%d sessions)", o.in(f.lang), n))
		case n < was:
			changes = append(changes, say(f.lang, "%s closed a session (%d open)", o.in(f.lang), n))
		}
	}
	for name, o := range prev {
		if _, ok := now[name]; !ok {
			changes = append(changes, say(f.lang, "%s left", o.in(f.lang)))
		}
	}
	sort.Strings(changes)
	return changes, strings.Join(names, ", ")
}

// queued is a notice that follows another operator's action (follow): an
// action, worded (text), or who joined or left (changes) and who is online
// since (online). Joins and leaves queued one after the other are told as
// one, with the latest online list: a burst of reconnecting sessions behind
// an action is one notice, not one every 8 s for minutes.
type queued struct {
	text    string
	changes []string
	online  string
}

// String is the notice's text in lang.
func (q queued) String(lang string) string {
	if q.text != "" {
		return q.text
	}
	return say(lang, "%s · online: %s", strings.Join(q.changes, ", "), q.online)
}

// follow shows text, another operator's action or a join or leave, after
// the action the notice holds (told): joined to it when both fit the
// notice's lines at this width, else queued until it goes. A notice that
// is not an action is covered, as show does.
func (f *frame) follow(q queued) tea.Cmd {
	text := q.String(f.lang)
	if !f.told || f.notice.Text == "" || f.notice.Closing {
		cmd := f.show(NoticeMsg{Text: text})
		f.told = f.notice.Text == text && !f.notice.Closing
		return cmd
	}
	if joined := f.notice.Text + " · " + text; len(f.queue) == 0 && f.fits(joined) {
		cmd := f.show(NoticeMsg{Text: joined})
		f.told = true
		return cmd
	}
	if n := len(f.queue); n > 0 && q.text == "" && f.queue[n-1].text == "" {
		last := &f.queue[n-1]
		last.changes, last.online = append(last.changes, q.changes...), q.online
		return nil
	}
	f.queue = append(f.queue, q)
	return nil
}

// showQueued shows what waited behind the notice that went, as many of
// the queue as fit together, and returns the command that fades it.
func (f *frame) showQueued() tea.Cmd {
	if len(f.queue) == 0 || f.notice.Closing {
		return nil
	}
	text, n := f.queue[0].String(f.lang), 1
	for ; n < len(f.queue) && f.fits(text+" · "+f.queue[n].String(f.lang)); n++ {
		text += " · " + f.queue[n].String(f.lang)
	}
	f.queue = f.queue[n:]
	cmd := f.show(NoticeMsg{Text: text})
	f.told = true
	return cmd
}

// fits reports whether text, as a notice, takes no more than the lines a
// notice has (the dashboard's footer, Footer) at this width, uncut.
func (f *frame) fits(text string) bool {
	if f.width <= 0 {
		return true
	}
	room := 1
	if d, ok := f.inner.(Footer); ok {
		room = max(1, d.FooterHeight())
	}
	if room <= 1 || f.width < 20 {
		return ansi.StringWidth(" "+text+" ") <= f.width
	}
	return len(strings.Split(ansi.Wrap(text, f.width-2, ""), "\n")) <= room
}

// show puts n up and returns the command that fades it. Nothing but
// another closing notice replaces a closing one (NoticeMsg.Closing): what
// is left of the session is its countdown.
func (f *frame) show(n NoticeMsg) tea.Cmd {
	if f.notice.Closing && !n.Closing {
		return nil
	}
	f.seq++
	f.notice, f.told = n, false
	if n.Sticky || n.Closing || f.noticeFor <= 0 {
		return nil
	}
	seq := f.seq
	return tea.Tick(f.noticeFor, func(time.Time) tea.Msg { return clearNoticeMsg{seq: seq} })
}

// View implements tea.Model.
func (f *frame) View() (view string) {
	if f.crashed {
		return ""
	}
	defer f.recover(nil)
	v := f.inner.View()
	text := f.notice.Text
	if f.notice.Say != nil {
		text = f.notice.Say(f.lang)
	}
	if text == "" {
		return v
	}
	style := f.info
	if f.notice.Warn {
		style = f.warn
	}
	// The notice covers the dashboard's last lines: one, unless it is a
	// closing notice too long for it, and at least the dashboard's whole
	// footer: a message wrapped over two lines kept its first above a
	// one-line notice, and the two read as one. A notice too long for one
	// line may take the footer's lines, whole.
	footer := 1
	if d, ok := f.inner.(Footer); ok {
		footer = max(1, d.FooterHeight())
	}
	room := footer
	if f.notice.Closing {
		room = max(room, maxClosingLines)
	}
	notice := f.noticeLines(text, room)
	for i, l := range notice {
		notice[i] = style.Render(l)
	}
	if lines := strings.Split(v, "\n"); f.answering && !f.notice.Closing && len(lines) > footer+len(notice) {
		// Above the footer, which holds the answer to the operator's key.
		at := len(lines) - footer - len(notice)
		copy(lines[at:], notice)
		return strings.Join(lines, "\n")
	}
	for len(notice) < footer {
		notice = append([]string{strings.Repeat(" ", max(0, f.width))}, notice...)
	}
	if v == "" {
		return strings.Join(notice, "\n")
	}
	lines := strings.Split(v, "\n")
	if len(lines) == 1 {
		return v + "\n" + strings.Join(notice, "\n")
	}
	keep := max(1, len(lines)-len(notice))
	return strings.Join(append(lines[:keep:keep], notice...), "\n")
}

// answerFor is how long after an operator's key a notice is drawn above
// the dashboard's footer rather than over it: as long as a notice lasts
// (DefaultNoticeFor), which outlasts the dashboard's answer to the key.
const answerFor = DefaultNoticeFor

// maxClosingLines is how many of the dashboard's last lines a closing
// notice may cover; others cover the footer's (Footer), one or two.
const maxClosingLines = 3

// noticeLines is text as the frame shows it, " text ", within the width:
// one line, or, when too long, wrapped over up to room lines (the last cut
// with "…" when even these cannot hold it). At 80 columns the shutdown
// notice read "disconnecting in 10s: the desk is shutting down; DR
// events in force stop being…": which events, and what becomes of their
// chargers, was cut, and nothing else is left of the session to say it.
func (f *frame) noticeLines(text string, room int) []string {
	one := " " + text + " "
	if f.width <= 0 || ansi.StringWidth(one) <= f.width || room <= 1 || f.width < 20 {
		if f.width > 0 {
			one = ansi.Truncate(one, f.width, "…")
		}
		return []string{one}
	}
	wrapped := wrapNotice(text, f.width)
	if len(wrapped) > room {
		last := strings.Join(wrapped[room-1:], " ")
		wrapped = append(wrapped[:room-1], ansi.Truncate(last, f.width-2, "…"))
	}
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		out[i] = " " + strings.TrimRight(l, " ") + " "
	}
	return out
}

// wrapNotice is text wrapped as a notice too long for one line is drawn
// at width columns: between words where it can, within a space on
// either side.
func wrapNotice(text string, width int) []string {
	return strings.Split(ansi.Wrap(text, width-2, ""), "\n")
}
