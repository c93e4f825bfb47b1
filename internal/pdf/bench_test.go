package pdf

import (
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/testtool"
)

// BenchmarkRenderWuchuan is the warm render (fonts parsed already, as in a warm
// Lambda) of the Wuchuan example: typesetting plus PDF writing. Target: 10 ms.
func BenchmarkRenderWuchuan(b *testing.B) {
	benchRender(b, exampleDoc(b, "wuchuan-2023.json"))
}

// BenchmarkRenderWuchuan20x renders a report 20 times as long (the Wuchuan sections
// repeated). Target: at most 25 times BenchmarkRenderWuchuan.
func BenchmarkRenderWuchuan20x(b *testing.B) {
	benchRender(b, longDoc(b, 20))
}

func benchRender(b *testing.B, doc *compose.Document) {
	set := defaultFonts(b)
	res, err := Render(doc, set)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := testtool.CPUTime()
	for i := 0; i < b.N; i++ {
		if _, err := Render(doc, set); err != nil {
			b.Fatal(err)
		}
	}
	testtool.ReportCPUPerOp(b, cpu)
	b.ReportMetric(float64(len(res.Bytes)), "pdf-bytes")
	b.ReportMetric(float64(res.Pages), "pages")
}

// longDoc is the Wuchuan report with its sections repeated n times.
func longDoc(b testing.TB, n int) *compose.Document {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		b.Fatal(err)
	}
	return docFromJSON(b, testtool.RepeatSections(b, data, n))
}
