package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestConflictingPreviewDoesNotOfferEnter: the preview of an event on a
// scope with another in force said "enter is refused until it ends or is
// cancelled" and, under it, "enter confirm and send 79 setpoints"; the
// footer offered enter too, and a large dispatch's enter asked "enter again
// to confirm" only for the second enter to be refused. The page and the
// footer no longer offer enter, and enter is refused at once, naming the
// event in force, in either language.
func TestConflictingPreviewDoesNotOfferEnter(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		t.Run("lang="+lang, func(t *testing.T) {
			fx := demo(t)
			snd := &recordingSender{}
			ctl := newDRController(t, fx, func(o *control.Options) { o.Sender, o.SecondConfirmKW = snd, 1 })
			opts, _ := testOptions(fx, lang)
			opts.Dispatch = ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			runKeys(m, "5EEE") // DR-17, import cap F07: planned, enter, enter again
			if v, _ := ctl.Event("DR-17"); v.State != control.StateActive {
				t.Fatalf("DR-17 is %s, want active", v.State)
			}
			sent := snd.count()
			at := fx.snap.At.Truncate(time.Minute)
			id, err := ctl.Propose(feeds.EventFrame{Kind: feeds.EventImportCap, Scope: "F07", KW: 500, Start: at, End: at.Add(time.Hour)},
				control.OriginOperator, control.Actor{Name: "omar", Dispatcher: true})
			if err != nil {
				t.Fatal(err)
			}
			m.Update(drChangedMsg{})
			m.openDispatch(id)
			runKeys(m, "d")
			tr := m.tr.t
			page := flat(ansi.Strip(m.View()))
			if !strings.Contains(page, tr("enter is refused until it ends or is cancelled")) {
				t.Fatalf("the preview of %s does not say DR-17 is in force:\n%s", id, page)
			}
			for _, offer := range []string{strings.TrimSuffix(tr("enter confirm and send %s"), " %s"), tr("enter again to confirm")} {
				if strings.Contains(page, offer) {
					t.Errorf("the preview of %s, refused while DR-17 is in force, offers %q:\n%s", id, offer, page)
				}
			}
			if foot := ansi.Strip(lastLine(m.View())); strings.Contains(foot, "enter") || strings.Contains(foot, "回车") {
				t.Errorf("the footer offers enter on the refused preview: %q", foot)
			}
			runKeys(m, "E")
			foot := ansi.Strip(lastLine(m.View()))
			want := strings.SplitN(tr("conflicts with %s (%s), confirmed by %s at %s"), " %s", 2)[0]
			if !strings.Contains(foot, "✕") || !strings.Contains(foot, want) || !strings.Contains(foot, "DR-17") {
				t.Errorf("enter on the refused preview says %q, want the refusal naming DR-17", foot)
			}
			if strings.Contains(foot, tr("enter again to confirm")) {
				t.Errorf("enter on the refused preview asks for a second enter: %q", foot)
			}
			runKeys(m, "E")
			if v, _ := ctl.Event(id); v.State != control.StatePending {
				t.Errorf("%s is %s after enter, enter, want still pending", id, v.State)
			}
			if snd.count() != sent {
				t.Errorf("enter, enter sent %d setpoints for %s", snd.count()-sent, id)
			}
		})
	}
}

// flat is a screen's text on one line, its box edges and runs of spaces
// gone, so that a sentence wrapped over two lines reads whole.
func flat(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(s)), " ")
}
