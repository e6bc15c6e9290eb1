package site_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/site"
)

// writeSiteDay appends a day of a 1,000-charger site re-planned every 15
// minutes to the journal at path: per re-plan a batch of setpoint records
// and a batch of results, as the guard journals them. 192,000 records,
// about 58 MB.
func writeSiteDay(b *testing.B, path string, day time.Time) {
	b.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	const chargers = 1000
	sps := make([]adapters.Record, chargers)
	res := make([]adapters.Record, chargers)
	for slot := range 96 {
		at := day.Add(time.Duration(slot) * 15 * time.Minute)
		until := at.Add(20 * time.Minute)
		for c := range chargers {
			kw := float64(c%110) / 10
			ch := fmt.Sprintf("CP-%04d", c)
			id := fmt.Sprintf("DR-%d@%s.1~mi3k9x2a/%s", slot/8, at.Format("20060102T150405"), ch)
			sps[c] = adapters.Record{TS: at, Kind: adapters.RecSetpoint, Operator: "ana", Event: fmt.Sprintf("DR-%d", slot/8), Reason: "DR re-plan: site limit 4.2 MW",
				Charger: ch, Setpoint: id, Adapter: "ocpp-north", KW: &kw, RequestedKW: &kw, ValidFrom: &at, ValidUntil: &until}
			res[c] = adapters.Record{TS: at, Kind: adapters.RecResult, Operator: "ana", Event: sps[c].Event, Reason: sps[c].Reason,
				Charger: ch, Setpoint: id, Adapter: "ocpp-north", Status: adapters.StatusAccepted, AppliedKW: &kw}
		}
		if err := j.Append(sps...); err != nil {
			b.Fatal(err)
		}
		if err := j.Append(res...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenSiteDayJournal measures a site opening (journal read, guard
// made, as `v2gdesk setpoint` and a desk with --adapters start) on the
// journal of one day of a 1,000-charger site, a day later by the guard's
// clock. heap-MB is the live heap once open: what the process keeps.
func BenchmarkOpenSiteDayJournal(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	day := time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC)
	writeSiteDay(b, path, day)
	doc := `{"adapters":[{"name":"dry","kind":"dryrun"}],"chargers":[{"id":"CP-0001","feeder":"F1","adapter":"dry","max_charge_kw":11}]}`
	cfg, err := adapters.ParseConfig(strings.NewReader(doc))
	if err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return day.Add(48 * time.Hour) }
	var heap float64
	b.ReportAllocs()
	for b.Loop() {
		s, err := site.Open(context.Background(), cfg, site.Deps{Journal: path, BaseDir: dir, Logger: quiet, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = float64(ms.HeapAlloc) / 1e6
		s.Close()
	}
	b.ReportMetric(heap, "heap-MB")
}

// BenchmarkConfirmationLookupSiteDay measures `dispatch --yes`'s look for
// an event's confirmation (cmd/v2gdesk confirmedIn) in a day of the site
// above: "ReadJournal" decodes every line, as it did; "ReadJournalKind"
// only those holding "dispatch_confirm" (none here but the one looked for).
func BenchmarkConfirmationLookupSiteDay(b *testing.B) {
	path := filepath.Join(b.TempDir(), "audit.jsonl")
	day := time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC)
	writeSiteDay(b, path, day)
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := j.Append(adapters.Record{Kind: adapters.RecDispatchConfirm, Event: "DR-9", Operator: "ana"}); err != nil {
		b.Fatal(err)
	}
	j.Close()
	check := func(b *testing.B, found int) {
		if found != 1 {
			b.Fatalf("found %d confirmations of DR-9; want 1", found)
		}
	}
	b.Run("ReadJournal", func(b *testing.B) {
		for b.Loop() {
			found := 0
			if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
				if r.Kind == adapters.RecDispatchConfirm && r.Event == "DR-9" {
					found++
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			check(b, found)
		}
	})
	b.Run("ReadJournalKind", func(b *testing.B) {
		for b.Loop() {
			found := 0
			if err := adapters.ReadJournalKind(path, adapters.RecDispatchConfirm, func(r adapters.Record) error {
				if r.Event == "DR-9" {
					found++
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			check(b, found)
		}
	})
}
