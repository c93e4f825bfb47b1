package typeset

import (
	"fmt"
	"testing"
)

// BenchmarkLayout sets a realistic generated report of about 5,000 characters and
// one 20 times longer; the second must cost at most 25 times the first.
func BenchmarkLayout(b *testing.B) {
	for _, scale := range []int{1, 20} {
		doc := genDoc(scale, 1)
		chars := 0
		for _, s := range doc.Text() {
			chars += len([]rune(s))
		}
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Typeset(doc, fm); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(chars), "chars")
		})
	}
}

func BenchmarkTitleLines(b *testing.B) {
	for b.Loop() {
		TitleLines("广东省湛江市吴川市科工贸和信息化局关于2023年度法治政府建设工作情况和2024年工作计划的报告", "吴川市科工贸和信息化局", fm)
	}
}
