package adapters_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		errs []string // substrings the error must contain; nil: valid
	}{
		{"valid", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"a","max_charge_kw":7,"max_discharge_kw":0}]}`, nil},
		{"misspelt field", `{"dry_runn":true,"adapters":[],"chargers":[]}`, []string{`unknown field "dry_runn"`}},
		{"bad kind and duplicate name", `{"adapters":[{"name":"a","kind":"can"},{"name":"a","kind":"dryrun"}],"chargers":[]}`,
			[]string{`kind "can"`, `name "a" used twice`}},
		{"unrouted and bad bounds", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"b","max_charge_kw":-1,"max_discharge_kw":0},{"id":"c","adapter":"a","max_charge_kw":1,"max_discharge_kw":-2}]}`,
			[]string{`adapter "b" is not declared`, "max_charge_kw -1", `id "c" used twice`, "max_discharge_kw -2"}},
		// A duration that does not parse said only `duration "soon"`, and
		// one written as a number not even that: not which field.
		{"bad duration", `{"batch_timeout":"soon","adapters":[],"chargers":[]}`, []string{`at byte 17: batch_timeout: duration "soon"`}},
		{"number duration", `{"min_interval":"10s","batch_timeout":5,"adapters":[],"chargers":[]}`, []string{`at byte 38: batch_timeout: 5: a duration must be a string like "15m"`}},
		// An unknown field said `json: unknown field "max_charge_kW2"`: not
		// which charger among hundreds.
		{"unknown field names the element", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"a","max_charge_kw":7},{"id":"d","adapter":"a","max_charge_kw":7,"max_charge":22}]}`,
			[]string{`at byte 140: chargers[1]: unknown field "max_charge"`}},
		// The sign is checked by the holder of the field, so the message
		// names it; encoding/json names no field for a decoder's error.
		{"negative durations are named", `{"max_validity":"-5m","min_interval":"-1s","batch_timeout":"-2s","adapters":[],"chargers":[]}`,
			[]string{`max_validity "-5m0s" must not be negative`, `min_interval "-1s" must not be negative`, `batch_timeout "-2s" must not be negative`}},
		// An explicit zero was taken as "absent": "0s" of max_validity
		// became 4h and of batch_timeout 5s, silently.
		// A bound of 1e300 kW bounds nothing; a hello is held to ±1e9 too.
		{"bounds beyond a terawatt", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"a","max_charge_kw":1e300,"max_discharge_kw":2e9}]}`,
			[]string{`max_charge_kw 1e+300 must be a number from 0 to 1e+09`, `max_discharge_kw 2e+09 must be a number from 0 (not bidirectional) to 1e+09`}},
		{"zero max_validity and batch_timeout", `{"max_validity":"0s","batch_timeout":"0s","adapters":[],"chargers":[]}`,
			[]string{`max_validity "0s": want a positive duration (leave it out for the default 4h0m0s)`, `batch_timeout "0s": want a positive duration (leave it out for the default 5s)`}},
		{"syntax error says where", `{"adapters": [}`, []string{"at byte 15: invalid character '}'"}},
		// A file cut short said only "unexpected EOF", an empty one "EOF".
		{"cut short", `{"journal": "audit.jsonl", "adapters": [`, []string{"the file ends at byte 40 in the middle of the JSON (cut short?)"}},
		{"empty", ``, []string{"the file is empty: want one JSON object"}},
		// A value of the wrong type said "json: cannot unmarshal string into
		// Go struct field ChargerConfig.chargers.max_charge_kw of type
		// float64": Go's names, and not which charger.
		{"wrong type names the element", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"a","max_charge_kw":7},{"id":"d","adapter":"a","max_charge_kw":"22"}]}`,
			[]string{`at byte 138: chargers[1].max_charge_kw: a string, want a number`}},
		{"wrong type in a list", `{"adapters":[{"name":"a","kind":"dryrun","workers":[4]}],"chargers":[]}`,
			[]string{`adapters[0].workers: an array, want a number`}},
		{"wrong type at the top", `{"dry_run":"yes","adapters":[],"chargers":[]}`,
			[]string{`at byte 11: dry_run: a string, want true or false`}},
		// Allocated at start-up: a slip of the finger must be an error, not
		// an out-of-memory crash.
		{"huge queue and workers", `{"adapters":[{"name":"dr","kind":"dryrun","queue":1000000000000,"workers":100000}],"chargers":[]}`,
			[]string{`adapters[0] "dr": queue 1000000000000 is more than 1048576`, `adapters[0] "dr": workers 100000 is more than 256`}},
		// encoding/json keeps the last of two equal keys and matches keys
		// without regard to case: either would silently override a bound.
		{"duplicate key", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"X","adapter":"a","max_charge_kw":11,"max_discharge_kw":0,"max_discharge_kw":50}]}`,
			[]string{`at byte 119: key "max_discharge_kw" appears twice`}},
		{"case variant key", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"X","adapter":"a","max_charge_kw":11, "MAX_CHARGE_KW": 1100}]}`,
			[]string{`at byte 99: key "MAX_CHARGE_KW" is "max_charge_kw" but for case`}},
		{"case variant alone", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"X","adapter":"a","Max_Charge_KW":1100}]}`,
			[]string{`at byte 79: key "Max_Charge_KW" is not in lower case`}},
		{"folding letter", "{\"adapters\":[{\"name\":\"a\",\"kind\":\"dryrun\"}],\"chargers\":[{\"id\":\"X\",\"adapter\":\"a\",\"max_charge_kw\":11,\"max_di\u017fcharge_kw\":50}]}",
			[]string{`is not in lower case`}},
		{"duplicate inside settings", `{"adapters":[{"name":"a","kind":"ocpp","settings":{"listen":":1","rate_unit":"W","rate_unit":"A"}}],"chargers":[]}`,
			[]string{`key "rate_unit" appears twice`}},
		{"case variant inside settings", `{"adapters":[{"name":"a","kind":"ocpp","settings":{"listen":":1","Listen":":2"}}],"chargers":[]}`,
			[]string{`key "Listen" is "listen" but for case`}},
		{"second document", `{"adapters":[],"chargers":[]} {"dry_run":true}`, []string{"at byte 30: a second JSON value follows the document"}},
		{"missing max_charge_kw", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"X","adapter":"a"}]}`,
			[]string{`chargers[0] "X": max_charge_kw is required`}},
		// dryrun and inproc read no settings: a "url" there was ignored
		// without a word, as if the adapter sent to it.
		{"dryrun settings", `{"adapters":[{"name":"dr","kind":"dryrun","settings":{"url":"ws://agg:9000/v1"}}],"chargers":[]}`,
			[]string{`adapters[0] "dr" (dryrun): settings.url: this kind takes no settings, and they would be ignored (leave settings out)`}},
		{"inproc settings", `{"adapters":[{"name":"a","kind":"dryrun"},{"name":"sim","kind":"inproc","settings":{"speed":60,"scenario":"demo"}}],"chargers":[]}`,
			[]string{`adapters[1] "sim" (inproc): settings.speed and settings.scenario: this kind takes no settings`}},
		{"dryrun settings not an object", `{"adapters":[{"name":"dr","kind":"dryrun","settings":"ws://agg"}],"chargers":[]}`,
			[]string{`adapters[0] "dr" (dryrun): settings: a string: this kind takes no settings`}},
		{"dryrun empty settings", `{"adapters":[{"name":"dr","kind":"dryrun","settings":{}},{"name":"s","kind":"inproc","settings":null}],"chargers":[]}`, nil},
		{"max_discharge_kw may be left out", `{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"X","adapter":"a","max_charge_kw":0}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := adapters.ParseConfig(strings.NewReader(tt.doc))
			if tt.errs == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range tt.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestGuardOptionsDefaults(t *testing.T) {
	tests := []struct {
		doc         string
		minInterval time.Duration
		batch       time.Duration
		maxValidity time.Duration
	}{
		{`{"adapters":[],"chargers":[]}`, adapters.DefaultMinInterval, adapters.DefaultBatchTimeout, adapters.DefaultMaxValidity},
		{`{"min_interval":"0s","batch_timeout":"2s","max_validity":"30m","adapters":[],"chargers":[]}`, 0, 2 * time.Second, 30 * time.Minute},
	}
	for _, tt := range tests {
		cfg, err := adapters.ParseConfig(strings.NewReader(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		o := cfg.GuardOptions()
		if o.MinInterval != tt.minInterval || o.BatchTimeout != tt.batch || o.MaxValidity != tt.maxValidity {
			t.Errorf("%s: %+v", tt.doc, o)
		}
	}
}

// A refused setting names the file, as every error of LoadConfig does.
func TestLoadConfigNoSettingsNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.json")
	doc := `{"adapters":[{"name":"commission","kind":"dryrun","settings":{"url":"ws://agg:9000/v1"}}],"chargers":[]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := adapters.LoadConfig(path)
	want := path + `: adapters config: adapters[0] "commission" (dryrun): settings.url: this kind takes no settings`
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, adapters.ErrConfig) {
		t.Errorf("error %v, want it to start with %q", err, want)
	}
}
