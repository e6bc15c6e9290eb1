package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// An aggregator that answers a setpoint with a frame that is not JSON (an
// ack cut short) left `v2gdesk setpoint` saying only "no answer from adapter
// before the batch deadline": the frame was counted, and the count never
// shown, so the on-call engineer could not tell a silent peer from one that
// answered garbage. The frame is logged when it comes, with how it starts,
// and the adapter's peer faults at stop.
func TestSetpointSaysWhatThePeerSentThatCouldNotBeRead(t *testing.T) {
	garbled := wsjsontest.PeerWithHello(t, v2g1Hello(), func(f feeds.SetpointFrame) string {
		return `{"v":1,"type":"ack","id":"` + f.ID + `","status":"acc` // cut short
	})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	doc := `{"journal": "audit.jsonl", "batch_timeout": "1s",
 "adapters": [{"name": "agg", "kind": "wsjson", "settings": {"url": "` + garbled + `"}}],
 "chargers": [{"id": "V2G1", "adapter": "agg", "max_charge_kw": 10, "max_discharge_kw": 10}]}`
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m",
		"--id", "sp-garbled", "--wait-answer", "0"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1 (timeout)", code)
	}
	if !strings.Contains(out.String(), "sp-garbled V2G1: timeout") {
		t.Errorf("stdout:\n%s\nwant the timeout", out.String())
	}
	stderr := errb.String()
	for _, want := range []string{
		`msg="wsjson: a frame from the peer could not be decoded; skipped (counted as malformed)"`,
		`frame="\"{\\\"v\\\":1,\\\"type\\\":\\\"ack\\\",\\\"id\\\":\\\"sp-garbled\\\",\\\"status\\\":\\\"acc\""`,
		`msg="adapters: peer faults at stop`,
		"adapter=agg malformed=1 ",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %s:\n%s", want, stderr)
		}
	}
}
