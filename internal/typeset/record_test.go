package typeset

import (
	"testing"

	"gongwen/internal/compose"
)

// withRecord is a body of n one-line paragraphs and a two-line 版记.
func withRecord(n int) *compose.Document {
	var paras []string
	for range n {
		paras = append(paras, "一行")
	}
	d := bodyDoc(paras...)
	d.Blocks = append(d.Blocks, compose.Block{Kind: compose.KindRecord, Path: "/document",
		Record: &compose.Record{CC: "抄送：市委办公室。", Printer: "某局办公室", PrintDate: "2025年1月16日印发"}})
	return d
}

// The 版记 belongs on an even page (GB/T 9704 7.4): under the body when the body
// ends on an even page with room; on a page of its own after an odd last page;
// behind a blank page when the even last page is full. Pages holding only the 版记
// (or nothing) carry no page number; the others keep theirs.
func TestRecordParity(t *testing.T) {
	// Page 1 holds the title (1 line), a blank line and 20 paragraph lines.
	tests := []struct {
		name       string
		paras      int
		pages      int
		unnumbered int
	}{
		{"odd last page", 10, 2, 1},
		{"odd last page, full", 20, 2, 1},
		{"even last page with room", 30, 2, 0},
		{"even last page, room for exactly the 版记", 20 + 20, 2, 0},
		{"even last page, full", 20 + 22, 4, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := withRecord(tc.paras)
			lay := mustSet(t, doc)
			checkInvariants(t, doc, lay, false)
			if len(lay.Pages) != tc.pages {
				t.Fatalf("%d pages, want %d", len(lay.Pages), tc.pages)
			}
			last := lay.Pages[len(lay.Pages)-1]
			if len(last.Rules) != 3 {
				t.Errorf("last page has %d rules, want the 版记's 3", len(last.Rules))
			}
			unnumbered := 0
			for _, p := range lay.Pages {
				folio := false
				for _, r := range p.Runs {
					folio = folio || r.Para < 0
				}
				if !folio {
					unnumbered++
					if p.Kind != RecordPage {
						t.Errorf("page %d has no number but is of kind %d", p.Number, p.Kind)
					}
				}
			}
			if unnumbered != tc.unnumbered {
				t.Errorf("%d unnumbered pages, want %d", unnumbered, tc.unnumbered)
			}
		})
	}
}

// The 版头 at the contract's limits stays in the type area: a 200-character 标志, a
// 50-character 发文字号, twenty long signers (narrowed, never wrapped or let out);
// the title still starts two blank lines below the separator.
func TestHeaderExtremes(t *testing.T) {
	long := func(n int) string {
		s := ""
		for range n {
			s += "法"
		}
		return s
	}
	var signers []string
	for range 20 {
		signers = append(signers, long(30))
	}
	for _, h := range []*compose.Header{
		{Organ: long(200), Number: long(49) + "号"},
		{Organ: "某局文件", Number: long(49) + "号", Signers: signers},
		{Organ: "某局文件", Number: "某〔2025〕1号", Signers: []string{long(200)}},
	} {
		doc := bodyDoc("正文")
		doc.Blocks = append([]compose.Block{{Kind: compose.KindHeader, Path: "/document", Header: h}}, doc.Blocks...)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, false)
		g := HeaderGeometry(len(h.SignerLines()))
		if g.TitleSlot >= 22 {
			t.Errorf("%d signer lines push the title to slot %d", len(h.SignerLines()), g.TitleSlot)
		}
	}
}
