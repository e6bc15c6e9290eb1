package adapters_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// FuzzScanJournal checks that no journal content panics the reader, and
// that the report accounts for every byte: complete lines end at End, and a
// torn tail starts there and runs to the end.
func FuzzScanJournal(f *testing.F) {
	f.Add([]byte(`{"seq":1,"kind":"login"}` + "\n" + `{"seq":2,"ki`))
	f.Add([]byte("garbage\n\n{}\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		rep, err := adapters.ScanJournal(bytes.NewReader(data), func(adapters.Record) error { n++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if n != rep.Records {
			t.Fatalf("callback %d times, report says %d", n, rep.Records)
		}
		end := rep.End
		if rep.Torn != nil {
			if rep.Torn.Offset != end || end+rep.Torn.Bytes != int64(len(data)) {
				t.Fatalf("torn %+v, end %d, len %d", rep.Torn, end, len(data))
			}
		} else if end != int64(len(data)) {
			t.Fatalf("end %d, len %d, no torn tail", end, len(data))
		}
	})
}

// FuzzParseConfig checks that no --adapters document panics the parser.
func FuzzParseConfig(f *testing.F) {
	f.Add(`{"adapters":[{"name":"a","kind":"dryrun"}],"chargers":[{"id":"c","adapter":"a","max_charge_kw":7,"max_discharge_kw":0}]}`)
	f.Add(`{"min_interval":"-1s"}`)
	f.Fuzz(func(t *testing.T, doc string) {
		cfg, err := adapters.ParseConfig(strings.NewReader(doc))
		if err == nil {
			_ = cfg.GuardOptions()
		}
	})
}
