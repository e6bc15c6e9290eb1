package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// --wait-answer 0 is documented as "exit at once", but with a wsjson
// adapter (any that is not OCPP) closing still sat through the guard's
// 30 s grace, saying "waiting up to 30s for a late answer". The operator
// asked not to wait, and nothing is lost from the journal by not waiting:
// the setpoint and its timeout are in it before the result is printed. It
// ends the adapter's wait and says what that means.
func TestSetpointWaitAnswerZeroDoesNotWaitForTheAdapter(t *testing.T) {
	silent := silentPeer(t, nil)
	cfg, journal := writeConfig(t, silent)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--id", "sp-0", "--wait-answer", "0"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1 (timeout)", code)
	}
	stderr := errb.String()
	if !strings.Contains(stderr, "not waiting for a late answer (--wait-answer 0): the journal has the setpoint and its timeout; an answer that comes later is not heard, and V2G1 may hold the setpoint until") {
		t.Errorf("stderr does not say it does not wait:\n%s", stderr)
	}
	if strings.Contains(stderr, "for a late answer, to journal it") {
		t.Errorf("stderr says it waits:\n%s", stderr)
	}
	var kinds []string
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Setpoint == "sp-0" {
			kinds = append(kinds, string(r.Kind)+" "+string(r.Status))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ", ") != "setpoint , result timeout" {
		t.Errorf("journal records of sp-0: %q, want the setpoint and its timeout result", kinds)
	}
}
