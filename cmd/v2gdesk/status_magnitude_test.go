package main

import (
	"strings"
	"testing"
)

// A broken meter's reading is finite but no measurement: -1e300 kW was
// accepted and printed as "--9,223,372,036,854,775,808 kW" with a loading
// of several hundred digits. It is rejected and counted, and the feeder
// keeps the reading before it.
func TestStatusRejectsAMeasurementBeyondATerawatt(t *testing.T) {
	broken := `{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:02+08:00","kw":-1e300}`
	url := feedServer(t, batchOf(testHello, testFeeder, testCharger, broken))
	code, out, errs := runCmd("status", "--feed", url, "--window", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	for _, want := range []string{
		"system    300 kW of 500 kW limit (60.0%)",
		"F1        300 kW  limit        400 kW    75.0%",
		"rejects   1: out_of_range 1",
		`last: out_of_range: feeder "F1": kw -1e+300 is beyond ±1e+09`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "9,223,372,036,854,775,808") {
		t.Errorf("output shows an overflowed power:\n%s", out)
	}
}
