package main

// bareTypes are the value names the flag package prints for a flag whose
// usage names none: they say the Go type, not what the flag takes.
var bareTypes = map[string]bool{
	"string": true, "value": true, "duration": true, "int": true, "uint": true,
	"int64": true, "uint64": true, "float": true,
}

// flagPlaceholder is the value name --help prints for flag name where the
// flag package has only its type (typ): `--lang string` read as if any
// string would do, where en and zh-CN are all it takes. A flag with a
// value name of its own (a `FILE` in its usage) keeps it, but for
// --scenario, whose usage quotes `demo`, the first of the two things it
// takes: `--scenario demo` read as if the demo day were all it ran, where
// every usage line says demo|FILE.
func flagPlaceholder(name, typ string) string {
	if name == "scenario" {
		return "demo|FILE"
	}
	if !bareTypes[typ] {
		return typ
	}
	switch name {
	case "lang":
		return "en|zh-CN"
	case "speed":
		return "FACTOR" // data time per wall time
	case "kw":
		return "KW"
	case "reason":
		return "TEXT"
	case "seed":
		return "SEED"
	case "gap", "v2g", "tightness":
		return "FRACTION"
	}
	switch typ {
	case "duration":
		return "DURATION" // as setpoint's --for DURATION, with its unit
	case "int", "uint", "int64", "uint64":
		return "N"
	case "float":
		return "NUMBER"
	}
	return "VALUE"
}
