package dispatch

import (
	"os"
	"strings"
	"testing"
)

// TestModelDocStatesTheDesign: the "Dispatch model v1" section of
// docs/dispatch.md holds every line of the model in the design
// (../shared/DESIGN.md, which says the page "must state it exactly like
// this"), up to how the planner uses it (the page's "Planner"). The page
// had left out what a solve reports and that equally good
// schedules prefer the fair one. Skipped without ../shared (a fresh clone).
func TestModelDocStatesTheDesign(t *testing.T) {
	design, err := os.ReadFile("../../shared/DESIGN.md")
	if os.IsNotExist(err) {
		t.Skip("no ../shared/DESIGN.md")
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../docs/dispatch.md")
	if err != nil {
		t.Fatal(err)
	}
	model := func(text, heading string) string {
		_, sec, ok := strings.Cut(text, heading)
		if !ok {
			t.Fatalf("no %q", heading)
		}
		_, sec, _ = strings.Cut(sec, "\n") // the rest of the heading line
		sec, _, _ = strings.Cut(sec, "\n## ")
		return sec
	}
	want := model(string(design), "\n## Dispatch model v1")
	// How the planner maps events to the model has its own section.
	want, _, _ = strings.Cut(want, "\nThe planner (dispatch/plan)")
	got := strings.Join(strings.Fields(model(string(doc), "\n## Dispatch model v1")), " ")
	for _, line := range strings.Split(want, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !strings.Contains(got, line) {
			t.Errorf("docs/dispatch.md's model lacks the design's line %q", line)
		}
	}
}
