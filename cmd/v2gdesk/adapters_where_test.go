package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An --adapters file (and a Modbus register map) with a value that does not
// decode is refused by the error naming the field as the file reads. A
// duration that did not parse named no field ("duration \"10 seconds\":
// ..."), a kind's settings gave Go's names ("Go struct field
// ChargerSettings.connector of type int"), and an unknown field no charger.
func TestAdaptersFileErrorsNameTheField(t *testing.T) {
	mapFile, err := os.ReadFile(filepath.Join("..", "..", "adapters", "modbus", "maps", "dc-bidirectional-30kw.json"))
	if err != nil {
		t.Fatal(err)
	}
	badMap := strings.Replace(string(mapFile), `"scale": 0.01`, `"scale": "0.01"`, 1)
	if badMap == string(mapFile) {
		t.Fatal("the shipped map has no setpoint scale of 0.01 to spoil")
	}
	const charger = `{"id":"CP01","feeder":"F01","adapter":"a","max_charge_kw":22`
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"top-level duration",
			`{"journal":"j.jsonl","min_interval":"10 seconds","adapters":[{"name":"a","kind":"dryrun"}],"chargers":[` + charger + `}]}`,
			`adapters config: at byte 36: min_interval: duration "10 seconds": time: unknown unit " seconds"`},
		{"duration as a number",
			`{"journal":"j.jsonl","batch_timeout":5,"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[` + charger + `}]}`,
			`adapters config: at byte 37: batch_timeout: 5: a duration must be a string like "15m"`},
		{"unknown field in a charger",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"dryrun"}],"chargers":[` + charger + `,"max_charge_kW2":3}]}`,
			`adapters config: at byte 136: chargers[0]: unknown field "max_charge_kW2"`},
		{"OCPP heartbeat",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"ocpp","settings":{"listen":"127.0.0.1:0","heartbeat_interval":"1 minute"}}],"chargers":[` + charger + `}]}`,
			`adapter "a" (ocpp): settings.heartbeat_interval: duration "1 minute": time: unknown unit " minute"`},
		{"OCPP connector",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"ocpp","settings":{"listen":"127.0.0.1:0"}}],"chargers":[` + charger + `,"settings":{"connector":"1"}}]}`,
			`charger "CP01": settings.connector: a string, want a number`},
		{"Modbus timeout",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"modbus","settings":{"map":"map.json","timeout":2}}],"chargers":[` + charger + `,"settings":{"url":"tcp://127.0.0.1:1"}}]}`,
			`adapter "a" (modbus): settings.timeout: 2: a duration must be a string like "15m"`},
		// "0s" was taken for absent: 2 s per request, without a word.
		{"Modbus timeout of zero",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"modbus","settings":{"map":"map.json","timeout":"0s"}}],"chargers":[` + charger + `,"settings":{"url":"tcp://127.0.0.1:1"}}]}`,
			`adapter "a" (modbus): modbus settings: timeout "0s": want a positive duration (leave it out for the default 2s)`},
		{"Modbus register map",
			`{"journal":"j.jsonl","adapters":[{"name":"a","kind":"modbus","settings":{"map":"bad-map.json"}}],"chargers":[` + charger + `,"settings":{"url":"tcp://127.0.0.1:1"}}]}`,
			`charger "CP01": register map bad-map.json: at byte 292: setpoint.scale: a string, want a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range map[string]string{"adapters.json": tc.doc, "map.json": string(mapFile), "bad-map.json": badMap} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			code, _, errs := runCmd("setpoint", "--adapters", "adapters.json", "--charger", "CP01", "--kw", "1", "--for", "5m", "--wait-connect", "1ms")
			if code != 1 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errs, tc.want)
			}
			// A file refused at start-up leaves nothing behind: the journal
			// it named was created empty before the settings were read.
			if _, err := os.Stat(filepath.Join(dir, "j.jsonl")); err == nil {
				t.Error("the refused file left a new, empty journal behind")
			}
		})
	}
}
