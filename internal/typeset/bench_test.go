package typeset

import (
	"fmt"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/testtool"
)

// repeatBody makes a document n times longer: the body blocks between the addressee
// and the attachment note repeated n times.
func repeatBody(d *compose.Document, n int) *compose.Document {
	out := *d
	out.Blocks = nil
	var body []compose.Block
	for _, b := range d.Blocks {
		switch b.Kind {
		case compose.KindTitle, compose.KindAddressee:
			out.Blocks = append(out.Blocks, b)
		case compose.KindAttachments, compose.KindSignature:
		default:
			body = append(body, b)
		}
	}
	for range n {
		out.Blocks = append(out.Blocks, body...)
	}
	for _, b := range d.Blocks {
		if b.Kind == compose.KindAttachments || b.Kind == compose.KindSignature {
			out.Blocks = append(out.Blocks, b)
		}
	}
	return &out
}

// BenchmarkLayout sets a realistic generated report of about 5,000 characters and
// the same report with its body 20 times over; the second must cost at most 25 times
// the first.
func BenchmarkLayout(b *testing.B) {
	base := genDoc(1, 1)
	for _, scale := range []int{1, 20} {
		doc := repeatBody(base, scale)
		chars := 0
		for _, s := range doc.Text() {
			chars += len([]rune(s))
		}
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := testtool.CPUTime()
			for b.Loop() {
				if _, err := Typeset(doc, fm); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time of the process (GC included) per op: on a shared machine it
			// varies far less than wall time, so the x20/x1 ratio is readable.
			b.ReportMetric(float64((testtool.CPUTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(chars), "chars")
		})
	}
}

func BenchmarkTitleLines(b *testing.B) {
	for b.Loop() {
		TitleLines("广东省湛江市吴川市科工贸和信息化局关于2023年度法治政府建设工作情况和2024年工作计划的报告", "吴川市科工贸和信息化局", fm)
	}
}
