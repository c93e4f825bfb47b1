package render

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkOFDOnTop alternates a warm render of pdf,docx and of pdf,docx,ofd of the
// Wuchuan example in every iteration (the same load for both on a shared machine) and
// reports each one's time and their ratio; the OFD's target is at most 1.3.
func BenchmarkOFDOnTop(b *testing.B) {
	t2, t3 := benchPair(b, []Format{PDF, DOCX}, []Format{PDF, DOCX, OFD})
	b.ReportMetric(t2, "pdf+docx-ms/op")
	b.ReportMetric(t3, "pdf+docx+ofd-ms/op")
	b.ReportMetric(t3/t2, "ratio")
}

// BenchmarkDOCXBesidePDF alternates a warm render of the PDF alone and of pdf,docx
// and reports what the DOCX adds: its font parts are the PDF's subsets, compressed
// once for both (internal/docx BenchmarkRenderWuchuan cuts and compresses its own).
func BenchmarkDOCXBesidePDF(b *testing.B) {
	t1, t2 := benchPair(b, []Format{PDF}, []Format{PDF, DOCX})
	b.ReportMetric(t1, "pdf-ms/op")
	b.ReportMetric(t2, "pdf+docx-ms/op")
	b.ReportMetric(t2-t1, "docx-ms/op")
}

// benchPair renders the Wuchuan example warm with formats a, then b, in every
// iteration, and returns each one's mean time in milliseconds.
func benchPair(b *testing.B, fa, fb []Format) (ta, tb float64) {
	in, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := Render(ctx, in, fb); err != nil {
		b.Fatal(err)
	}
	var da, db time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Render(ctx, in, fa); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Render(ctx, in, fb); err != nil {
			b.Fatal(err)
		}
		da += t1.Sub(t0)
		db += time.Since(t1)
	}
	n := float64(b.N)
	return float64(da.Microseconds()) / 1000 / n, float64(db.Microseconds()) / 1000 / n
}

// BenchmarkRenderWuchuanBoth is a warm pdf,docx render of the Wuchuan example, the
// formats one after the other (the server, the Lambda functions, a batch of files).
func BenchmarkRenderWuchuanBoth(b *testing.B) { benchBoth(b, Options{}) }

// BenchmarkRenderWuchuanConcurrent draws the two formats at the same time (the CLI
// rendering one file on an idle second core).
func BenchmarkRenderWuchuanConcurrent(b *testing.B) { benchBoth(b, Options{Concurrent: true}) }

// BenchmarkRenderWuchuanParts is BenchmarkRenderWuchuanBoth as the CLI renders: the
// PDF and the DOCX kept in parts (Options.Parts), written out (to io.Discard) and the
// output released (Output.Release).
func BenchmarkRenderWuchuanParts(b *testing.B) { benchBoth(b, Options{Parts: true}) }

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
		out, err := RenderWith(context.Background(), in, formats, opts)
		if err != nil {
			b.Fatal(err)
		}
		if opts.Parts {
			for _, f := range formats {
				if _, err := out.WriteTo(f, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			out.Release()
		}
	}
}
