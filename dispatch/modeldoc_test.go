package dispatch

import (
	"os"
	"strings"
	"testing"
)

// designModel is the "Dispatch model v1" section of ../shared/DESIGN.md
// up to how the planner uses it (the page's "Planner"), as copied into
// testdata so that a clone without ../shared checks the page all the same.
const designModel = "testdata/design-model.txt"

// section returns the body of text's section under heading, up to the
// next "## " heading.
func section(t *testing.T, text, heading string) string {
	t.Helper()
	_, sec, ok := strings.Cut(text, heading)
	if !ok {
		t.Fatalf("no %q", heading)
	}
	_, sec, _ = strings.Cut(sec, "\n") // the rest of the heading line
	sec, _, _ = strings.Cut(sec, "\n## ")
	return sec
}

// TestModelDocStatesTheDesign: the "Dispatch model v1" section of
// docs/dispatch.md holds every line of the model in the design, which
// says the page "must state it exactly like this". The page had left out
// what a solve reports and that equally good schedules prefer the fair one.
func TestModelDocStatesTheDesign(t *testing.T) {
	want, err := os.ReadFile(designModel)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../docs/dispatch.md")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(section(t, string(doc), "\n## Dispatch model v1")), " ")
	for _, line := range strings.Split(string(want), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !strings.Contains(got, line) {
			t.Errorf("docs/dispatch.md's model lacks the design's line %q", line)
		}
	}
}

// TestDesignModelCopyIsCurrent: the copy in testdata is the design's
// section as it stands, where ../shared is beside the repository (a clone
// without it has only the copy, which TestModelDocStatesTheDesign reads).
func TestDesignModelCopyIsCurrent(t *testing.T) {
	design, err := os.ReadFile("../../shared/DESIGN.md")
	if os.IsNotExist(err) {
		t.Skip("no ../shared/DESIGN.md to compare the copy with")
	}
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(designModel)
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := strings.Cut(section(t, string(design), "\n## Dispatch model v1"), "\nThe planner (dispatch/plan)")
	if strings.TrimSpace(want) != strings.TrimSpace(string(copied)) {
		t.Errorf("%s differs from ../shared/DESIGN.md's \"Dispatch model v1\": copy the section again, then check docs/dispatch.md", designModel)
	}
}
