package adapters_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestConfigDocExample: the example of docs/adapters.md ("The `--adapters`
// file") is what a newcomer copies first; it is a file ParseConfig takes,
// with every kind of adapter, and the page's table has a row for every
// key of the file's top level (a key added to Config was in no row, and a
// row for one it dropped would be refused as an unknown field). No test
// read the example; the other pages' examples each have one.
func TestConfigDocExample(t *testing.T) {
	section := docstest.Read(t, "docs/adapters.md").Section(t, "## The `--adapters` file")
	cfg, err := adapters.ParseConfig(strings.NewReader(section.Block(t, "json")))
	if err != nil {
		t.Fatalf("the example does not parse: %v", err)
	}
	kinds := map[adapters.Kind]bool{}
	for _, a := range cfg.Adapters {
		kinds[a.Kind] = true
	}
	for _, k := range []adapters.Kind{"ocpp", "modbus", "wsjson", "inproc", "dryrun"} {
		if !kinds[k] {
			t.Errorf("the example has no adapter of kind %q", k)
		}
	}
	var rows []string
	for _, r := range section.Rows() {
		rows = append(rows, r[0])
	}
	typ := reflect.TypeFor[adapters.Config]()
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		found := false
		for _, r := range rows {
			if r == "`"+key+"`" || r == "`"+key+"[]`" {
				found = true
			}
		}
		if !found {
			t.Errorf("docs/adapters.md's table has no row for the key %q (Config.%s)", key, typ.Field(i).Name)
		}
	}
	if len(rows) != typ.NumField() {
		t.Errorf("docs/adapters.md's table has %d rows, Config %d keys: %q", len(rows), typ.NumField(), rows)
	}
}
