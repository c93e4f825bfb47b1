package typeset

import (
	"fmt"
	"os"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/report"
)

// The examples and generated reports set with the embedded fonts' real widths keep
// every invariant (the fake metrics elsewhere pin exact numbers).
func TestRealFonts(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	var docs []*compose.Document
	for _, name := range []string{"../../examples/wuchuan-2023.json", "../../examples/all-fields.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := report.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, compose.Compose(r))
	}
	if got := TitleLines(docs[0].Title, docs[0].Author, set); len(got) != 2 || got[0] != "吴川市科工贸和信息化局" || got[1] != "2023年法治政府建设年度报告" {
		t.Errorf("Wuchuan title lines %q", got)
	}
	docs = append(docs, genDoc(1, 5))
	for seed := range uint64(10) {
		docs = append(docs, compose.Compose(randomReport(seed)))
	}
	for i, doc := range docs {
		lay, err := Typeset(doc, set)
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		checkInvariants(t, doc, lay, i < 3)
	}
}

// BenchmarkLayoutRealFonts is BenchmarkLayout measuring with the embedded fonts.
func BenchmarkLayoutRealFonts(b *testing.B) {
	set, err := fonts.Default()
	if err != nil {
		b.Fatal(err)
	}
	base := genDoc(1, 1)
	for _, scale := range []int{1, 20} {
		doc := repeatBody(base, scale)
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Typeset(doc, set); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
