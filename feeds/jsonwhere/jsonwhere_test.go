package jsonwhere

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

type charger struct {
	ID    string  `json:"id"`
	MaxKW float64 `json:"max_kw"`
}

type site struct {
	Chargers []charger `json:"chargers"`
}

// decode decodes doc as a site with unknown fields refused and returns
// Explain's wording of the error ("" when it decodes).
func decode(doc string) string {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	var s site
	if err := dec.Decode(&s); err != nil {
		return Explain([]byte(doc), err).Error()
	}
	return ""
}

func TestExplainPlacesTheError(t *testing.T) {
	two := `{"chargers": [{"id": "a", "max_kw": 7}, {"id": "b", "max_kw": "7"}]}`
	unknown := `{"chargers": [{"id": "a"}, {"id": "b", "colour": "red"}]}`
	for _, tc := range []struct{ doc, want string }{
		{``, "the file is empty: want one JSON object"},
		{`{"chargers": [`, "the file ends at byte 14 in the middle of the JSON (cut short?)"},
		{`{"chargers": x}`, "at byte 14: invalid character 'x'"},
		// Which charger: Go's decoder says chargers.max_kw.
		{two, "at byte " + strconv.Itoa(strings.Index(two, `"7"`)) + `: chargers[1].max_kw: a string, want a number`},
		{`{"chargers": {}}`, "at byte 13: chargers: an object, want an array"},
		{unknown, "at byte " + strconv.Itoa(strings.Index(unknown, `"colour"`)) + `: chargers[1]: unknown field "colour"`},
	} {
		if got := decode(tc.doc); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q...", tc.doc, got, tc.want)
		}
	}
}

// TestExplainSaysADocumentIsNotJSON: a CSV given for a JSON file (the
// adapters file, a register map, a scenario) read "at byte 0: a string,
// want an object" when its first field was quoted, or "invalid character
// 'D'" when not: the error now says the file is not JSON, quoting how it
// starts, and keeps the place.
func TestExplainSaysADocumentIsNotJSON(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"\"location\";\"user_id\";\"session_id\";\"plugin_time\";\"plugout_time\"\n\"ASK\";\"ASK_1\"\n",
			`not a JSON document (one object, {…}): it starts with "\"location\";\"user_id\";\"session_id\";\"plugi…": at byte 0: a string, want an object`},
		{"DateTime,Temperature\n1/1/2017 0:00,6.559\n",
			`not a JSON document (one object, {…}): it starts with "DateTime,Temperature": at byte 1: invalid character 'D'`},
		{"  Test Case Name : TC_E_44_CS", `not a JSON document (one object, {…}): it starts with "Test Case Name : TC_E_44_CS": at byte 3:`},
		{"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", "not a JSON document (one object, {…}): it is gzip-compressed (a .v2grec recording?): at byte 1: invalid character"},
		// JSON of the wrong shape, and an empty file, are worded as before.
		{`[1]`, "at byte 0: an array, want an object"},
		{``, "the file is empty: want one JSON object"},
	} {
		if got := decode(tc.doc); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q...", tc.doc, got, tc.want)
		}
	}
}

func TestFindAndJoin(t *testing.T) {
	b := []byte(`{"a": [1, {"d": "10 seconds"}]}`)
	path, start, ok := Find(b, func(s []byte, isKey bool) bool { return !isKey && bytes.Equal(s, []byte(`"10 seconds"`)) })
	if !ok || path != "a[1].d" || start != int64(bytes.Index(b, []byte(`"10 seconds"`))) {
		t.Errorf("Find = %q, %d, %v; want a[1].d at the value's first byte", path, start, ok)
	}
	for _, tc := range []struct{ parent, path, want string }{
		{"settings", "", "settings"}, {"settings", "connector", "settings.connector"}, {"settings", "[0]", "settings[0]"},
	} {
		if got := Join(tc.parent, tc.path); got != tc.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tc.parent, tc.path, got, tc.want)
		}
	}
}

func TestKind(t *testing.T) {
	for in, want := range map[string]string{``: "nothing", `"x"`: "a string", `{}`: "an object", `[1]`: "an array", `true`: "a boolean", `null`: "null", `-1`: "a number"} {
		if got := Kind([]byte(in)); got != want {
			t.Errorf("Kind(%q) = %q, want %q", in, got, want)
		}
	}
}
