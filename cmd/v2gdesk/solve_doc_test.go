package main

import (
	"encoding/json"
	"testing"

	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// docProblem returns the whole Problem that docs/dispatch.md gives under
// "Problem JSON".
func docProblem(t *testing.T) string {
	t.Helper()
	return docstest.Read(t, "docs/dispatch.md").Section(t, "## Problem JSON").Block(t, "json")
}

// TestSolveDocExample solves the whole Problem that docs/dispatch.md gives
// under "Problem JSON", as `v2gdesk solve --problem` does, and checks what
// the page says of its result.
func TestSolveDocExample(t *testing.T) {
	path := writeDocExample(t, t.TempDir())
	code, stdout, stderr := solveCmd("--problem", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r dispatch.Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Status != dispatch.StatusWithinGap && r.Status != dispatch.StatusOptimal {
		t.Errorf("status %s, want within-gap (or optimal)", r.Status)
	}
	if len(r.EVs) != 1 || r.EVs[0].UnmetKWh > 1e-3 || r.EVs[0].FinalKWh < 48-1e-3 {
		t.Fatalf("EVs %+v: want the one EV leaving with its 48 kWh", r.EVs)
	}
	// What the page says it does: 1.4, 7, 11 and 11 kW (the optimum is
	// unique: every hour has its own price, and the cap binds at 19:00).
	for i, want := range []float64{1.43, 7, 11, 11} {
		if got := r.EVs[0].KW[i]; got < want-0.05 || got > want+0.05 {
			t.Errorf("slot %d: the EV charges %.2f kW, the page says %.2f", i, got, want)
		}
	}
}
