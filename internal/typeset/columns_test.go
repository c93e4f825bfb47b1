package typeset

import (
	"sort"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// ColumnWidths (what the DOCX uses) must be the widths Typeset rules the PDF's
// table with.
func TestColumnWidthsMatchTheRules(t *testing.T) {
	for _, tbl := range []*report.Table{
		{Header: []string{"类别", "收案数（件）", "办结率"}, Rows: [][]string{{"行政处罚", "56", "96.4%"}, {"信息公开", "41", "97.6%"}}},
		{Header: []string{"序号", "事项名称及其法律依据的详细说明", "https://www.example.gov.cn/a/b/c"}, Rows: [][]string{{"1", cjk(40), "2024-01-15"}}},
		{Header: []string{"甲"}, Rows: [][]string{{"乙"}}},
	} {
		doc := &compose.Document{Blocks: []compose.Block{{Kind: compose.KindTable, Path: "/preamble/0", Table: tbl}}}
		lay := mustSet(t, doc)
		xs := map[float64]bool{}
		for _, r := range lay.Pages[0].Rules {
			if r.X1 == r.X2 {
				xs[r.X1] = true
			}
		}
		var got []float64
		for x := range xs {
			got = append(got, x)
		}
		sort.Float64s(got)
		w := ColumnWidths(tbl, fm)
		if len(w) != len(tbl.Header) || len(got) != len(w)+1 {
			t.Fatalf("%d widths, %d vertical rules, for %d columns", len(w), len(got), len(tbl.Header))
		}
		x, sum := spec.TypeLeft, 0.0
		for j, cw := range w {
			sum += cw
			x += cw
			// Outer rules are pulled half a rule width inside the type area.
			if j < len(w)-1 && !near(x, got[j+1]) {
				t.Errorf("column %d ends at %.2f, rule at %.2f", j, x, got[j+1])
			}
		}
		if !near(sum, spec.TypeWidth) {
			t.Errorf("widths add up to %.2f, want the type width %.2f", sum, spec.TypeWidth)
		}
	}
}

// A short header is one word: it is not wrapped while the columns' minima leave room
// for it, however long the other cells are.
func TestShortHeadersDoNotWrap(t *testing.T) {
	header := []string{"事务", "收案数（件）", "办结数（件）", "办结率"}
	var rows [][]string
	for i := range 3 {
		rows = append(rows, []string{"第" + string(rune('1'+i)) + "项事务（含“三项制度”）及其他相关说明", "37", "35", "94.6%"})
	}
	doc := &compose.Document{Blocks: []compose.Block{{Kind: compose.KindTable, Path: "/preamble/0",
		Table: &report.Table{Header: header, Rows: rows}}}}
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	found := map[string]bool{}
	for _, l := range lines(lay) {
		found[l.text()] = true
	}
	for _, h := range header {
		if !found[h] {
			t.Errorf("header %q wrapped", h)
		}
	}
}
