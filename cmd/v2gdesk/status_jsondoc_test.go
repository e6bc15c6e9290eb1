package main

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestStatusJSONFieldsDocumented: docs/operations.md named five of the
// fields of `status --json` (mode, at, speed, paused and the feeder's
// level), leaving a script's author to guess what "v2g" or "window_s"
// hold. Its table of fields and the JSON's must be the same set, both ways.
func TestStatusJSONFieldsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "| field | what it holds |")
	if start < 0 {
		t.Fatal("docs/operations.md has no table of status --json fields")
	}
	table := doc[start:]
	if end := strings.Index(table, "\n\n"); end >= 0 {
		table = table[:end]
	}
	documented := map[string]bool{}
	for _, row := range strings.Split(table, "\n")[2:] {
		cells := strings.SplitN(row, "|", 4)
		if len(cells) < 4 {
			continue
		}
		// The first cell names fields ("`site`, `tz`", "`feeders[]`"),
		// the second the fields within them; every name in backquotes
		// that is a JSON key counts.
		for _, m := range regexp.MustCompile("`([a-z0-9_]+)(\\[\\])?`").FindAllStringSubmatch(cells[1]+cells[2], -1) {
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
