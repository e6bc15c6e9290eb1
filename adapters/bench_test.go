package adapters_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// BenchmarkJournalAppend measures one record written and fsynced.
func BenchmarkJournalAppend(b *testing.B) {
	j, _, err := adapters.OpenJournal(filepath.Join(b.TempDir(), "j.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	kw := 7.4
	b.ReportAllocs()
	for b.Loop() {
		if err := j.Append(adapters.Record{Kind: adapters.RecSetpoint, Setpoint: "sp", Charger: "CP01", KW: &kw, Operator: "op", Reason: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuardBatch500 measures a batch of 500 setpoints through the guard
// to an adapter that answers at once: checks, two journal appends (fsynced),
// queueing and results.
func BenchmarkGuardBatch500(b *testing.B) {
	j, _, err := adapters.OpenJournal(filepath.Join(b.TempDir(), "j.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	g := adapters.NewGuard(j, adapters.GuardOptions{})
	defer g.Close()
	if err := g.AddAdapter("a", &fakeAdapter{}, 4, 1024); err != nil {
		b.Fatal(err)
	}
	const n = 500
	for i := range n {
		g.SetCharger(adapters.ChargerConfig{ID: fmt.Sprintf("C%03d", i), Adapter: "a", MaxChargeKW: 11, MaxDischargeKW: 11})
	}
	until := time.Now().Add(time.Hour)
	batch := make([]adapters.Setpoint, n)
	b.ReportAllocs()
	round := 0
	for b.Loop() {
		round++
		for i := range batch {
			batch[i] = adapters.Setpoint{ID: fmt.Sprintf("r%d-%d", round, i), Charger: fmt.Sprintf("C%03d", i), KW: float64(i%20) - 8, ValidUntil: until}
		}
		for _, r := range g.ApplyBatch(context.Background(), batch) {
			if !r.Status.Applied() {
				b.Fatalf("%+v", r)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "setpoints/s")
}

// BenchmarkScanJournal measures reading a journal of 10 000 records.
func BenchmarkScanJournal(b *testing.B) {
	data := tenThousandResults()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := adapters.ScanJournal(bytes.NewReader(data), func(adapters.Record) error { return nil })
		if err != nil || rep.Records != 10000 {
			b.Fatal(rep, err)
		}
	}
}

// BenchmarkScanJournalJSONOnly is BenchmarkScanJournal with every line
// decoded by json.Unmarshal, as before the fast path: the two alternated in
// one binary compare the decoders under the same load.
func BenchmarkScanJournalJSONOnly(b *testing.B) {
	data := tenThousandResults()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := adapters.ScanJournalJSONOnly(bytes.NewReader(data), func(adapters.Record) error { return nil })
		if err != nil || rep.Records != 10000 {
			b.Fatal(rep, err)
		}
	}
}

// tenThousandResults is a journal of 10 000 result records.
func tenThousandResults() []byte {
	var buf bytes.Buffer
	for i := range 10000 {
		fmt.Fprintf(&buf, `{"seq":%d,"ts":"2026-11-26T06:00:00Z","kind":"result","operator":"op","charger":"CP01","setpoint":"sp-%d","status":"accepted","applied_kw":7.4}`+"\n", i+1, i)
	}
	return buf.Bytes()
}
