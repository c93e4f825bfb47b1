package report

import (
	"strings"
	"testing"
)

func BenchmarkParseWuchuan(b *testing.B) {
	data := readExample(b, "wuchuan-2023.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLarge parses a report near the size limit (about 1.9 MB).
func BenchmarkParseLarge(b *testing.B) {
	para := `"` + strings.Repeat("依法行政，", 400) + `"`
	var secs []string
	for i := 0; i < 80; i++ {
		secs = append(secs, `{"heading":"情况","body":[`+strings.TrimSuffix(strings.Repeat(para+",", 4), ",")+`]}`)
	}
	data := []byte(doc("", "["+strings.Join(secs, ",")+"]"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseHostile: inputs of 2 MB crafted to hold as many problems as possible
// must cost about as much as a large valid report, not seconds.
func BenchmarkParseHostile(b *testing.B) {
	for name, in := range hostile() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			data := []byte(in)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				Parse(data)
			}
		})
	}
}
