package feeds

import (
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestProtocolDocExamples decodes every JSON example of the protocol part of
// docs/protocol.md (up to "## Recording format", whose lines are not
// frames), so the document cannot drift from the decoder.
func TestProtocolDocExamples(t *testing.T) {
	seen := map[FrameType]bool{}
	for _, ex := range docstest.Read(t, "docs/protocol.md").Before(t, "## Recording format").Blocks("json") {
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
