package sim

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// floatNum is how the simulator wrote numbers before appendNum wrote them
// from the rounded integer: the bytes its peers read.
func floatNum(x float64, decimals int) string {
	p := math.Pow10(decimals)
	x = math.Round(x*p) / p
	if x == 0 {
		x = 0
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// TestAppendNumAsFloat: appendNum writes every number as the float
// formatting did, byte for byte: kW, kWh and shares of charge at the places
// the frames use, at every magnitude from 1e-6 to beyond fastNumLimit,
// halves, negatives, zeros and what is not finite.
func TestAppendNumAsFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cases := []float64{0, math.Copysign(0, -1), -0.0004, 0.0004, 0.0005, -0.0005, 0.00049999, 1, -1, 7.4, 11.0451, 0.12345, 0.99995,
		123456789.0125, 1e9, -1e9, 99999999999.9995, 1e11, 1e12, 1e15, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN(),
		math.MaxFloat64, math.SmallestNonzeroFloat64, 2.5e-4, 0.1 + 0.2}
	for range 200_000 {
		mag := math.Pow10(rng.IntN(19) - 6)
		x := (rng.Float64()*2 - 1) * mag
		cases = append(cases, x, math.Round(x*1000)/1000+0.0005)
	}
	for _, d := range []int{3, 4} {
		for _, x := range cases {
			got := string(appendNum([]byte("x:"), x, d))
			if want := "x:" + floatNum(x, d); got != want {
				t.Fatalf("appendNum(%v, %d) = %q, want %q", x, d, got, want)
			}
		}
	}
}

// TestBatchesOwnTheirBytes: the batcher reuses one buffer to build each
// batch, so every batch it hands out must be a copy: frames over several
// batches keep their own bytes after the next batch is built.
func TestBatchesOwnTheirBytes(t *testing.T) {
	var b batcher
	frame := bytes.Repeat([]byte("a"), maxBatchBytes/3)
	for i := range 7 {
		frame[0] = byte('0' + i)
		b.add(frame)
	}
	b.close()
	if len(b.out) != 4 {
		t.Fatalf("%d batches, want 4 of two frames (the last of one)", len(b.out))
	}
	for k, batch := range b.out {
		if len(batch) > maxBatchBytes || cap(batch) != len(batch) {
			t.Errorf("batch %d: %d bytes of %d capacity, want at most %d, exact", k, len(batch), cap(batch), maxBatchBytes)
		}
		head := len(`{"v":1,"type":"batch","frames":[`)
		if got, want := batch[head], byte('0'+2*k); got != want {
			t.Errorf("batch %d starts with frame %c, want %c: overwritten by a later batch", k, got, want)
		}
	}
}
