package demo

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

//go:embed demo.scenario.json.gz
var demoScenario []byte

// Scenario returns a fresh copy of the demo day, so callers may change it.
func Scenario() (*scenario.Scenario, error) {
	sc, err := scenario.Read(bytes.NewReader(demoScenario))
	if err != nil {
		return nil, fmt.Errorf("embedded demo scenario: %w", err)
	}
	return sc, nil
}
