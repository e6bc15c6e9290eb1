package feeds

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// benchHello declares n chargers (half bidirectional) on n/500 feeders.
func benchHello(n int) *Hello { return benchHelloFeeders(n, max(1, n/500)) }

// benchHelloFeeders declares n chargers (half bidirectional) on nf feeders.
func benchHelloFeeders(n, nf int) *Hello {
	h := &Hello{Header: NewHeader(TypeHello), Site: "bench", TS: t0}
	for i := range nf {
		h.Feeders = append(h.Feeders, FeederInfo{ID: fmt.Sprintf("F%03d", i), ImportLimitKW: 4000})
	}
	for i := range n {
		h.Chargers = append(h.Chargers, ChargerInfo{ID: fmt.Sprintf("CP-%06d", i), Feeder: h.Feeders[i%nf].ID,
			MaxChargeKW: 11, MaxDischargeKW: float64(i%2) * 10})
	}
	return h
}

// benchChargerFrame is a full charger frame as a feed sends it.
func benchChargerFrame(i int, ts time.Time) []byte {
	return []byte(fmt.Sprintf(`{"v":1,"type":"charger","id":"CP-%06d","ts":%q,"state":"charging","kw":7.4,"plugged":true,`+
		`"soc":0.%02d,"battery_kwh":60,"target_soc":0.8,"departure":%q,"setpoint_kw":7.4}`,
		i, ts.Format(time.RFC3339Nano), 10+i%80, ts.Add(time.Duration(i%12)*time.Hour).Format(time.RFC3339)))
}

// BenchmarkDecodeApplyCharger is the ingest hot path: decode, validate and
// apply one charger frame to a 10,000-charger fleet. Run with -cpu 1.
func BenchmarkDecodeApplyCharger(b *testing.B) {
	const n = 10000
	fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
	if err := fl.Apply(benchHello(n)); err != nil {
		b.Fatal(err)
	}
	frames := make([][]byte, 4096)
	var bytes int
	for i := range frames {
		frames[i] = benchChargerFrame(i*7%n, t0)
		bytes += len(frames[i])
	}
	b.SetBytes(int64(bytes / len(frames)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fl.HandleFrame(frames[i%len(frames)])
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
	// Frames per second of CPU time the process got (GC included): what one
	// core does when the machine is busy with other work.
	b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "frames/cpu-s")
	if st := fl.Snapshot().Stats; st.Frames != uint64(b.N)+1 { // +1: the hello
		b.Fatalf("accepted %d of %d", st.Frames, b.N)
	}
}

// BenchmarkDecodeCharger is Decode alone, fast path and encoding/json path.
func BenchmarkDecodeCharger(b *testing.B) {
	raw := benchChargerFrame(42, t0)
	for _, sp := range []splitter{{fast: true}, {}} {
		b.Run(fmt.Sprintf("fast=%v", sp.fast), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := decodeWith(raw, sp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFleet returns a fleet of n chargers on n/500 feeders, each charger
// and feeder having sent one frame.
func benchFleet(b *testing.B, n int) *Fleet { return benchFleetFeeders(b, n, max(1, n/500)) }

func benchFleetFeeders(b *testing.B, n, nf int) *Fleet {
	fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
	if err := fl.Apply(benchHelloFeeders(n, nf)); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		fl.HandleFrame(benchChargerFrame(i, t0))
	}
	for i := range nf {
		fl.HandleFrame([]byte(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F%03d","ts":%q,"kw":3000}`, i, t0.Format(time.RFC3339))))
	}
	return fl
}

// BenchmarkSnapshot100k takes a snapshot of 100,000 chargers on 200
// feeders after a change: before each snapshot (untimed) one charger frame
// and a frame for every feeder arrive, so every feeder's history view is
// rebuilt and the charger totals recomputed, as on a busy live feed.
func BenchmarkSnapshot100k(b *testing.B) {
	const n = 100000
	fl := benchFleet(b, n)
	frame := benchChargerFrame(n/2, t0)
	var feeders [][]byte
	for i := range n / 500 {
		feeders = append(feeders, []byte(fmt.Sprintf(`{"v":1,"type":"feeder","id":"F%03d","ts":%q,"kw":3100}`, i, t0.Format(time.RFC3339))))
	}
	b.ReportAllocs()
	var cpu time.Duration
	var s *Snapshot
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fl.HandleFrame(frame)
		for _, f := range feeders {
			fl.HandleFrame(f)
		}
		c0 := cpuTime()
		b.StartTimer()
		s = fl.Snapshot()
		b.StopTimer()
		cpu += cpuTime() - c0
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/snapshot")
	// CPU time (all threads, GC included) is steadier than wall time on a
	// machine shared with other work.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/snapshot")
	if s.NumChargers() != n || s.V2G.Plugged != n {
		b.Fatalf("snapshot: %d chargers, %d plugged", s.NumChargers(), s.V2G.Plugged)
	}
}

// BenchmarkFleetMemory100k reports the heap a 100,000-charger fleet holds
// (topology, latest values, feeder history rings), per charger: with one
// feeder (the chargers' own cost) and with 200 (one per 500 chargers, each
// with its fixed-size history ring).
func BenchmarkFleetMemory100k(b *testing.B) {
	const n = 100000
	for _, nf := range []int{1, 200} {
		b.Run(fmt.Sprintf("feeders=%d", nf), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				fl := benchFleetFeeders(b, n, nf)
				fl.Snapshot() // publishes the history blocks too
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/charger")
				runtime.KeepAlive(fl)
			}
		})
	}
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIngestWithSnapshots is decode+apply on a 100,000-charger fleet
// with a snapshot every 75,000 frames (300,000 frames/s with a Hub
// publishing 4 times a second), so chunks are shared and copied on write as
// in a live desk, frames spread over all chunks.
func BenchmarkIngestWithSnapshots(b *testing.B) {
	const n, snapEvery = 100000, 75000
	fl := benchFleet(b, n)
	frames := make([][]byte, 8192)
	for i := range frames {
		frames[i] = benchChargerFrame(i*12289%n, t0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fl.HandleFrame(frames[i%len(frames)])
		if i%snapEvery == snapEvery-1 {
			fl.Snapshot()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkHello100k measures a 100,000-charger hello (9 MB, over
// MaxFrameBytes) as a desk takes it: decoded, then applied to a Fleet that
// already holds the same topology (a reconnect, or the hello that answers
// subscribe after the one sent on connecting).
func BenchmarkHello100k(b *testing.B) {
	raw, err := Encode(benchHello(100_000))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if _, err := Decode(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fleet", func(b *testing.B) {
		fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
		fl.HandleFrame(raw)
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			fl.HandleFrame(raw)
		}
		if s := fl.Snapshot(); s.NumChargers() != 100_000 || s.Stats.Frames == 0 {
			b.Fatalf("fleet holds %d chargers", s.NumChargers())
		}
	})
	// The same topology with a later ts each time, as the simulator sends
	// it (the time spliced into the hello built once).
	later := make([][]byte, 2)
	for i := range later {
		h := benchHello(100_000)
		h.TS = t0.Add(time.Duration(i) * time.Second)
		if later[i], err = Encode(h); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("fleet-later-ts", func(b *testing.B) {
		fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
		fl.HandleFrame(later[0])
		b.SetBytes(int64(len(later[0])))
		i := 0
		for b.Loop() {
			i++
			fl.HandleFrame(later[i%2])
		}
		if s := fl.Snapshot(); s.NumChargers() != 100_000 || s.Stats.Resets != 0 {
			b.Fatalf("fleet holds %d chargers, %d resets", s.NumChargers(), s.Stats.Resets)
		}
	})
	// Topologies that differ in one charger's bounds, alternately: every
	// hello is decoded and applied (the cost of recognising a repeat on a
	// hello that is not one).
	changed := make([][]byte, 2)
	for i := range changed {
		h := benchHello(100_000)
		h.Chargers[0].MaxChargeKW = float64(11 + i)
		if changed[i], err = Encode(h); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("fleet-changed", func(b *testing.B) {
		fl := NewFleet(FleetOptions{Clock: func() time.Time { return t0 }})
		fl.HandleFrame(changed[0])
		b.SetBytes(int64(len(changed[0])))
		i := 0
		for b.Loop() {
			i++
			fl.HandleFrame(changed[i%2])
		}
		if s := fl.Snapshot(); s.NumChargers() != 100_000 {
			b.Fatalf("fleet holds %d chargers", s.NumChargers())
		}
	})
}
