package replay

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestRecordingFormatDocExamples reads the header and frame lines that
// docs/protocol.md gives under "Recording format" as a recording, so the
// document's example is one the reader takes (its header once read
// "feeders":[...], which is not JSON).
func TestRecordingFormatDocExamples(t *testing.T) {
	var lines []string
	for _, ex := range docstest.Read(t, "docs/protocol.md").Section(t, "## Recording format").Blocks("json") {
		lines = append(lines, strings.TrimSpace(ex))
	}
	if len(lines) != 2 {
		t.Fatalf("the section has %d JSON examples, want 2 (a header and a frame line)", len(lines))
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := Read(&buf)
	if err != nil {
		t.Fatalf("the documented header and frame do not read as a recording: %v", err)
	}
	h := rec.Header
	if h.Format != FormatName || h.Version != FormatVersion || h.Site != "Demo City" || h.TimeZone != "Asia/Shanghai" || h.Topology == nil {
		t.Errorf("header %+v: want format %q version %d, Demo City in Asia/Shanghai, with its topology", h, FormatName, FormatVersion)
	}
	if len(rec.Entries) != 1 {
		t.Fatalf("%d entries, want the one frame line", len(rec.Entries))
	}
	if r := rec.Report; r.Skipped != 0 || r.Stopped || r.Backwards != 0 {
		t.Errorf("report %q: the documented lines were not all taken whole", r)
	}
}
