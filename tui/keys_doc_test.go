package tui

import (
	"os"
	"strings"
	"testing"
)

// TestHelpKeysAreInTheDashboardDoc: every key the help screen (`?`) lists,
// and each of its alternatives (k for ↑, ctrl+u for pgup, + for >), has a
// row in the Keys table of docs/dashboard.md, so a key learnt from the
// screen can be looked up there.
func TestHelpKeysAreInTheDashboardDoc(t *testing.T) {
	doc, err := os.ReadFile("../docs/dashboard.md")
	if err != nil {
		t.Fatal(err)
	}
	_, keys, ok := strings.Cut(string(doc), "\n## Keys\n")
	if !ok {
		t.Fatal(`docs/dashboard.md has no "## Keys" section`)
	}
	keys, _, _ = strings.Cut(keys, "\n## ")
	var table []string // the first cell of each row
	for _, line := range strings.Split(keys, "\n") {
		if cells := strings.Split(line, " | "); strings.HasPrefix(line, "| ") && len(cells) > 1 {
			table = append(table, cells[0])
		}
	}
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
	doc, err := os.ReadFile("../docs/dashboard.md")
	if err != nil {
		t.Fatal(err)
	}
	_, cmds, ok := strings.Cut(string(doc), "\n## Commands (`:`)\n")
	if !ok {
		t.Fatal("docs/dashboard.md has no \"## Commands (`:`)\" section")
	}
	cmds, _, _ = strings.Cut(cmds, "\n## ")
	var table []string
	for _, line := range strings.Split(cmds, "\n") {
		if cells := strings.Split(line, " | "); strings.HasPrefix(line, "| ") && len(cells) > 1 {
			table = append(table, cells[0])
		}
	}
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
