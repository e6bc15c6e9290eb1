package site_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/site"
)

// Only a wsjson adapter with its own url learns bounds from its peer (the
// peer's hello). OCPP 1.6 says nothing of a charge point's power bounds
// (BootNotification has none) and a Modbus register map is a file of ours,
// not the device's word, so for them, and for the in-process and dry-run
// kinds, the adapters file stays the only source: `v2gdesk setpoint`
// asks none of them and bounds their chargers by the file, as before.
func TestOnlyWSJSONLearnsBoundsFromItsPeer(t *testing.T) {
	mapsDir, err := filepath.Abs(filepath.Join("..", "modbus", "maps"))
	if err != nil {
		t.Fatal(err)
	}
	doc := `{"journal":"audit.jsonl","adapters":[
	  {"name":"sim","kind":"inproc"},
	  {"name":"dry","kind":"dryrun"},
	  {"name":"mb","kind":"modbus","settings":{"map":"` + filepath.Join(mapsDir, "ac-22kw.json") + `"}},
	  {"name":"ocpp","kind":"ocpp","settings":{"listen":"127.0.0.1:0"}},
	  {"name":"ws","kind":"wsjson","settings":{"url":"ws://127.0.0.1:1/v1"}}],
	 "chargers":[
	  {"id":"M1","adapter":"mb","max_charge_kw":22,"settings":{"url":"tcp://127.0.0.1:1"}},
	  {"id":"O1","adapter":"ocpp","max_charge_kw":11}]}`
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := site.Open(context.Background(), config(t, doc), site.Deps{Simulator: sim{}, BaseDir: t.TempDir(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, learns := range map[string]bool{"sim": false, "dry": false, "mb": false, "ocpp": false, "ws": true} {
		a, ok := s.Guard.Adapter(name)
		if !ok {
			t.Fatalf("adapter %q not running", name)
		}
		if _, ok := a.(adapters.PeerBounder); ok != learns {
			t.Errorf("adapter %q: PeerBounder %v, want %v", name, ok, learns)
		}
	}
}
