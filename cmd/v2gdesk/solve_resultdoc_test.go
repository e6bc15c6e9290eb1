package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestSolveResultFieldsAreDocumented: every field of the Result JSON that
// `v2gdesk solve --json` prints is in the table of docs/dispatch.md
// ("Result JSON"), every field there is printed, and the fields the
// binary leaves out (system_slack_kw without a system limit, caps without
// caps) are said to be absent then. The page did not say `caps` could be
// absent, nor what energy_kwh holds outside the stay.
func TestSolveResultFieldsAreDocumented(t *testing.T) {
	rows := map[string]string{} // field -> its row
	name := regexp.MustCompile("`([a-z_\\[\\].]+)`")
	for _, row := range docstest.Read(t, "docs/dispatch.md").Section(t, "## Result JSON").Rows() {
		if len(row) < 2 {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(row[0], -1) {
			rows[m[1]] = strings.Join(row, " | ")
		}
	}

	// The doc's example with a system limit, so that every field is there.
	var m map[string]any
	if err := json.Unmarshal([]byte(docProblem(t)), &m); err != nil {
		t.Fatal(err)
	}
	m["system"] = map[string]any{"import_limit_kw": 100, "overload_penalty": 10}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := solveCmd("--problem", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	var printed []string
	for k, v := range r {
		switch v := v.(type) {
		case []any:
			if obj, ok := v[0].(map[string]any); ok {
				for sub := range obj {
					printed = append(printed, k+"[]."+sub)
				}
				continue
			}
		case map[string]any:
			for sub := range v {
				if !strings.Contains(rows[k], "`"+sub+"`") {
					t.Errorf("%s.%s is printed but not in the %s row of the page", k, sub, k)
				}
			}
		}
		printed = append(printed, k)
	}
	for _, f := range printed {
		if _, ok := rows[f]; !ok {
			t.Errorf("%s is printed but not in the page's Result JSON table", f)
		}
	}
	for f := range rows {
		if !slices.Contains(printed, f) {
			t.Errorf("%s is in the page's table but not printed", f)
		}
	}
	for _, f := range []string{"system_slack_kw", "caps[].id"} {
		if !strings.Contains(rows[f], "absent") {
			t.Errorf("the page's %s row does not say when it is absent: %s", f, rows[f])
		}
	}
	if !strings.Contains(rows["evs[].energy_kwh"], "before arrival") {
		t.Errorf("the page's energy_kwh row does not say what it holds outside the stay: %s", rows["evs[].energy_kwh"])
	}
}
