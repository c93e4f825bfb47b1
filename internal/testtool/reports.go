package testtool

import (
	"fmt"
	"strings"
)

// WorstCaseReports are the report shapes the load and cancellation tests use: the
// densest tables the per-render memory budget admits (dense-*), tables it refuses
// (over-*), and the largest report of running text (2,000 sections).
func WorstCaseReports() map[string][]byte {
	table := func(cell string, rows ...int) string {
		var b strings.Builder
		for ti, n := range rows {
			if ti > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"table":{"header":[`)
			for j := range 20 {
				if j > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `"列%d"`, j)
			}
			b.WriteString(`],"rows":[`)
			row := `[` + strings.Repeat(`"`+cell+`",`, 19) + `"` + cell + `"]`
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(row)
			}
			b.WriteString(`]}}`)
		}
		return b.String()
	}
	doc := func(preamble string) []byte {
		return []byte(`{"title":"压力测试报告","issuer":"某局","year":2024,"preamble":[` + preamble +
			`],"sections":[{"heading":"情况","body":["正文。"]}]}`)
	}
	var secs strings.Builder
	para := strings.Repeat("法治政府建设年度报告，依法行政，严格执法，公正司法，全民守法。", 10)
	for i := range 2000 {
		if i > 0 {
			secs.WriteByte(',')
		}
		fmt.Fprintf(&secs, `{"heading":"第%d项工作情况","body":["%s"]}`, i, para)
	}
	return map[string][]byte{
		"dense-cjk1":   doc(table("法", 2000, 2000, 2000, 1500)),
		"dense-a46":    doc(table(strings.Repeat("a", 46), 100, 100, 60)),
		"over-a46":     doc(table(strings.Repeat("a", 46), 2000)),
		"over-cjk4":    doc(table("法治政府", 2000, 2000, 2000)),
		"sections2000": []byte(`{"title":"压力测试报告","issuer":"某局","year":2024,"sections":[` + secs.String() + `]}`),
	}
}
