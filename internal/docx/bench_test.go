package docx

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
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

// BenchmarkRenderWuchuan20x: a report 20 times as long as Wuchuan (its sections
// repeated), in parts as the CLI renders it; issue 15: at most 20 times
// BenchmarkRenderWuchuanParts (its fonts are cut once, so it is far less).
func BenchmarkRenderWuchuan20x(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		b.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		b.Fatal(err)
	}
	secs := r["sections"].([]any)
	var long []any
	for range 20 {
		long = append(long, secs...)
	}
	r["sections"] = long
	if data, err = json.Marshal(r); err != nil {
		b.Fatal(err)
	}
	rep, _, err := report.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	doc, m, ctx := compose.Compose(rep), metrics(b), context.Background()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		ps, err := RenderParts(ctx, doc, m, Paging{})
		if err != nil {
			b.Fatal(err)
		}
		n = ps.Len()
		ps.Release()
	}
	b.ReportMetric(float64(n), "docx-bytes")
}
