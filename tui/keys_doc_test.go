package tui

import (
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestHelpKeysAreInTheDashboardDoc: every key the help screen (`?`) lists,
// and each of its alternatives (k for ↑, ctrl+u for pgup, + for >), has a
// row in the Keys table of docs/dashboard.md, so a key learnt from the
// screen can be looked up there.
func TestHelpKeysAreInTheDashboardDoc(t *testing.T) {
	table := firstCells(t, docstest.Read(t, "docs/dashboard.md").Section(t, "## Keys"))
	// The doc writes the arrows and space as the help shows them, and
	// the view keys 2 to 4 within "`1` to `5`".
	shown := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn", " ": "space",
		"2": "1` to `5", "3": "1` to `5", "4": "1` to `5", "1": "1` to `5", "5": "1` to `5"}
	for _, group := range newKeyMap(func(s string) string { return s }).FullHelp() {
		for _, b := range group {
			for _, k := range b.Keys() {
				name := k
				if s, ok := shown[k]; ok {
					name = s
				}
				found := false
				for _, cell := range table {
					if strings.Contains(cell, "`"+name+"`") {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("help lists %q (%s, key %q), which no row of docs/dashboard.md's Keys table names", b.Help().Key, b.Help().Desc, k)
				}
			}
		}
	}
}

// TestPaletteCommandsAreInTheDashboardDoc: every `:` command the help
// screen lists has a row in docs/dashboard.md's Commands table.
func TestPaletteCommandsAreInTheDashboardDoc(t *testing.T) {
	table := firstCells(t, docstest.Read(t, "docs/dashboard.md").Section(t, "## Commands (`:`)"))
	for _, c := range paletteCommands {
		for _, word := range strings.Fields(c.usage) {
			if word == "/" || word == "…" || strings.ToUpper(word) == word || strings.ContainsAny(word, "0123456789") {
				continue // "pause / resume", "overview … events", arguments
			}
			found := false
			for _, cell := range table {
				if strings.Contains(cell, "`:"+word) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("help lists :%s (%q), which no row of docs/dashboard.md's Commands table names", word, c.usage)
			}
		}
	}
}

// firstCells returns the first cell of each table row of section (the key
// or command a row is about), failing when it has no table row at all.
func firstCells(t *testing.T, section docstest.Page) []string {
	t.Helper()
	var cells []string
	for _, r := range section.Rows() {
		cells = append(cells, r[0])
	}
	if len(cells) == 0 {
		t.Fatalf("%s has no table", section.Name)
	}
	return cells
}
