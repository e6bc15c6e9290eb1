package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestDispatchDocExample runs the event file example of docs/operations.md
// ("Headless") as the page shows it: `v2gdesk dispatch --scenario demo
// --event FILE` previews it and sends nothing.
func TestDispatchDocExample(t *testing.T) {
	example := docstest.Read(t, "docs/operations.md").Section(t, "### Headless").Block(t, "json")
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runArgs(t, "--scenario", "demo", "--event", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Dispatch preview · DR-17 · cap F08 at 950 kW 18:00–19:00", "nothing sent: run again with --yes"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the preview has no %q:\n%s", want, stdout)
		}
	}
}
