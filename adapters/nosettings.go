package adapters

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds/jsonwhere"
)

// takesNoSettings reports whether an adapter of kind k has nothing to set:
// a dry run sends nowhere, and the in-process simulator is the scenario's.
func takesNoSettings(k Kind) bool { return k == KindDryRun || k == KindInproc }

// noSettings refuses settings given to an adapter whose kind reads none:
// ignored, a "url" or "listen" written there would look as if it were in
// force. Absent, null and {} are fine. The error names each field.
func noSettings(raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("settings: %s: this kind takes no settings (leave settings out)", jsonwhere.Kind(raw))
	}
	if len(fields) == 0 {
		return nil
	}
	keys, err := objectKeys(raw)
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	for i, k := range keys {
		keys[i] = "settings." + k
	}
	return fmt.Errorf("%s: this kind takes no settings, and they would be ignored (leave settings out)", joinFields(keys))
}

// objectKeys returns the keys of the JSON object raw in the order written.
func objectKeys(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, fmt.Sprint(t))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// joinFields joins field names as "a", "a and b" or "a, b and c".
func joinFields(f []string) string {
	switch len(f) {
	case 1:
		return f[0]
	case 2:
		return f[0] + " and " + f[1]
	}
	out := ""
	for i, s := range f[:len(f)-1] {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out + " and " + f[len(f)-1]
}
