package ofd

import (
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/pdf"
	"gongwen/internal/typeset"
)

// The OFD target: a warm render no slower than the PDF render of the same report. The
// two are benchmarked side by side so that they are compared under the same load:
// go test -run '^$' -bench . -count 5 ./internal/ofd

func BenchmarkRenderPDF(b *testing.B) {
	doc := docFromJSON(b, exampleJSON(b, "wuchuan-2023.json"))
	set := defaultFonts(b)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		res, err := pdf.Render(doc, set)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Bytes)
	}
	b.ReportMetric(float64(n), "bytes")
}

func BenchmarkRenderOFD(b *testing.B) {
	doc := docFromJSON(b, exampleJSON(b, "wuchuan-2023.json"))
	set := defaultFonts(b)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		out, err := Render(doc, set)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes")
}

// The writers alone, from one layout (what internal/render does when both are asked).
func BenchmarkWritePDF(b *testing.B) {
	doc, lay := benchLayout(b)
	set := defaultFonts(b)
	for b.Loop() {
		if _, err := pdf.Write(doc, lay, set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteOFD(b *testing.B) {
	doc, lay := benchLayout(b)
	set := defaultFonts(b)
	for b.Loop() {
		if _, err := Write(lay, InfoOf(doc), set); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLayout(b *testing.B) (*compose.Document, *typeset.Layout) {
	doc := docFromJSON(b, exampleJSON(b, "wuchuan-2023.json"))
	lay, err := typeset.Typeset(doc, defaultFonts(b))
	if err != nil {
		b.Fatal(err)
	}
	return doc, lay
}
