package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cutMidWord is a footer item cut inside a word: an ellipsis right after
// a letter ("n new DR even…") rather than after a whole item ("s sort …").
var cutMidWord = regexp.MustCompile(`[^\s]…`)

// TestFooterKeysNotCutMidWord: at 80 columns a message beside the keys
// could leave the help a few cells too wide (bubbles' help adds the last
// item that fits exactly even when its "…" then does not), and fit cut it
// mid-word: "n new DR even… acknowledged loading/F10". Every length of
// message that sits beside the keys must leave them whole.
func TestFooterKeysNotCutMidWord(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		for _, script := range []string{"", "4", "3", "t"} {
			m, _, _ := newTestModel(t, lang, 80, 24)
			runKeys(m, script)
			for n := 4; n < 60; n++ {
				msg := strings.Repeat("x", n)
				m.setNotice(msg)
				foot := ansi.Strip(m.footerLine())
				left, _, ok := strings.Cut(foot, msg)
				if !ok {
					continue // too long to sit beside the keys: it takes the line
				}
				if loc := cutMidWord.FindStringIndex(left); loc != nil {
					t.Errorf("%s %q, message of %d cells: keys cut mid-word: %q", lang, script, n, left)
				}
				if fw := ansi.StringWidth(foot); fw > 80 {
					t.Errorf("%s %q: footer %d cells on 80 columns: %q", lang, script, fw, foot)
				}
			}
		}
	}
}

// TestEndedFooterKeepsQuit: once the day had ended, the footer at 80
// columns still listed sorting and freezing before q quit, and its cut
// from the end took quit (and esc back on a feeder's page): a presenter
// was not shown how to go on. An ended footer fits its width by giving up
// the least useful keys, always keeping help and quit, whole, in either
// language, on every page, also beside the one line that says why a key
// no longer acts; at 160 columns it gives up nothing.
func TestEndedFooterKeepsQuit(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{80, 24}, {160, 45}} {
			m, fx, _ := newTestModel(t, lang, size[0], size[1])
			ended := *fx.snap
			ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
			m.Update(SnapshotMsg{Snapshot: &ended})
			tr := m.tr.t
			for _, tt := range []struct {
				script string
				keep   []string // besides help and quit
			}{
				{"1", nil},
				{"2", []string{"enter " + tr("open")}},
				{"2E", []string{"esc " + tr("back")}},
				{"3", []string{"enter " + tr("open")}},
				{"4", []string{"a " + tr("ack")}},
				{"t", nil},
				{"5", []string{"enter " + tr("open")}},
				{"5E", []string{"esc " + tr("back")}},
				{"1 ", nil}, // beside "the scenario has ended: …"
			} {
				runKeys(m, "XXX"+tt.script)
				foot := lastLine(ansi.Strip(m.View()))
				for _, k := range append([]string{"? " + tr("help"), "q " + tr("quit")}, tt.keep...) {
					if !strings.Contains(foot, k) {
						t.Errorf("%s %v after %q: the ended footer lacks %q: %q", lang, size, tt.script, k, foot)
					}
				}
				if strings.HasSuffix(tt.script, " ") && !strings.Contains(foot, tr("the scenario has ended: its clock has stopped")) {
					t.Errorf("%s %v after %q: the ended footer does not say why: %q", lang, size, tt.script, foot)
				}
				if cutMidWord.MatchString(foot) {
					t.Errorf("%s %v after %q: keys cut: %q", lang, size, tt.script, foot)
				}
				if fw := ansi.StringWidth(foot); fw > size[0] {
					t.Errorf("%s %v after %q: footer %d cells: %q", lang, size, tt.script, fw, foot)
				}
				if size[0] == 160 && tt.script == "2" && !strings.Contains(foot, "r "+tr("reverse sort")) {
					t.Errorf("%s %v: the ended footer gave up keys it had room for: %q", lang, size, foot)
				}
			}
		}
	}
}
