package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A feed that never gives dispatch its topology and feeder measurements is
// refused with what it did send: the message read "(last error: )" when
// the link was up and every frame was rejected, and named no feeder when
// the hello came but some feeder's measurement did not.
func TestDispatchSaysWhyTheFeedWasNotReady(t *testing.T) {
	ev := filepath.Join(t.TempDir(), "event.json")
	body := `{"v":1,"type":"event","id":"DR-W","kind":"import_cap","scope":"F1","start":"2024-02-04T18:00:00+08:00","end":"2024-02-04T19:00:00+08:00","kw":90}`
	if err := os.WriteFile(ev, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		msgs []string
		want string
	}{
		{"frames before any hello", []string{testFeeder, `"garbage"`},
			"no hello within 300ms (connected; 2 frames rejected, last: bad_json: "},
		{"a feeder never measured", []string{batchOf(testHello, testFeeder)},
			"no measurement of feeder F2 within 300ms (connected; 0 frames rejected)"},
		{"nothing at all", nil,
			"no hello within 300ms (connected; 0 frames rejected)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := feedServer(t, tc.msgs...)
			code, _, stderr := runArgs(t, "--feed", url, "--event", ev, "--timeout", "300ms")
			if want := "v2gdesk dispatch: --feed " + url + ": " + tc.want; code != 1 || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
			}
		})
	}
}
