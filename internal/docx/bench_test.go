package docx

import (
	"context"
	"io"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
)

// glyphsOnly hides every method of the font set but Glyph: the DOCX then embeds no
// font (startFonts needs a cutter), so BenchmarkRenderWuchuanNoFonts measures what
// the DOCX costs besides its font parts (cut and compressed in embed.go / zip.go).
type glyphsOnly struct{ typeset.Metrics }

// BenchmarkRenderWuchuanNoFonts: BenchmarkRenderWuchuan without the font parts.
func BenchmarkRenderWuchuanNoFonts(b *testing.B) {
	doc, m := example(b, "wuchuan-2023.json"), glyphsOnly{metrics(b)}
	benchDocx(b, func() ([]byte, error) { return Render(doc, m) })
}

// benchDocx renders doc warm, reporting CPU time (the machine is shared: wall time
// overstates the cost) and the file's size.
func benchDocx(b *testing.B, render func() ([]byte, error)) {
	out, err := render()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := testtool.CPUTime()
	for i := 0; i < b.N; i++ {
		if _, err := render(); err != nil {
			b.Fatal(err)
		}
	}
	testtool.ReportCPUPerOp(b, cpu)
	b.ReportMetric(float64(len(out)), "docx-bytes")
}

// BenchmarkRenderDocumentFormNoFonts: the document-form example (a 版头, a seal and a
// 版记) without the font parts, alone and given the paging of render's layout.
func BenchmarkRenderDocumentFormNoFonts(b *testing.B) {
	doc, m := example(b, "all-fields-document.json"), glyphsOnly{metrics(b)}
	b.Run("alone", func(b *testing.B) {
		benchDocx(b, func() ([]byte, error) { return Render(doc, m) })
	})
	lay, err := typeset.Typeset(doc, m)
	if err != nil {
		b.Fatal(err)
	}
	p := PagingOf(lay)
	b.Run("paged", func(b *testing.B) {
		benchDocx(b, func() ([]byte, error) { return RenderPaged(context.Background(), doc, m, p) })
	})
}

// BenchmarkRenderWuchuanParts: BenchmarkRenderWuchuan as the CLI renders, the file in
// parts (RenderParts) written out and its buffers given back (Parts.Release); the
// writing is to io.Discard, so what is measured is the render, without the copy of
// the archive into one slice and the collector's work for it.
func BenchmarkRenderWuchuanParts(b *testing.B) {
	benchParts(b, example(b, "wuchuan-2023.json"))
}

// BenchmarkRenderWuchuan20x: a report 20 times as long as Wuchuan (its sections
// repeated), in parts as the CLI renders it; issue 15: at most 20 times
// BenchmarkRenderWuchuanParts (its fonts are cut once, so it is far less).
func BenchmarkRenderWuchuan20x(b *testing.B) { benchParts(b, repeated(b, 20)) }

func benchParts(b *testing.B, doc *compose.Document) {
	m, ctx, n := metrics(b), context.Background(), int64(0)
	b.ReportAllocs()
	for b.Loop() {
		ps, err := RenderParts(ctx, doc, m, Paging{})
		if err != nil {
			b.Fatal(err)
		}
		if n, err = ps.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		ps.Release()
	}
	b.ReportMetric(float64(n), "docx-bytes")
}
