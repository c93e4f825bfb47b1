package typeset

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// slotsOf lists (page, slot) of each line of Text() entry para.
func slotsOf(lay *Layout, para int) [][2]int {
	var out [][2]int
	for _, l := range paraLines(lay, para) {
		out = append(out, [2]int{l.page, slotOf(l.y, l.size)})
	}
	return out
}

// fill returns n one-line paragraphs.
func fill(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = cjk(10)
	}
	return out
}

func TestPagination(t *testing.T) {
	// The title takes slot 0, the blank slot 1; the body starts at slot 2.
	cases := []struct {
		name   string
		before int    // one-line paragraphs before the subject
		kind   string // "heading", "para"
		lines  int    // lines of the subject paragraph
		want   [][2]int
	}{
		// A heading on the last slot moves to the next page with its next line.
		{"heading keeps with next", 19, "heading", 0, [][2]int{{1, 0}}},
		{"heading fits", 18, "heading", 0, [][2]int{{0, 20}}},
		// A 3-line paragraph cannot split without a widow or an orphan.
		{"three lines at the foot", 18, "para", 3, [][2]int{{1, 0}, {1, 1}, {1, 2}}},
		// An orphan (first line alone at the foot) moves down.
		{"orphan", 19, "para", 5, [][2]int{{1, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 4}}},
		// A widow (last line alone at the top) pulls a line with it.
		{"widow", 16, "para", 5, [][2]int{{0, 18}, {0, 19}, {0, 20}, {1, 0}, {1, 1}}},
		{"clean split", 17, "para", 5, [][2]int{{0, 19}, {0, 20}, {0, 21}, {1, 0}, {1, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := bodyDoc(fill(c.before)...)
			subject := len(doc.Text())
			switch c.kind {
			case "heading":
				doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindHeading, Level: 1, Path: "/sections/0",
					Bookmark: "一、总体情况", Runs: []compose.Run{{Text: "一、总体情况", Role: spec.RoleHei, Path: "/sections/0/heading"}}})
				doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: "/sections/0/body/0",
					Runs: []compose.Run{{Text: cjk(20), Role: spec.RoleFangsong, Path: "/sections/0/body/0"}}})
			case "para":
				// first line 26 cells, then 28 each; last line 5 cells.
				doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: "/x",
					Runs: []compose.Run{{Text: cjk(26 + 28*(c.lines-2) + 5), Role: spec.RoleFangsong, Path: "/x"}}})
			}
			doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: "/y",
				Runs: []compose.Run{{Text: cjk(12), Role: spec.RoleFangsong, Path: "/y"}}})
			lay := mustSet(t, doc)
			checkInvariants(t, doc, lay, true)
			got := slotsOf(lay, subject)
			if !slices.Equal(got, c.want) {
				t.Errorf("slots %v, want %v", got, c.want)
			}
			if c.kind == "heading" {
				// The heading's bookmark points at its line.
				bm := lay.Bookmarks[len(lay.Bookmarks)-1]
				wantY := spec.TypeTop + float64(c.want[0][1])*spec.LinePitch
				if bm.Page != c.want[0][0] || !near(bm.Y, wantY) || bm.Title != "一、总体情况" || bm.Level != 1 {
					t.Errorf("bookmark %+v, want page %d y %.2f", bm, c.want[0][0], wantY)
				}
			}
			for pi, p := range lay.Pages {
				slots := map[int]bool{}
				for _, r := range p.Runs {
					if r.Para >= 0 {
						slots[slotOf(r.Y, r.Size)] = true
					}
				}
				if len(slots) > spec.GridLines {
					t.Errorf("page %d has %d lines", pi+1, len(slots))
				}
			}
		})
	}
}

func TestSignature(t *testing.T) {
	cases := []struct {
		issuer, date string
		longDate     bool
	}{
		{"吴川市科工贸和信息化局", "2024年1月15日", false},
		{"某局", "2024年12月31日", true},
		{"国家发展和改革委员会", "2024年1月5日", false},
	}
	for _, c := range cases {
		t.Run(c.issuer, func(t *testing.T) {
			r := &report.Report{Title: "报告", Issuer: c.issuer, Year: 2023, Sections: []report.Section{{Path: "/sections/0",
				Level: 1, Number: "一、", Heading: "情况", Body: []report.Block{{Path: "/sections/0/body/0", Paragraph: cjk(70)}}}}}
			fmt.Sscanf(c.date, "%d年%d月%d日", new(int), new(int), new(int))
			var y, m, d int
			fmt.Sscanf(c.date, "%d年%d月%d日", &y, &m, &d)
			r.Date = &report.Date{Year: y, Month: m, Day: d}
			doc := compose.Compose(r)
			lay := mustSet(t, doc)
			checkInvariants(t, doc, lay, true)
			n := len(doc.Text())
			name, date := paraLines(lay, n-2), paraLines(lay, n-1)
			body := paraLines(lay, n-3)
			if len(name) != 1 || len(date) != 1 {
				t.Fatalf("signature lines %d, %d", len(name), len(date))
			}
			nl, dl := name[0].glyphs, date[0].glyphs
			nameX, nameEnd := nl[0].X, nl[len(nl)-1].X+float64(nl[len(nl)-1].W)
			dateX, dateEnd := dl[0].X, dl[len(dl)-1].X+float64(dl[len(dl)-1].W)
			right := spec.TypeRight - spec.SignatureRightGapCells*spec.Cell
			if c.longDate {
				if !near(dateEnd, right) || !near(nameX, dateX-spec.DateOffsetCells*spec.Cell) {
					t.Errorf("long date: name %.2f date %.2f..%.2f, want date ending %.2f, name 2 cells left", nameX, dateX, dateEnd, right)
				}
			} else if !near(nameEnd, right) || !near(dateX, nameX+spec.DateOffsetCells*spec.Cell) {
				t.Errorf("name %.2f..%.2f date %.2f, want name ending %.2f, date 2 cells right", nameX, nameEnd, dateX, right)
			}
			lastBody := body[len(body)-1]
			ns, ds := slotOf(name[0].y, 16), slotOf(date[0].y, 16)
			if name[0].page != lastBody.page || ns != slotOf(lastBody.y, 16)+1+spec.SignatureBlankLines || ds != ns+1 || date[0].page != name[0].page {
				t.Errorf("signature slots %d,%d after body slot %d", ns, ds, slotOf(lastBody.y, 16))
			}
		})
	}
}

// The signature never starts a page: it takes the last body lines with it.
func TestSignatureKeptWithBody(t *testing.T) {
	for before := 14; before <= 20; before++ {
		r := &report.Report{Title: "报告", Issuer: "某某局", Year: 2023, Date: &report.Date{Year: 2024, Month: 1, Day: 2}}
		sec := report.Section{Path: "/sections/0", Level: 1, Number: "一、", Heading: "情况"}
		for i := range before {
			sec.Body = append(sec.Body, report.Block{Path: fmt.Sprintf("/sections/0/body/%d", i), Paragraph: cjk(10)})
		}
		sec.Body = append(sec.Body, report.Block{Path: "/sections/0/body/x", Paragraph: cjk(26 + 10)})
		r.Sections = []report.Section{sec}
		doc := compose.Compose(r)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		n := len(doc.Text())
		name := paraLines(lay, n-2)[0]
		body := paraLines(lay, n-3)
		if body[len(body)-1].page != name.page {
			t.Errorf("before=%d: signature on page %d, last body line on %d", before, name.page+1, body[len(body)-1].page+1)
		}
		if slotOf(name.y, 16) == 0 {
			t.Errorf("before=%d: signature starts a page", before)
		}
	}
}

func TestPageNumbers(t *testing.T) {
	doc := genDoc(1, 3)
	lay := mustSet(t, doc)
	if len(lay.Pages) < 3 {
		t.Fatalf("%d pages", len(lay.Pages))
	}
	for pi, p := range lay.Pages {
		var gl []Glyph
		for _, r := range p.Runs {
			if r.Para == -1 {
				if r.Size != spec.PageNumberSize || !near(r.Y, spec.PageNumberBaseline()) {
					t.Errorf("page %d number size %.1f y %.2f", pi+1, r.Size, r.Y)
				}
				if r.Font != spec.RoleFace(spec.RoleSong) {
					t.Errorf("page %d number font %v", pi+1, r.Font)
				}
				gl = append(gl, r.Glyphs...)
			}
		}
		var b strings.Builder
		for _, g := range gl {
			b.WriteRune(g.R)
		}
		if b.String() != spec.PageNumberText(pi+1) {
			t.Errorf("page %d number %q", pi+1, b.String())
		}
		// The dashes' top is PageNumberGap below the type area.
		top := spec.PageNumberBaseline() - spec.PageNumberDashTopEm*spec.PageNumberSize
		if !near(top-spec.TypeBottom, 7*spec.MM) {
			t.Errorf("dash top %.2f pt below the type area", top-spec.TypeBottom)
		}
		if (pi+1)%2 == 1 {
			end := gl[len(gl)-1].X + float64(gl[len(gl)-1].W)
			if !near(end, spec.TypeRight-spec.Cell) {
				t.Errorf("odd page %d number ends at %.2f, want %.2f", pi+1, end, spec.TypeRight-spec.Cell)
			}
		} else if !near(gl[0].X, spec.TypeLeft+spec.Cell) {
			t.Errorf("even page %d number starts at %.2f, want %.2f", pi+1, gl[0].X, spec.TypeLeft+spec.Cell)
		}
	}
}

func TestTitleLines(t *testing.T) {
	cases := []struct {
		title, issuer string
		want          []string
	}{
		{"吴川市科工贸和信息化局2023年法治政府建设年度报告", "吴川市科工贸和信息化局",
			[]string{"吴川市科工贸和信息化局", "2023年法治政府建设年度报告"}},
		{"吴川市科工贸和信息化局 2023 年法治政府建设年度报告", "吴川市科工贸和信息化局",
			[]string{"吴川市科工贸和信息化局 ", "2023 年法治政府建设年度报告"}},
		{"关于2023年度\n法治政府建设情况的报告", "某局", []string{"关于2023年度", "法治政府建设情况的报告"}},
		{"2023年法治政府建设年度报告", "某局", []string{"2023年法治政府建设年度报告"}},
		// The issuer inside the title: short over long, the year whole.
		{"关于吴川市科工贸和信息化局2023年法治政府建设情况的报告", "吴川市科工贸和信息化局",
			[]string{"关于吴川市科工贸和信息化局", "2023年法治政府建设情况的报告"}},
	}
	for _, c := range cases {
		got := TitleLines(c.title, c.issuer, fm)
		if !slices.Equal(got, c.want) {
			t.Errorf("TitleLines(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestTitleShapes(t *testing.T) {
	cases := []struct {
		title, issuer string
		whole         []string
		trapezoid     bool
	}{
		{"某某县人民政府关于贯彻落实《广东省法治政府建设实施纲要》情况的报告", "",
			[]string{"《广东省法治政府建设实施纲要》"}, true},
		{"中华人民共和国某某省某某市某某县人民政府关于贯彻落实国务院办公厅《2021-2025年法治政府建设规划》情况的报告", "某某县人民政府",
			[]string{"《2021-2025年法治政府建设规划》", "某某县人民政府"}, false},
		{"广东省湛江市吴川市科工贸和信息化局关于2023年度法治政府建设工作情况和2024年工作计划的报告", "吴川市科工贸和信息化局",
			[]string{"吴川市科工贸和信息化局", "2023", "2024"}, true},
		{strings.Repeat("法治政府建设", 12), "", nil, true},
		{strings.Repeat("法治政府建设", 6) + "（2023年）", "", []string{"2023年"}, true},
		{"关于吴川市科工贸和信息化局2023年法治政府建设情况的报告", "吴川市科工贸和信息化局",
			[]string{"吴川市科工贸和信息化局", "2023年"}, true},
		{"示例自治区某某地区某某县人民政府办公室关于2024年度法治政府建设工作情况和2025年工作安排的年度报告", "",
			[]string{"2024年", "2025年"}, true},
	}
	for _, c := range cases {
		lines := TitleLines(c.title, c.issuer, fm)
		if strings.Join(lines, "") != c.title {
			t.Errorf("lines %q lose text of %q", lines, c.title)
		}
		if len(lines) < 2 {
			t.Errorf("%q on one line", c.title)
		}
		var widths []float64
		for _, l := range lines {
			w := 0.0
			for _, r := range strings.TrimRight(l, " ") {
				_, adv, _ := fm.Glyph(spec.RoleTitle, r)
				w += adv * spec.TitleSize
			}
			if w > spec.TypeWidth+tol {
				t.Errorf("title line %q %.1f pt wider than the type area", l, w)
			}
			widths = append(widths, w)
		}
		// A trapezoid (no line shorter than the one above it) or a diamond (lines grow,
		// then shrink; the top never longer than the second).
		if c.trapezoid {
			peak := 0
			for peak+1 < len(widths) && widths[peak+1] >= widths[peak]-tol {
				peak++
			}
			for i := peak + 1; i < len(widths); i++ {
				if widths[i] > widths[i-1]+tol || peak == 0 {
					t.Errorf("title %q neither trapezoid nor diamond: widths %v", lines, widths)
					break
				}
			}
		}
		for _, w := range c.whole {
			ok := false
			for _, l := range lines {
				ok = ok || strings.Contains(l, w)
			}
			if !ok {
				t.Errorf("%q split in %q", w, lines)
			}
		}
	}
}

func TestTitlePlacement(t *testing.T) {
	doc := genDoc(1, 1)
	lay := mustSet(t, doc)
	ls := paraLines(lay, 0)
	if len(ls) != 2 {
		t.Fatalf("title lines %d", len(ls))
	}
	for i, l := range ls {
		if l.page != 0 || slotOf(l.y, spec.TitleSize) != i || l.size != spec.TitleSize {
			t.Errorf("title line %d on page %d slot %d size %.0f", i, l.page, slotOf(l.y, spec.TitleSize), l.size)
		}
		c := l.content()
		mid := (c[0].X + c[len(c)-1].X + float64(c[len(c)-1].W)) / 2
		if !near(mid, spec.TypeLeft+spec.TypeWidth/2) {
			t.Errorf("title line %d centred at %.2f", i, mid)
		}
		for _, r := range l.runs {
			if r.Font != spec.RoleFace(spec.RoleTitle) && !strings.ContainsAny(runText(r), "%@") {
				t.Errorf("title run %q in %v", runText(r), r.Font)
			}
		}
	}
	// One blank grid line, then the addressee flush left.
	ad := paraLines(lay, 1)[0]
	if slotOf(ad.y, 16) != len(ls)+spec.TitleBlankLines || !near(ad.glyphs[0].X, spec.TypeLeft) {
		t.Errorf("addressee at slot %d x %.2f", slotOf(ad.y, 16), ad.glyphs[0].X)
	}
}

func TestRunInHeading(t *testing.T) {
	r := &report.Report{Title: "报告", Issuer: "某局", Year: 2023, Sections: []report.Section{{Path: "/sections/0",
		Level: 1, Number: "一、", Heading: "总体情况",
		Sections: []report.Section{{Path: "/sections/0/sections/0", Level: 2, Number: "（一）", Heading: "健全清单化履职机制。", RunIn: true,
			Body: []report.Block{{Path: "/sections/0/sections/0/body/0", Paragraph: "根据《通知》，" + cjk(60)}}}}}}}
	doc := compose.Compose(r)
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	ls := paraLines(lay, 2)
	first := ls[0]
	if len(first.runs) < 2 || first.runs[0].Font != spec.RoleFace(spec.RoleKai) || first.runs[1].Font != spec.RoleFace(spec.RoleFangsong) {
		t.Fatalf("run-in line runs: %+v", first.runs)
	}
	if runText(first.runs[0]) != "（一）健全清单化履职机制。" || first.runs[0].Y != first.runs[1].Y {
		t.Errorf("heading run %q", runText(first.runs[0]))
	}
	if !near(first.glyphs[0].X, spec.TypeLeft+2*spec.Cell) {
		t.Errorf("run-in indent %.2f", first.glyphs[0].X)
	}
	h := paraLines(lay, 1)[0]
	if h.runs[0].Font != spec.RoleFace(spec.RoleHei) || !near(h.glyphs[0].X, spec.TypeLeft+2*spec.Cell) {
		t.Errorf("level-1 heading font %v x %.2f", h.runs[0].Font, h.glyphs[0].X)
	}
	if len(lay.Bookmarks) != 2 || lay.Bookmarks[1].Level != 2 || lay.Bookmarks[1].Title != "（一）健全清单化履职机制。" ||
		!near(lay.Bookmarks[1].Y, first.y-spec.BaselineOffset(16)) {
		t.Errorf("bookmarks %+v", lay.Bookmarks)
	}
}

func TestAttachments(t *testing.T) {
	r := &report.Report{Title: "报告", Issuer: "某局", Year: 2023, Date: &report.Date{Year: 2024, Month: 1, Day: 15},
		Sections: []report.Section{{Path: "/sections/0", Level: 1, Number: "一、", Heading: "情况",
			Body: []report.Block{{Path: "/sections/0/body/0", Paragraph: cjk(40)}}}},
		Attachments: []string{"统计表", cjk(40), "名单"}}
	doc := compose.Compose(r)
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	base := len(doc.Text()) - 5 // three items, issuer, date
	first := paraLines(lay, base)
	if first[0].text() != "附件：1.统计表" || !near(first[0].glyphs[0].X, spec.TypeLeft+2*spec.Cell) {
		t.Errorf("first attachment %q at %.2f", first[0].text(), first[0].glyphs[0].X)
	}
	body := paraLines(lay, base-1)
	if slotOf(first[0].y, 16) != slotOf(body[len(body)-1].y, 16)+1+spec.AttachmentBlankLines {
		t.Errorf("no blank line before the attachment note")
	}
	nameX := spec.TypeLeft + 5*spec.Cell
	for i := 1; i < 3; i++ {
		for j, l := range paraLines(lay, base+i) {
			if !near(l.glyphs[0].X, nameX) {
				t.Errorf("attachment %d line %d at %.2f, want %.2f", i, j, l.glyphs[0].X, nameX)
			}
		}
	}
	if len(paraLines(lay, base+1)) < 2 {
		t.Errorf("long attachment name did not wrap")
	}
}

func TestTables(t *testing.T) {
	tb := &report.Table{Caption: "表1 统计", Header: []string{"事项类别", "数量", "说明"}}
	for i := range 60 {
		tb.Rows = append(tb.Rows, []string{cjk(3 + i%5), fmt.Sprint(i * 37), cjk(i % 40)})
	}
	r := &report.Report{Title: "报告", Issuer: "某局", Year: 2023, Sections: []report.Section{{Path: "/sections/0",
		Level: 1, Number: "一、", Heading: "情况", Body: []report.Block{{Path: "/sections/0/body/0", Table: tb}}}}}
	doc := compose.Compose(r)
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	headerPara := 3 // title, heading, caption, header...
	if got := paraLines(lay, 2); len(got) != 1 || got[0].text() != "表1 统计" {
		t.Fatalf("caption %v", got)
	}
	cap := paraLines(lay, 2)[0].content()
	if mid := (cap[0].X + cap[len(cap)-1].X + float64(cap[len(cap)-1].W)) / 2; !near(mid, spec.TypeLeft+spec.TypeWidth/2) {
		t.Errorf("caption centred at %.2f", mid)
	}
	tablePages := map[int]bool{}
	for _, l := range lines(lay) {
		if l.para >= headerPara {
			tablePages[l.page] = true
		}
	}
	if len(tablePages) < 2 {
		t.Fatalf("table on %d pages", len(tablePages))
	}
	for pi := range tablePages {
		found := false
		for _, r := range lay.Pages[pi].Runs {
			if r.Para == headerPara && runText(r) == "事项类别" {
				found = true
				if pi > 0 && !r.Repeat {
					t.Errorf("page %d header not marked repeated", pi+1)
				}
				if pi > 0 && slotOf(r.Y, 16) != 0 {
					t.Errorf("page %d header at slot %d", pi+1, slotOf(r.Y, 16))
				}
			}
		}
		if !found {
			t.Errorf("page %d: no header row", pi+1)
		}
		if len(lay.Pages[pi].Rules) == 0 {
			t.Errorf("page %d: no rules", pi+1)
		}
		// Horizontal rules lie on grid-line boundaries; verticals span whole lines.
		for _, rl := range lay.Pages[pi].Rules {
			if rl.Y1 == rl.Y2 {
				k := (rl.Y1 - spec.TypeTop) / spec.LinePitch
				if d := k - float64(int(k+0.5)); (d > 0.01 || d < -0.01) && rl.Y1 > spec.TypeTop+1 {
					t.Errorf("rule at y %.2f not on the grid", rl.Y1)
				}
			}
		}
	}
	// Numeric cells are centred in their column; the table spans the type area.
	var xs []float64
	for _, rl := range lay.Pages[0].Rules {
		if rl.X1 == rl.X2 && !slices.Contains(xs, rl.X1) {
			xs = append(xs, rl.X1)
		}
	}
	slices.Sort(xs)
	if len(xs) != 4 || !near(xs[0], spec.TypeLeft+spec.TableRuleWidth/2) || !near(xs[3], spec.TypeRight-spec.TableRuleWidth/2) {
		t.Fatalf("column rules %v", xs)
	}
	numPara := headerPara + 3 + 1 // first row, second cell
	nl := paraLines(lay, numPara+3)[0].content()
	mid := (nl[0].X + nl[len(nl)-1].X + float64(nl[len(nl)-1].W)) / 2
	if !near(mid, (xs[1]+xs[2])/2) {
		t.Errorf("numeric cell centred at %.2f, column middle %.2f", mid, (xs[1]+xs[2])/2)
	}
	// A wide text column gets more room than the number column.
	if xs[3]-xs[2] < xs[2]-xs[1] {
		t.Errorf("columns not sized by content: %v", xs)
	}
}

func TestMissingGlyphs(t *testing.T) {
	doc := bodyDoc("甲乙丙€丁", "€€戊", "己庚")
	m := fakeMetrics{missing: map[rune]bool{'€': true, '庚': true}}
	_, err := Typeset(doc, m)
	var mg *MissingGlyphsError
	if !errors.As(err, &mg) {
		t.Fatalf("err = %v", err)
	}
	want := []MissingGlyph{{'€', "/preamble/0"}, {'€', "/preamble/1"}, {'庚', "/preamble/2"}}
	if !slices.Equal(mg.Missing, want) {
		t.Errorf("missing %v, want %v", mg.Missing, want)
	}
	if !strings.Contains(err.Error(), "U+20AC") {
		t.Errorf("message %q", err.Error())
	}
}

func TestGeneratedReports(t *testing.T) {
	for seed := range uint64(4) {
		doc := genDoc(1+int(seed%2), seed)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
	}
}

func TestDeterministic(t *testing.T) {
	a := mustSet(t, genDoc(1, 9))
	b := mustSet(t, genDoc(1, 9))
	if fmt.Sprintf("%v %v", a.Pages, a.Bookmarks) != fmt.Sprintf("%v %v", b.Pages, b.Bookmarks) {
		t.Errorf("two layouts of one document differ")
	}
}

// The attachment note (and the signature after it) never starts a page: it takes the
// last body lines with it, as the signature alone does.
func TestAttachmentsKeptWithBody(t *testing.T) {
	for before := 12; before <= 20; before++ {
		r := &report.Report{Title: "报告", Issuer: "某某局", Year: 2023, Date: &report.Date{Year: 2024, Month: 1, Day: 2},
			Attachments: []string{"统计表", "名单"}}
		sec := report.Section{Path: "/sections/0", Level: 1, Number: "一、", Heading: "情况"}
		for i := range before {
			sec.Body = append(sec.Body, report.Block{Path: fmt.Sprintf("/sections/0/body/%d", i), Paragraph: cjk(10)})
		}
		sec.Body = append(sec.Body, report.Block{Path: "/sections/0/body/x", Paragraph: cjk(26 + 10)})
		r.Sections = []report.Section{sec}
		doc := compose.Compose(r)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		n := len(doc.Text())
		att := paraLines(lay, n-4)[0]
		body := paraLines(lay, n-5)
		last := body[len(body)-1]
		if last.page != att.page {
			t.Errorf("before=%d: attachment note on page %d, last body line on %d", before, att.page+1, last.page+1)
		} else if slotOf(att.y, 16) != slotOf(last.y, 16)+1+spec.AttachmentBlankLines {
			t.Errorf("before=%d: attachment note at slot %d after body slot %d", before, slotOf(att.y, 16), slotOf(last.y, 16))
		}
	}
}

// TestReleaseReuses typesets a document into a released layout's memory: the new
// layout is the same as one typeset afresh, and the released one has no pages left
// for a writer to draw from.
func TestReleaseReuses(t *testing.T) {
	a, b := genDoc(1, 1), repeatBody(genDoc(2, 1), 2)
	kept, err := Typeset(a, fm) // never released: nothing may write over it
	if err != nil {
		t.Fatal(err)
	}
	first, err := Typeset(a, fm)
	if err != nil {
		t.Fatal(err)
	}
	first.Release()
	if first.Pages != nil || first.Bookmarks != nil {
		t.Error("a released layout keeps its pages")
	}
	first.Release() // a second release is harmless
	reused, err := Typeset(b, fm)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := Typeset(b, fm)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Typeset(a, fm)
	if err != nil {
		t.Fatal(err)
	}
	sameRuns(t, kept, again)
	sameRuns(t, reused, fresh)
}

func sameRuns(t *testing.T, reused, fresh *Layout) {
	t.Helper()
	if len(reused.Pages) != len(fresh.Pages) {
		t.Fatalf("%d pages, afresh %d", len(reused.Pages), len(fresh.Pages))
	}
	for pi := range fresh.Pages {
		rs, fs := reused.Pages[pi].Runs, fresh.Pages[pi].Runs
		if len(rs) != len(fs) {
			t.Fatalf("page %d: %d runs, afresh %d", pi+1, len(rs), len(fs))
		}
		for ri := range fs {
			r, f := rs[ri], fs[ri]
			if r.Font != f.Font || r.Size != f.Size || r.Y != f.Y || !slices.Equal(r.Glyphs, f.Glyphs) {
				t.Fatalf("page %d run %d differs from the one typeset afresh", pi+1, ri)
			}
		}
	}
}
