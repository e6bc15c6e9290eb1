package scenario

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// A scenario file that does not decode says where: the byte where the
// value starts and its path, which session (sessions[0].max_kw), where Go's
// decoder names only sessions.max_kw. It said only "json: cannot unmarshal string into
// Go struct field Session.sessions.max_kw of type float64", and a scenario
// holds thousands of sessions.
func TestReadSaysWhereTheFileIsWrong(t *testing.T) {
	var buf bytes.Buffer
	if err := small().WriteGzip(&buf); err != nil {
		t.Fatal(err)
	}
	good, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := json.Marshal(good)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(plain)
	badKW := strings.Replace(doc, `"max_kw":7`, `"max_kw":"7"`, 1)
	if badKW == doc {
		t.Fatalf("no max_kw of 7 to spoil in %.200s", doc)
	}
	unknown := strings.Replace(doc, `"max_kw":7`, `"max_kw":7,"colour":"red"`, 1)
	for _, tc := range []struct{ name, doc, want string }{
		{"wrong type", badKW, "scenario: at byte " + strconv.Itoa(strings.Index(badKW, `"7"`)) + `: sessions[0].max_kw: a string, want a number`},
		{"unknown field", unknown, "scenario: at byte " + strconv.Itoa(strings.Index(unknown, `"colour"`)) + `: sessions[0]: unknown field "colour"`},
		{"cut short", doc[:len(doc)/2], "scenario: the file ends at byte " + strconv.Itoa(len(doc)/2) + " in the middle of the JSON (cut short?)"},
		{"syntax", `{"version":1,}`, "scenario: at byte 14: invalid character '}'"},
		{"empty", ``, "scenario: the file is empty"},
	} {
		_, err := Read(strings.NewReader(tc.doc))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one starting %q", tc.name, err, tc.want)
		}
	}
}

// A gzip-compressed scenario cut short said "scenario: read: unexpected
// EOF"; it says the file is cut short, as a plain one does.
func TestReadSaysAGzipFileIsCutShort(t *testing.T) {
	var buf bytes.Buffer
	if err := small().WriteGzip(&buf); err != nil {
		t.Fatal(err)
	}
	cut := buf.Bytes()[:buf.Len()/2]
	_, err := Read(bytes.NewReader(cut))
	const want = "scenario: the gzip-compressed file ends in the middle of its stream, after "
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "(cut short?)") {
		t.Errorf("error %v, want one starting %q and saying (cut short?)", err, want)
	}
}
