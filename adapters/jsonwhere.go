package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds/jsonwhere"
)

// decodeError words an error of decoding a --adapters file for the person
// editing it: where in the file, which element (chargers[3].max_charge_kw,
// not Go's ChargerConfig.chargers.max_charge_kw, which names no charger) and
// what was there. encoding/json says "EOF" for an empty file and
// "unexpected EOF" for one cut short, naming neither.
func decodeError(b []byte, err error) error {
	if at, ok := locateDuration(b, err); ok {
		return fmt.Errorf("at byte %d: %s", at.Start, at)
	}
	return jsonwhere.Explain(b, err)
}

// locate is jsonwhere.Locate, and places a duration that does not parse
// too: by its bytes, as the decoder gives a field's UnmarshalJSON no
// offset.
func locate(b []byte, err error) (jsonwhere.Location, bool) {
	if at, ok := locateDuration(b, err); ok {
		return at, true
	}
	return jsonwhere.Locate(b, err)
}

// locateDuration places a *DurationError of decoding b.
func locateDuration(b []byte, err error) (jsonwhere.Location, bool) {
	var dur *DurationError
	if !errors.As(err, &dur) {
		return jsonwhere.Location{}, false
	}
	path, start, ok := jsonwhere.Find(b, func(s []byte, isKey bool) bool { return !isKey && bytes.Equal(s, dur.Raw) })
	return jsonwhere.Location{Path: path, Start: start, What: dur.Error()}, ok
}

// DecodeDocument decodes the JSON document b (a file of its own, such as a
// Modbus register map) into v, refusing unknown fields, with errors that
// say where in b as decodeError does (at byte 40: setpoint.scale: a
// string, want a number).
func DecodeDocument(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(b, err)
	}
	return nil
}

// DecodeSettings decodes a kind's settings (an adapter's or a charger's)
// into v, refusing unknown fields. Its errors name the field as the file
// reads (settings.connector: a string, want a number), where Go's would
// say "Go struct field ChargerSettings.connector of type int" or, for a
// duration, name no field at all. Absent or empty settings leave v as it is.
func DecodeSettings(raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	// The offsets are within the settings object, not the file: the
	// caller names the adapter or charger, this the field.
	if at, ok := locate(raw, err); ok {
		at.Path = jsonwhere.Join("settings", at.Path)
		return errors.New(at.String())
	}
	return fmt.Errorf("settings: %w", err)
}
