package ofd

import (
	"testing"
	"time"

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

// BenchmarkOFDvsPDF alternates the two warm renders of the Wuchuan example in every
// iteration, so that both see the same load on a shared machine, and reports each one's
// time and their ratio (ofd/pdf; the target is at most 1).
func BenchmarkOFDvsPDF(b *testing.B) {
	doc := docFromJSON(b, exampleJSON(b, "wuchuan-2023.json"))
	set := defaultFonts(b)
	var tp, to time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := pdf.Render(doc, set); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Render(doc, set); err != nil {
			b.Fatal(err)
		}
		tp += t1.Sub(t0)
		to += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tp.Microseconds())/1000/n, "pdf-ms/op")
	b.ReportMetric(float64(to.Microseconds())/1000/n, "ofd-ms/op")
	b.ReportMetric(float64(to)/float64(tp), "ofd/pdf")
}
