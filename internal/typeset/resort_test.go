package typeset

import (
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
)

// Literal values of the format (GB/T 9704-2012, GB/T 15834-2011), never the
// package's constants: a justified line adds at most 1.5 cells; the first line is
// indented two cells.
const (
	looseCells  = 1.5
	indentCells = 2
)

// lineSpace is the space a justified line adds: its width minus its glyphs' advances.
func lineSpace(i int, l line) float64 {
	w := 156 / 25.4 * 72
	if i == 0 {
		w -= indentCells * cell
	}
	for _, g := range l.content() {
		w -= float64(g.W)
	}
	return w
}

// assertNotLoose fails on a justified line of paragraph 1 wider than 1.5 cells.
func assertNotLoose(t *testing.T, lay *Layout) {
	t.Helper()
	ls := paraLines(lay, 1)
	for i, l := range ls[:len(ls)-1] {
		if s := lineSpace(i, l); s > looseCells*cell+tol {
			t.Errorf("line %d %q adds %.2f cells", i, l.text(), s/cell)
		}
	}
}

// whole reports whether some line holds s in one piece.
func whole(ls []line, s string) bool {
	for _, l := range ls {
		if strings.Contains(l.text(), s) {
			return true
		}
	}
	return false
}

// Units stay with their number (0.5‰ was broken as "0.5" / "‰。"), and signs with
// the number they sign, wherever the line edge falls.
func TestUnitsStayWithNumber(t *testing.T) {
	for _, tok := range []string{"0.5‰", "26℃", "10.88%", "35％", "−1", "－1", "＋3", "±0.5", "￥100", "3℃", "26 ℃"} {
		for k := 20; k <= 27; k++ {
			doc := bodyDoc(cjk(k) + tok + "。" + cjk(40))
			lay := mustSet(t, doc)
			checkInvariants(t, doc, lay, true)
			if ls := paraLines(lay, 1); !whole(ls, tok) {
				t.Errorf("%q after %d characters split: %q / %q", tok, k, ls[0].text(), ls[1].text())
			}
		}
	}
}

// A range with a full-width dash is never broken before the dash; after it only as
// a last resort.
func TestRangeWithDash(t *testing.T) {
	for k := 18; k <= 27; k++ {
		doc := bodyDoc(cjk(k) + "2021—2025年" + cjk(60))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		for i := range ls[:len(ls)-1] {
			a, b := ls[i].text(), ls[i+1].text()
			if strings.HasSuffix(a, "2021") && strings.HasPrefix(b, "—") {
				t.Errorf("k=%d: broken before the dash: %q / %q", k, a, b)
			}
			if strings.HasSuffix(a, "—") && !strings.HasSuffix(a, "2021—") {
				t.Errorf("k=%d: line ends with a dash outside the range: %q", k, a)
			}
		}
	}
}

// The last resorts, each where nothing cheaper avoids a loose line.
func TestLastResorts(t *testing.T) {
	t.Run("range hyphen", func(t *testing.T) {
		// 21 characters and "（" leave 4 cells; "2021-2025）" needs 5.56: pushing the
		// range down leaves 5 cells of space, breaking after its hyphen 1.47.
		doc := bodyDoc(cjk(21) + "（2021-2025）" + cjk(60))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		if !strings.HasSuffix(ls[0].text(), "（2021-") || !strings.HasPrefix(ls[1].text(), "2025）") {
			t.Errorf("want the break after the hyphen: %q / %q", ls[0].text(), ls[1].text())
		}
		assertNotLoose(t, lay)
	})
	t.Run("range dash", func(t *testing.T) {
		doc := bodyDoc(cjk(21) + "（2021—2025）" + cjk(60))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		if !strings.HasSuffix(ls[0].text(), "（2021—") || !strings.HasPrefix(ls[1].text(), "2025）") {
			t.Errorf("want the break after the dash: %q / %q", ls[0].text(), ls[1].text())
		}
		assertNotLoose(t, lay)
	})
	t.Run("date not a range", func(t *testing.T) {
		for k := 18; k <= 26; k++ {
			doc := bodyDoc(cjk(k) + "2024-01-15" + cjk(60))
			lay := mustSet(t, doc)
			if !whole(paraLines(lay, 1), "2024-01-15") {
				t.Errorf("k=%d: date split", k)
			}
		}
	})
	t.Run("range when not needed", func(t *testing.T) {
		// Pushed down whole, the range leaves one cell: no reason to break it.
		doc := bodyDoc(cjk(25) + "2021-2025年" + cjk(60))
		lay := mustSet(t, doc)
		if !whole(paraLines(lay, 1), "2021-2025") {
			t.Errorf("range split though a whole one leaves one cell")
		}
	})
	t.Run("long Latin run", func(t *testing.T) {
		// "Interoperability" is 16 letters, about 7 cells: pushed down it would leave 5.
		doc := bodyDoc(cjk(21) + "Interoperability" + cjk(60))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		a, b := ls[0].text(), ls[1].text()
		head := strings.TrimPrefix(a, cjk(21))
		if len(head) < 3 || !strings.HasPrefix("Interoperability", head) || !strings.HasPrefix(b, strings.TrimPrefix("Interoperability", head)) ||
			len("Interoperability")-len(head) < 3 {
			t.Errorf("want the word cut three or more letters from either end: %q / %q", a, b)
		}
		assertNotLoose(t, lay)
	})
	t.Run("short Latin run", func(t *testing.T) {
		// Seven letters or fewer are never cut, even where that leaves a loose line.
		for k := 20; k <= 27; k++ {
			for _, w := range []string{"Lambda", "Alpha", "Getting", "1234567"} {
				doc := bodyDoc(cjk(k) + w + cjk(60))
				if !whole(paraLines(mustSet(t, doc), 1), w) {
					t.Errorf("k=%d: %q split", k, w)
				}
			}
		}
	})
	t.Run("tighten instead", func(t *testing.T) {
		// 21 characters and "ABCDEFGH" (5.27 cells) overflow by 0.27 cell: tightening
		// the line beats both the loose line and cutting the word.
		doc := bodyDoc(cjk(21) + "ABCDEFGH" + cjk(60))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		if ls[0].text() != cjk(21)+"ABCDEFGH" {
			t.Errorf("first line %q, want the word squeezed in whole", ls[0].text())
		}
	})
}

// Tightening goes to the gaps between adjacent marks first: there the blank half of
// a mark's cell gives way, and the other characters keep their cells.
func TestAdjacentMarksTightened(t *testing.T) {
	// 22 characters and "（甲）》，" make 27 cells: "，" may not start the next line,
	// "（" not end this one; "）》" and "》，" give up half a cell each.
	doc := bodyDoc(cjk(22) + "（甲）》，" + cjk(60))
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	l := paraLines(lay, 1)[0]
	c := l.content()
	if !strings.HasSuffix(l.text(), "（甲）》，") {
		t.Fatalf("first line %q", l.text())
	}
	for k := 1; k < len(c); k++ {
		gap := c[k].X - c[k-1].X
		want := cell
		if tightPair(c[k-1].R, c[k].R) {
			want = cell / 2
		}
		if !near(gap, want) {
			t.Errorf("%q→%q advances %.2f, want %.2f", c[k-1].R, c[k].R, gap, want)
		}
	}
	if end := c[len(c)-1].X + float64(c[len(c)-1].W); !near(end, (28+156)/25.4*72) {
		t.Errorf("tightened line ends at %.2f", end)
	}
}

// The paragraph: titles with ranges cited in a row.
func TestCitedTitlesNotLoose(t *testing.T) {
	p := "根据《福建省法治政府建设实施方案（2021-2025）》《福州市法治政府建设实施方案（2021-2025）》" +
		"《福州市司法局法治政府建设规划（2021—2025年）》要求，全年办理行政复议案件98件，" +
		"纠正违法或不当行政行为12起（其中撤销3起）；行政诉讼败诉率0.5‰，同比下降10.88%。"
	// (After some leads, 8 to 11 characters here, no choice avoids a loose line: a
	// first line all CJK keeps its 26 cells, and "（2021-2025）》《" cannot be cut
	// finer; the PDF test compares such paragraphs with an exhaustive search.)
	for _, lead := range []string{"", "我局", "全年", cjk(5)} {
		doc := bodyDoc(lead + p)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		assertNotLoose(t, lay)
	}
}

func TestIsNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"−1": true, "－1": true, "﹣2": true, "+3": true, "＋3": true, "±0.5": true, "-1": true,
		"10.88%": true, "1,560": true, "0.5‰": true, "2024-01-15": true, "１２": true, " 12 ": true,
		"−": false, "约12": false, "12件": false, "": false, "A1": false,
	} {
		if got := IsNumeric(s); got != want {
			t.Errorf("IsNumeric(%q) = %v, want %v", s, got, want)
		}
	}
}

// A table cell is broken by the same search. Over these twelve leads, breaking line
// by line leaves 23 loose lines in the cell (measured); the search leaves 7, where
// the column (about 25 cells) is too narrow for "（2021-2025）》《" to fit anywhere
// but alone, or an all-CJK line must keep its cells (the body's cases,
// TestCitedTitlesNotLoose).
func TestTableCellBrokenAsWhole(t *testing.T) {
	loose := 0
	text := "《福建省法治政府建设实施方案（2021-2025）》《福州市法治政府建设实施方案（2021-2025）》" +
		"《福州市司法局法治政府建设规划（2021—2025年）》要求办理行政复议案件98件，纠正12起（其中撤销3起）。"
	for k := range 12 {
		cellText := cjk(k) + text
		tb := &report.Table{Header: []string{"项目", "说明"}, Rows: [][]string{{"行政复议", cellText}}}
		r := &report.Report{Title: "报告", Issuer: "某局", Year: 2023, Sections: []report.Section{{Path: "/sections/0",
			Level: 1, Number: "一、", Heading: "情况", Body: []report.Block{{Path: "/sections/0/body/0", Table: tb}}}}}
		doc := compose.Compose(r)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		para := len(doc.Text()) - 1 // the last cell
		cl := paraLines(lay, para)
		if len(cl) < 3 {
			t.Fatalf("cell on %d lines", len(cl))
		}
		right := 0.0
		for _, l := range cl {
			c := l.content()
			right = max(right, c[len(c)-1].X+float64(c[len(c)-1].W))
		}
		for _, l := range cl[:len(cl)-1] {
			c := l.content()
			space := right - c[0].X
			for _, g := range c {
				space -= float64(g.W)
			}
			if space > looseCells*cell+tol {
				loose++
				t.Logf("lead %d: cell line %q adds %.2f cells", k, l.text(), space/cell)
			}
		}
	}
	if loose > 7 {
		t.Errorf("%d loose lines in the cells, want at most 7", loose)
	}
}
