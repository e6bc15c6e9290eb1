package termshot

import (
	"os"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/chart-rows.ansi")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDraw includes reading and parsing the three font files, which
// every Draw does.
func BenchmarkDraw(b *testing.B) {
	for _, p := range []string{DefaultRegularFont, DefaultBoldFont, DefaultFallbackFont} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("font %s missing", p)
		}
	}
	data, err := os.ReadFile("testdata/chart-rows.ansi")
	if err != nil {
		b.Fatal(err)
	}
	s, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	o := testOpts()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Draw(s, o); err != nil {
			b.Fatal(err)
		}
	}
}
