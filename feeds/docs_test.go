package feeds

import (
	"os"
	"strings"
	"testing"
)

// TestProtocolDocExamples decodes every JSON example of the protocol part of
// docs/protocol.md (up to "## Recording format", whose lines are not
// frames), so the document cannot drift from the decoder.
func TestProtocolDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := strings.Cut(string(doc), "\n## Recording format")
	parts := strings.Split(text, "```json\n")
	seen := map[FrameType]bool{}
	for _, p := range parts[1:] {
		ex := p[:strings.Index(p, "```")]
		f, err := Decode([]byte(ex))
		if err != nil {
			t.Errorf("example does not decode: %v\n%s", err, ex)
			continue
		}
		seen[f.FrameType()] = true
		if b, ok := f.(*Batch); ok {
			for _, m := range b.Frames {
				if _, err := Decode(m); err != nil {
					t.Errorf("batch member does not decode: %v\n%s", err, m)
				}
			}
		}
	}
	for _, ft := range []FrameType{TypeHello, TypeFeeder, TypeCharger, TypeEvent, TypeAck, TypeBatch, TypeSubscribe, TypeSetpoint} {
		if !seen[ft] {
			t.Errorf("docs/protocol.md has no example of %s", ft)
		}
	}
}
