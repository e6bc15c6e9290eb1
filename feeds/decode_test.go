package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Valid frames of every type, used by several tests.
const (
	helloJSON = `{"v":1,"type":"hello","site":"Demo City","tz":"Asia/Shanghai","ts":"2024-02-04T18:00:00+08:00","mode":"simulation",` +
		`"system":{"import_limit_kw":500},` +
		`"feeders":[{"id":"F1","name":"North","import_limit_kw":300,"export_limit_kw":100},{"id":"F2","import_limit_kw":250}],` +
		`"chargers":[{"id":"CP-1","feeder":"F1","max_charge_kw":11,"max_discharge_kw":10,"adapter":"ocpp"},` +
		`{"id":"CP-2","feeder":"F1","max_charge_kw":7.4},{"id":"CP-3","feeder":"F2","max_charge_kw":22,"max_discharge_kw":0}]}`
	chargerJSON = `{"v":1,"type":"charger","id":"CP-1","ts":"2024-02-04T18:00:05+08:00","state":"charging","kw":7.4,"plugged":true,` +
		`"soc":0.5,"battery_kwh":60,"target_soc":0.8,"departure":"2024-02-05T07:30:00+08:00","setpoint_kw":7.4}`
	feederJSON   = `{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05+08:00","kw":212.5,"limit_kw":280}`
	eventJSON    = `{"v":1,"type":"event","id":"DR-17","kind":"import_cap","scope":"F1","start":"2024-02-04T18:00:00+08:00","end":"2024-02-04T21:00:00+08:00","kw":3600,"source":"aggregator"}`
	ackJSON      = `{"v":1,"type":"ack","id":"sp-1","charger":"CP-1","ts":"2024-02-04T18:00:06+08:00","status":"clamped","applied_kw":-7,"reason":"limit"}`
	batchJSON    = `{"v":1,"type":"batch","frames":[` + feederJSON + `,` + chargerJSON + `]}`
	subJSON      = `{"v":1,"type":"subscribe","feeders":["F1","F2"]}`
	setpointJSON = `{"v":1,"type":"setpoint","id":"sp-1","charger":"CP-1","kw":-7,"valid_until":"2024-02-04T18:15:00+08:00","event":"DR-17","reason":"cap"}`
)

// with replaces the value of one field in a valid frame (or removes it when
// val is ""), so each case states only what it breaks.
func with(frame, field, val string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(frame), &m); err != nil {
		panic(err)
	}
	if val == "" {
		delete(m, field)
	} else {
		m[field] = json.RawMessage(val)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestDecodeValid(t *testing.T) {
	f, err := Decode([]byte(chargerJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := f.(*ChargerFrame)
	dep := time.Date(2024, 2, 4, 23, 30, 0, 0, time.UTC)
	if c.ID != "CP-1" || c.State != StateCharging || c.KW != 7.4 || !c.Plugged || *c.SoC != 0.5 ||
		*c.BatteryKWh != 60 || *c.TargetSoC != 0.8 || !c.Departure.Equal(dep) || *c.SetpointKW != 7.4 ||
		!c.TS.Equal(time.Date(2024, 2, 4, 10, 0, 5, 0, time.UTC)) || c.V != 1 || c.Type != TypeCharger {
		t.Fatalf("charger decoded wrong: %+v", c)
	}
	for _, tc := range []struct {
		raw  string
		want FrameType
	}{
		{helloJSON, TypeHello}, {feederJSON, TypeFeeder}, {eventJSON, TypeEvent}, {ackJSON, TypeAck},
		{batchJSON, TypeBatch}, {subJSON, TypeSubscribe}, {setpointJSON, TypeSetpoint},
		// null is absent for optional fields; unknown fields are ignored
		{with(chargerJSON, "soc", "null"), TypeCharger},
		{with(chargerJSON, "extra", `{"nested":[1,2,{"x":"\u00e9"}]}`), TypeCharger},
		{with(feederJSON, "limit_kw", ""), TypeFeeder},
		{with(ackJSON, "ts", ""), TypeAck},
		{`{"type":"subscribe","v":1}`, TypeSubscribe},
		{with(chargerJSON, "v", "1.0"), TypeCharger},
	} {
		f, err := Decode([]byte(tc.raw))
		if err != nil {
			t.Errorf("Decode(%s): %v", tc.raw, err)
			continue
		}
		if f.FrameType() != tc.want {
			t.Errorf("Decode(%s) = %s, want %s", tc.raw, f.FrameType(), tc.want)
		}
	}
	h, _ := Decode([]byte(helloJSON))
	hl := h.(*Hello)
	if hl.Site != "Demo City" || hl.TimeZone != "Asia/Shanghai" || hl.System.ImportLimitKW != 500 || len(hl.Feeders) != 2 ||
		*hl.Feeders[0].ExportLimitKW != 100 || hl.Feeders[1].ExportLimitKW != nil || len(hl.Chargers) != 3 ||
		!hl.Chargers[0].Bidirectional() || hl.Chargers[1].Bidirectional() || hl.Chargers[0].Adapter != "ocpp" {
		t.Fatalf("hello decoded wrong: %+v", hl)
	}
	e, _ := Decode([]byte(eventJSON))
	if ev := e.(*EventFrame); ev.Kind != EventImportCap || ev.KW != 3600 || ev.Scope != "F1" || ev.End.Sub(ev.Start) != 3*time.Hour {
		t.Fatalf("event decoded wrong: %+v", ev)
	}
	b, _ := Decode([]byte(batchJSON))
	if bt := b.(*Batch); len(bt.Frames) != 2 || string(bt.Frames[0]) != feederJSON {
		t.Fatalf("batch decoded wrong: %+v", bt)
	}
}

// decodeRejectCase is a frame Decode must reject.
type decodeRejectCase struct {
	name   string
	raw    string
	reason RejectReason
	detail string // a substring the message must contain
}

func decodeRejectCases() []decodeRejectCase {
	big := `{"v":1,"type":"feeder","pad":"` + strings.Repeat("x", MaxFrameBytes) + `"}`
	return []decodeRejectCase{
		{"too large", big, RejectTooLarge, "exceeds"},
		{"not json", `{"v":1,`, RejectBadJSON, "frame"},
		{"array", `[1,2]`, RejectBadJSON, "not a JSON object"},
		{"null", `null`, RejectBadJSON, "not a JSON object"},
		{"empty", ``, RejectBadJSON, "frame"},
		{"trailing", chargerJSON + `x`, RejectBadJSON, "frame"},
		{"control char", `{"v":1,"type":"feeder","id":"F` + "\x01" + `"}`, RejectBadJSON, "frame"},
		{"kw string", with(chargerJSON, "kw", `"7"`), RejectBadJSON, "kw: want a number"},
		{"plugged number", with(chargerJSON, "plugged", `1`), RejectBadJSON, "plugged"},
		{"id number", with(chargerJSON, "id", `5`), RejectBadJSON, "id: want a string"},
		{"feeders object", with(helloJSON, "feeders", `{}`), RejectBadJSON, "feeders: want an array"},
		{"feeder element", with(helloJSON, "feeders", `[1]`), RejectBadJSON, "feeders[0]"},
		{"batch frames string", `{"v":1,"type":"batch","frames":"x"}`, RejectBadJSON, "frames"},
		{"no v", with(chargerJSON, "v", ""), RejectVersion, "v missing"},
		{"v 2", with(chargerJSON, "v", "2"), RejectVersion, "v 2 not supported"},
		{"v string", with(chargerJSON, "v", `"1"`), RejectVersion, "want the number"},
		{"no type", with(chargerJSON, "type", ""), RejectUnknownType, "type missing"},
		{"type other", with(chargerJSON, "type", `"meter"`), RejectUnknownType, `"meter"`},
		{"type number", with(chargerJSON, "type", `3`), RejectUnknownType, "want a string"},
		{"no id", with(chargerJSON, "id", ""), RejectMissingField, "charger: id missing"},
		{"empty id", with(chargerJSON, "id", `""`), RejectMissingField, "id empty"},
		{"no kw", with(chargerJSON, "kw", ""), RejectMissingField, `charger "CP-1": kw missing`},
		{"no state", with(chargerJSON, "state", ""), RejectMissingField, "state missing"},
		{"no plugged", with(chargerJSON, "plugged", ""), RejectMissingField, "plugged missing"},
		{"feeder no kw", with(feederJSON, "kw", ""), RejectMissingField, "kw missing"},
		{"hello no site", with(helloJSON, "site", ""), RejectMissingField, "site missing"},
		{"hello no feeders", with(helloJSON, "feeders", ""), RejectMissingField, "feeders missing"},
		{"hello charger no feeder", with(helloJSON, "chargers", `[{"id":"C","max_charge_kw":1}]`), RejectMissingField, `chargers[0] "C": feeder missing`},
		{"system no limit", with(helloJSON, "system", `{}`), RejectMissingField, "import_limit_kw missing"},
		{"price no price", with(with(eventJSON, "kind", `"price"`), "price", ""), RejectMissingField, "price missing"},
		{"ack no status", with(ackJSON, "status", ""), RejectMissingField, "status missing"},
		{"batch no frames", `{"v":1,"type":"batch"}`, RejectMissingField, "frames missing"},
		{"setpoint no charger", with(setpointJSON, "charger", ""), RejectMissingField, "charger missing"},
		{"subscribe empty feeder", with(subJSON, "feeders", `[""]`), RejectMissingField, "feeders[0] empty"},
		{"soc high", with(chargerJSON, "soc", "1.4"), RejectOutOfRange, `charger "CP-1": soc 1.4 not in 0..1`},
		{"soc negative", with(chargerJSON, "soc", "-0.1"), RejectOutOfRange, "soc"},
		{"target high", with(chargerJSON, "target_soc", "2"), RejectOutOfRange, "target_soc"},
		{"battery negative", with(chargerJSON, "battery_kwh", "-1"), RejectOutOfRange, "battery_kwh -1 below 0"},
		{"kw overflow", with(chargerJSON, "kw", "1e400"), RejectOutOfRange, "not a finite"},
		// Finite but no measurement: a broken meter's -1e300 kW read as
		// "--9,223,372,036,854,775,808 kW" in status and the desk.
		{"feeder kw beyond a terawatt", with(feederJSON, "kw", "-1e300"), RejectOutOfRange, `feeder "F1": kw -1e+300 is beyond ±1e+09`},
		{"charger kw beyond a terawatt", with(chargerJSON, "kw", "1e20"), RejectOutOfRange, "kw 1e+20 is beyond"},
		{"battery beyond a terawatt hour", with(chargerJSON, "battery_kwh", "2e9"), RejectOutOfRange, "battery_kwh 2e+09 is beyond"},
		{"event kw beyond", with(eventJSON, "kw", "1e300"), RejectOutOfRange, "kw 1e+300 is beyond"},
		{"price beyond", with(with(eventJSON, "kind", `"price"`), "price", "-5e9"), RejectOutOfRange, "price -5e+09 is beyond"},
		{"ack applied beyond", with(ackJSON, "applied_kw", "1e10"), RejectOutOfRange, "applied_kw"},
		{"hello max charge beyond", with(helloJSON, "chargers", `[{"id":"C","feeder":"F1","max_charge_kw":1e10}]`), RejectOutOfRange, "max_charge_kw"},
		{"limit negative", with(feederJSON, "limit_kw", "-5"), RejectOutOfRange, "limit_kw"},
		{"hello feeder limit", with(helloJSON, "feeders", `[{"id":"F1","import_limit_kw":-1}]`), RejectOutOfRange, `feeders[0] "F1": import_limit_kw`},
		{"max discharge negative", with(helloJSON, "chargers", `[{"id":"C","feeder":"F1","max_charge_kw":1,"max_discharge_kw":-3}]`), RejectOutOfRange, "max_discharge_kw"},
		{"max charge negative", with(helloJSON, "chargers", `[{"id":"C","feeder":"F1","max_charge_kw":-1}]`), RejectOutOfRange, "max_charge_kw"},
		{"bad state", with(chargerJSON, "state", `"sleeping"`), RejectBadState, `"sleeping"`},
		{"bad kind", with(eventJSON, "kind", `"curtail"`), RejectBadState, "kind"},
		{"bad status", with(ackJSON, "status", `"ok"`), RejectBadState, "status"},
		{"no ts", with(chargerJSON, "ts", ""), RejectBadTime, "ts missing"},
		{"ts no offset", with(chargerJSON, "ts", `"2024-02-04T18:00:05"`), RejectBadTime, "RFC 3339"},
		{"ts zero", with(chargerJSON, "ts", `"0001-01-01T00:00:00Z"`), RejectBadTime, "2000"},
		{"ts feb 30", with(chargerJSON, "ts", `"2024-02-30T00:00:00Z"`), RejectBadTime, "out of range"},
		{"ts garbage", with(feederJSON, "ts", `"yesterday"`), RejectBadTime, "ts"},
		{"departure bad", with(chargerJSON, "departure", `"soon"`), RejectBadTime, "departure"},
		{"event end before start", with(eventJSON, "end", `"2024-02-04T17:00:00+08:00"`), RejectBadTime, "not after start"},
		// The times as the file wrote them, not converted to UTC: "end
		// 2024-02-04T09:00:00Z" read as a different time from the file's 17:00.
		{"event end before start quotes the file's times", with(eventJSON, "end", `"2024-02-04T17:00:00+08:00"`), RejectBadTime, "end 2024-02-04T17:00:00+08:00 is not after start 2024-02-04T18:00:00+08:00"},
		{"hello no ts", with(helloJSON, "ts", ""), RejectBadTime, "ts missing"},
		{"setpoint no valid_until", with(setpointJSON, "valid_until", ""), RejectBadTime, "valid_until"},
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, tc := range decodeRejectCases() {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Decode([]byte(tc.raw))
			if err == nil {
				t.Fatalf("Decode accepted %T %+v", f, f)
			}
			var re *RejectError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RejectError", err)
			}
			if re.Reason != tc.reason {
				t.Errorf("reason = %s, want %s (%v)", re.Reason, tc.reason, err)
			}
			if !strings.Contains(re.Detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", re.Detail, tc.detail)
			}
		})
	}
}

func TestParseRFC3339MatchesTime(t *testing.T) {
	for _, s := range []string{
		"2024-02-04T18:00:00Z", "2024-02-04T18:00:00+08:00", "2024-02-04T18:00:00.5-03:30",
		"2024-02-29T23:59:59.123456789+00:00", "2023-12-31T23:59:59.1Z", "2100-01-01T00:00:00+23:59",
	} {
		want, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("time.Parse(%s): %v", s, err)
		}
		got, err := parseRFC3339([]byte(s))
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseRFC3339(%s) = %v, %v; want %v in UTC", s, got, err, want)
		}
	}
	for _, s := range []string{
		"2024-02-04 18:00:00Z", "2024-02-04t18:00:00Z", "2024-02-04T18:00:00z", "2024-02-04T18:00:00.Z",
		"2024-02-04T24:00:00Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-02-04T18:00:00+0800",
		"2024-02-04T18:00:00+24:00", "2024-02-04T18:00:60Z", "1999-12-31T23:59:59Z", "2024-02-04T18:00:00.1234567890Z",
		"+024-02-04T18:00:00Z", "2024-02-04T18:00:00",
	} {
		if got, err := parseRFC3339([]byte(s)); err == nil {
			t.Errorf("parseRFC3339(%s) = %v, want an error", s, got)
		}
	}
}

func TestParseNumberMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "7.4", "-7.4", "0.1", "123456789012345", "1234567890123456789",
		"0.000000000000000000000001", "1e3", "1E-7", "-2.5e+2", "3.141592653589793", "0.30000000000000004", "1e400", "99.99"} {
		want, _ := parseFloatStd(s)
		got := parseNumber([]byte(s))
		if got != want && !(math.IsInf(got, 1) && math.IsInf(want, 1)) {
			t.Errorf("parseNumber(%s) = %v, want %v", s, got, want)
		}
		if math.Signbit(got) != math.Signbit(want) {
			t.Errorf("parseNumber(%s) sign differs", s)
		}
	}
}

func parseFloatStd(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// decodeBoth runs both splitters and fails the test if they disagree. It
// returns the result when the fast path did not decline.
func decodeBoth(t testing.TB, raw []byte) {
	fast, ferr := decodeWith(raw, splitter{fast: true})
	if ferr == errFallback {
		return
	}
	slow, serr := decodeWith(raw, splitter{})
	fr, _ := ReasonOf(ferr)
	sr, _ := ReasonOf(serr)
	if (ferr == nil) != (serr == nil) || fr != sr {
		t.Fatalf("paths disagree on %q:\nfast: %v\nslow: %v", raw, ferr, serr)
	}
	if ferr == nil && !reflect.DeepEqual(fast, slow) {
		t.Fatalf("paths decode %q differently:\nfast: %+v\nslow: %+v", raw, fast, slow)
	}
	if ferr != nil && ferr.Error() != serr.Error() && fr != RejectBadJSON {
		// The messages may differ only for JSON syntax, where each parser words its own.
		t.Fatalf("paths word %q differently:\nfast: %v\nslow: %v", raw, ferr, serr)
	}
}

func TestFastAndSlowPathsAgree(t *testing.T) {
	for _, raw := range seedCorpus() {
		decodeBoth(t, raw)
	}
}

// seedCorpus is the valid frames plus damaged variants of them.
func seedCorpus() [][]byte {
	valid := []string{helloJSON, chargerJSON, feederJSON, eventJSON, ackJSON, batchJSON, subJSON, setpointJSON}
	var out [][]byte
	for _, v := range valid {
		out = append(out, []byte(v))
		// every prefix, and every single-byte deletion of the short ones
		for i := 0; i < len(v); i += 7 {
			out = append(out, []byte(v[:i]))
		}
		if len(v) < 400 {
			for i := 0; i < len(v); i += 3 {
				out = append(out, []byte(v[:i]+v[i+1:]))
			}
		}
		out = append(out, bytes.ReplaceAll([]byte(v), []byte(`"id"`), []byte(`"\u0069d"`)))
		out = append(out, bytes.ReplaceAll([]byte(v), []byte(`:`), []byte(" : ")))
		out = append(out, []byte(strings.Replace(v, `"v":1`, `"v":1,"v":2`, 1)))
		out = append(out, []byte(strings.Replace(v, `"v":1`, `"v":2,"v":1`, 1)))
	}
	out = append(out,
		[]byte(`{"v":1,"type":"feeder","id":"F\u00e9","ts":"2024-02-04T18:00:05Z","kw":1}`),
		[]byte("{\"v\":1,\"type\":\"feeder\",\"id\":\"F\xff\",\"ts\":\"2024-02-04T18:00:05Z\",\"kw\":1}"),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":1,"x":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`}`),
		[]byte(`{"v":1,"type":"charger","id":"C","ts":"2024-02-04T18:00:05Z","state":"ch\u0061rging","kw":-0,"plugged":false}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":01}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":1.}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":-}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":tru}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":1,}`),
		[]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05Z","kw":"\q"}`),
		[]byte(` {"v":1,"type":"subscribe"} `),
		[]byte(`{"v":1e0,"type":"subscribe"}`),
		[]byte(`"str"`), []byte(`12`), []byte(`{}`), []byte(`{"v":1}`),
	)
	return out
}

// FuzzDecode checks that Decode never panics, that both paths agree, and
// that an accepted frame re-encodes to JSON that decodes to the same frame.
func FuzzDecode(f *testing.F) {
	for _, raw := range seedCorpus() {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		decodeBoth(t, raw)
		fr, err := Decode(raw)
		if err != nil {
			if _, ok := ReasonOf(err); !ok {
				t.Fatalf("error %v is not a RejectError", err)
			}
			return
		}
		if err := Validate(fr); err != nil {
			t.Fatalf("Decode accepted %q but Validate rejects it: %v", raw, err)
		}
		enc, err := Encode(fr)
		if err != nil {
			t.Fatalf("Encode(%+v): %v", fr, err)
		}
		fr2, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-decode of %s (from %q): %v", enc, raw, err)
		}
		enc2, _ := Encode(fr2)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip differs:\n%s\n%s", enc, enc2)
		}
	})
}
