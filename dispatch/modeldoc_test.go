package dispatch

import (
	"os"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// designModel is the "Dispatch model v1" section of ../shared/DESIGN.md
// up to how the planner uses it (the page's "Planner"), as copied into
// testdata so that a clone without ../shared checks the page all the same.
const designModel = "testdata/design-model.txt"

// TestModelDocStatesTheDesign: the "Dispatch model v1" section of
// docs/dispatch.md holds every line of the model in the design, which
// says the page "must state it exactly like this". The page had left out
// what a solve reports and that equally good schedules prefer the fair one.
func TestModelDocStatesTheDesign(t *testing.T) {
	want, err := os.ReadFile(designModel)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(docstest.Read(t, "docs/dispatch.md").Section(t, "## Dispatch model v1").Text), " ")
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
	model := docstest.Page{Name: "../shared/DESIGN.md", Text: string(design)}.Section(t, "## Dispatch model v1")
	want, _, _ := strings.Cut(model.Text, "\nThe planner (dispatch/plan)")
	if strings.TrimSpace(want) != strings.TrimSpace(string(copied)) {
		t.Errorf("%s differs from ../shared/DESIGN.md's \"Dispatch model v1\": copy the section again, then check docs/dispatch.md", designModel)
	}
}
