package main

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestStatusJSONFieldsDocumented: docs/operations.md named five of the
// fields of `status --json` (mode, at, speed, paused and the feeder's
// level), leaving a script's author to guess what "v2g" or "window_s"
// hold. Its table of fields and the JSON's must be the same set, both ways.
func TestStatusJSONFieldsDocumented(t *testing.T) {
	table := docstest.Read(t, "docs/operations.md").Section(t, "## Checking a feed").Table(t, "field", "what it holds")
	documented := map[string]bool{}
	for _, row := range table.Rows {
		if len(row) < 2 {
			continue
		}
		// The first cell names fields ("`site`, `tz`", "`feeders[]`"),
		// the second the fields within them; every name in backquotes
		// that is a JSON key counts.
		for _, m := range regexp.MustCompile("`([a-z0-9_]+)(\\[\\])?`").FindAllStringSubmatch(row[0]+row[1], -1) {
			documented[m[1]] = true
		}
	}
	var keys []string
	jsonKeys(reflect.TypeOf(statusReport{}), &keys)
	sort.Strings(keys)
	inJSON := map[string]bool{}
	for _, k := range keys {
		inJSON[k] = true
		if !documented[k] {
			t.Errorf("status --json field %q is not in the docs' table", k)
		}
	}
	// The table also names values (`HIGH`, `available`): only names that
	// look like a field of this report, lower case with no value meaning,
	// are checked the other way.
	values := map[string]bool{"none": true, "available": true, "charging": true, "discharging": true, "suspended": true, "faulted": true, "offline": true}
	for k := range documented {
		if !inJSON[k] && !values[k] {
			t.Errorf("the docs' table names %q, which status --json does not have", k)
		}
	}
}

// jsonKeys appends the JSON names of t's exported fields, and of the
// structs within them, to keys.
func jsonKeys(t reflect.Type, keys *[]string) {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeOf(statusReport{}).PkgPath() {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		*keys = append(*keys, name)
		jsonKeys(f.Type, keys)
	}
}
