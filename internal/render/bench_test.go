package render

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkOFDOnTop alternates a warm render of pdf,docx and of pdf,docx,ofd of the
// Wuchuan example in every iteration (the same load for both on a shared machine) and
// reports each one's time and their ratio; the OFD's target is at most 1.3.
func BenchmarkOFDOnTop(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	two, three := []Format{PDF, DOCX}, []Format{PDF, DOCX, OFD}
	if _, err := Render(ctx, in, three); err != nil {
		b.Fatal(err)
	}
	var t2, t3 time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Render(ctx, in, two); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Render(ctx, in, three); err != nil {
			b.Fatal(err)
		}
		t2 += t1.Sub(t0)
		t3 += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(t2.Microseconds())/1000/n, "pdf+docx-ms/op")
	b.ReportMetric(float64(t3.Microseconds())/1000/n, "pdf+docx+ofd-ms/op")
	b.ReportMetric(float64(t3)/float64(t2), "ratio")
}

// BenchmarkRenderWuchuanBoth is a warm pdf,docx render of the Wuchuan example, the
// formats one after the other (the server, the Lambda functions, a batch of files).
func BenchmarkRenderWuchuanBoth(b *testing.B) { benchBoth(b, Options{}) }

// BenchmarkRenderWuchuanConcurrent draws the two formats at the same time (the CLI
// rendering one file on an idle second core).
func BenchmarkRenderWuchuanConcurrent(b *testing.B) { benchBoth(b, Options{Concurrent: true}) }

// BenchmarkRenderWuchuanParts is BenchmarkRenderWuchuanBoth with the PDF kept in
// parts (the CLI's Options.PDFParts).
func BenchmarkRenderWuchuanParts(b *testing.B) { benchBoth(b, Options{PDFParts: true}) }

func benchBoth(b *testing.B, opts Options) {
	in, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		b.Fatal(err)
	}
	formats := []Format{PDF, DOCX}
	if _, err := RenderWith(context.Background(), in, formats, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderWith(context.Background(), in, formats, opts); err != nil {
			b.Fatal(err)
		}
	}
}
