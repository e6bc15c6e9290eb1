package adapters_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// A kind's settings name the field at fault as the file reads, under
// "settings", not Go's struct and field names.
func TestDecodeSettingsNamesTheField(t *testing.T) {
	type inner struct {
		Every adapters.Duration `json:"every"`
	}
	type settings struct {
		Port   int               `json:"port"`
		Wait   adapters.Duration `json:"wait"`
		Groups []inner           `json:"groups"`
	}
	for _, tc := range []struct{ raw, want string }{
		{`{"port":"8887"}`, `settings.port: a string, want a number`},
		{`{"port":1,"wait":"2 s"}`, `settings.wait: duration "2 s": time: unknown unit " s" in duration "2 s"`},
		{`{"wait":30}`, `settings.wait: 30: a duration must be a string like "15m"`},
		{`{"groups":[{"every":"1m"},{"every":"often"}]}`, `settings.groups[1].every: duration "often"`},
		{`{"port":1,"prot":2}`, `settings: unknown field "prot"`},
		{`{"groups":[{"every":"1m","evry":"2m"}]}`, `settings.groups[0]: unknown field "evry"`},
	} {
		var s settings
		err := adapters.DecodeSettings(json.RawMessage(tc.raw), &s)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one starting %q", tc.raw, err, tc.want)
		}
	}
	var s settings
	if err := adapters.DecodeSettings(nil, &s); err != nil {
		t.Errorf("absent settings: %v", err)
	}
	if err := adapters.DecodeSettings(json.RawMessage(`{"port":1,"wait":"5s","groups":[{"every":"1m"}]}`), &s); err != nil || s.Port != 1 || s.Groups[0].Every != adapters.Duration(60e9) {
		t.Errorf("valid settings: %+v, %v", s, err)
	}
}
