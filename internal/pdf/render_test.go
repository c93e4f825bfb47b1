package pdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/typeset"
)

// Documents are built from report JSON with report.Parse and compose.Compose, never
// from anything the renderer produced.
func docFromJSON(t testing.TB, data []byte) *compose.Document {
	t.Helper()
	r, _, err := report.Parse(data)
	if err != nil {
		t.Fatalf("parse report: %v", err)
	}
	return compose.Compose(r)
}

func exampleDoc(t testing.TB, name string) *compose.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return docFromJSON(t, data)
}

func defaultFonts(t testing.TB) *fonts.Set {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	return set
}

// render renders doc and also returns the typesetter's layout, used only to know
// which paragraph a printed line belongs to.
func render(t testing.TB, doc *compose.Document) (*Result, *typeset.Layout) {
	t.Helper()
	set := defaultFonts(t)
	res, err := Render(doc, set)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	lay, err := typeset.Typeset(doc, set)
	if err != nil {
		t.Fatalf("typeset: %v", err)
	}
	if res.Pages != len(lay.Pages) {
		t.Fatalf("Result.Pages = %d, layout has %d", res.Pages, len(lay.Pages))
	}
	return res, lay
}

func TestRenderExamples(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		t.Run(name, func(t *testing.T) {
			doc := exampleDoc(t, name)
			res, lay := render(t, doc)
			t.Logf("%s: %d pages, %d bytes", name, res.Pages, len(res.Bytes))
			checkDocument(t, doc, lay, res.Bytes)
			// The information dictionary comes from the report: title, issuer, subject.
			info := pdfInfo(t, res.Bytes)
			for k, v := range map[string]string{"Title": doc.Title, "Author": doc.Author, "Subject": doc.Subject,
				"Creator": "Gongwen", "Pages": strconv.Itoa(res.Pages)} {
				if v == "" || info[k] != v {
					t.Errorf("info %s = %q, want %q", k, info[k], v)
				}
			}
			again, err := Render(exampleDoc(t, name), defaultFonts(t))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Bytes, again.Bytes) {
				t.Error("two renders of the same report differ")
			}
		})
	}
}

// checkDocument is every check a rendered report must pass.
func checkDocument(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) {
	t.Helper()
	qpdfCheck(t, pdf)
	assertFontsEmbedded(t, pdf)
	// The glyphs read back from the PDF are exactly the layout's: same characters,
	// fonts, sizes and positions, nothing more or less.
	assertGlyphs(t, lay, pdf)
	assertParagraphs(t, doc, lay)
	assertReadingText(t, doc, lay, pdf)
	assertGeometry(t, doc, lay, readStext(t, pdf))
	assertOutline(t, doc, pdf)
}

// assertOutline compares the PDF's bookmarks with the document's numbered headings.
func assertOutline(t *testing.T, doc *compose.Document, pdf []byte) {
	t.Helper()
	var want []string
	for _, b := range doc.Blocks {
		if b.Bookmark != "" {
			want = append(want, b.Bookmark)
		}
	}
	var got []string
	for _, l := range outline(t, pdf) {
		// mutool: open flag, a tab per level, "title", tab, link
		if i, j := strings.IndexByte(l, '"'), strings.LastIndexByte(l, '"'); i >= 0 && j > i {
			got = append(got, l[i+1:j])
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("outline:\n got %q\nwant %q", got, want)
	}
}

func assertFontsEmbedded(t *testing.T, pdf []byte) {
	t.Helper()
	for _, r := range pdfFonts(t, pdf) {
		n := len(r)
		if n < 6 || r[n-5] != "yes" || r[n-4] != "yes" || r[n-3] != "yes" {
			t.Errorf("pdffonts: font not embedded as a subset with ToUnicode: %q", r)
		}
	}
}

// assertParagraphs rebuilds every printed paragraph from the drawn glyphs, in order,
// and compares it with Document.Text: line wraps are the only thing removed.
func assertParagraphs(t *testing.T, doc *compose.Document, lay *typeset.Layout) {
	t.Helper()
	want := doc.Text()
	got := make([]strings.Builder, len(want))
	for _, p := range lay.Pages {
		for _, r := range p.Runs {
			if r.Para < 0 || r.Repeat { // a table header repeated on a later page
				continue
			}
			if r.Para >= len(want) {
				t.Fatalf("run of paragraph %d, document has %d", r.Para, len(want))
			}
			got[r.Para].WriteString(strings.Repeat("\n", r.Breaks))
			for _, g := range r.Glyphs {
				got[r.Para].WriteRune(g.R)
			}
		}
	}
	for i := range want {
		if g := got[i].String(); g != want[i] {
			t.Errorf("printed paragraph %d:\n got %q\nwant %q", i, g, want[i])
		}
	}
}

var pageNumberRE = regexp.MustCompile(`(?m)^\s*—\s*\d+\s*—\s*$`) // a line of its own: "—2021—" in the text is not one

// assertReadingText compares what a reader copying the text gets (pdftotext, in
// content order, page numbers removed) with the document's text, white space aside.
// A table header repeated on a later page is read there again (the writer does not
// hide it from extraction), so it is expected again where the layout repeats it.
func assertReadingText(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) {
	t.Helper()
	var got strings.Builder
	for _, p := range pdfText(t, pdf) {
		got.WriteString(pageNumberRE.ReplaceAllString(p, ""))
	}
	text := doc.Text()
	var wb strings.Builder
	next := 0 // the next paragraph to write out
	for _, p := range lay.Pages {
		for _, r := range p.Runs {
			switch {
			case r.Repeat:
				for _, g := range r.Glyphs {
					wb.WriteRune(g.R)
				}
			case r.Para >= next:
				for ; next <= r.Para && next < len(text); next++ {
					wb.WriteString(text[next])
				}
			}
		}
	}
	for ; next < len(text); next++ {
		wb.WriteString(text[next])
	}
	want := stripSpace(wb.String())
	if g := stripSpace(got.String()); g != want {
		i := 0
		for i < len(g) && i < len(want) && g[i] == want[i] {
			i++
		}
		lo := max(0, i-60)
		t.Errorf("pdftotext differs from the document's text at byte %d:\n got …%q\nwant …%q", i, g[lo:min(len(g), i+60)], want[lo:min(len(want), i+60)])
	}
}

// wide reports whether r takes a full cell (CJK ideographs and full-width marks).
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		strings.ContainsRune("“”‘’—…·‰℃", r)
}

type pdfLine struct {
	page  int
	y     float64
	size  float64
	chars []stextChar
}

func (l pdfLine) left() float64 { return l.chars[0].X }

// right is the end of the line's last visible glyph: a full-width glyph takes one
// cell (its 16 pt box overhangs the cell by the tracking), others their advance.
func (l pdfLine) right() float64 {
	cs := l.chars
	for len(cs) > 1 && cs[len(cs)-1].C == ' ' {
		cs = cs[:len(cs)-1]
	}
	c := cs[len(cs)-1]
	w := c.W
	if wide(c.C) && c.Size == spec.BodySize {
		w = spec.Cell
	}
	return c.X + w
}

func (l pdfLine) text() string { return charString(l.chars) }

func linesOf(pages [][]stextChar) []pdfLine {
	var out []pdfLine
	for pi, cs := range pages {
		cs = slices.Clone(cs)
		sortChars(cs)
		for _, c := range cs {
			if n := len(out); n > 0 && out[n-1].page == pi && math.Abs(out[n-1].y-c.Y) < 0.05 {
				out[n-1].chars = append(out[n-1].chars, c)
				continue
			}
			out = append(out, pdfLine{page: pi, y: c.Y, size: c.Size, chars: []stextChar{c}})
		}
	}
	return out
}

// kinsokuMoved reports whether a line starting with cs shows that the line before
// had to give up its last character: cs opens with opening punctuation, with a
// character followed by closing punctuation, or with a —— or …… pair.
func kinsokuMoved(cs []stextChar) bool {
	if len(cs) == 0 {
		return false
	}
	if strings.ContainsRune(spec.NoLineEnd+"—…", cs[0].C) {
		return true
	}
	return len(cs) > 1 && strings.ContainsRune(spec.NoLineStart+"—…", cs[1].C)
}

// marksTightened reports two adjacent marks set closer than a cell: one's blank half
// gave way (the format allows up to one cell a line).
func marksTightened(cs []stextChar) bool {
	for k := 1; k < len(cs); k++ {
		if cs[k].X-cs[k-1].X < spec.Cell/2+geomTol+0.1*spec.Cell && strings.ContainsRune("，。、）》」』】〕〉”’（《「『【〔〈“‘；：？！", cs[k].C) &&
			strings.ContainsRune("，。、）》」』】〕〉”’（《「『【〔〈“‘；：？！", cs[k-1].C) {
			return true
		}
	}
	return false
}

// textKinds gives the block kind of every Document.Text entry, and whether it is a
// table cell.
func textKinds(doc *compose.Document) []compose.Kind {
	var out []compose.Kind
	for _, b := range doc.Blocks {
		n := 1
		switch b.Kind {
		case compose.KindTable:
			n = len(b.Table.Header) + len(b.Table.Rows)*len(b.Table.Header)
			if b.Table.Caption != "" {
				n++
			}
		case compose.KindAttachments:
			n = len(b.Items)
		case compose.KindSignature:
			n = 2
		}
		for range n {
			out = append(out, b.Kind)
		}
	}
	return out
}

const geomTol = 0.02

// assertGeometry measures the glyphs read back from the PDF against the format.
func assertGeometry(t *testing.T, doc *compose.Document, lay *typeset.Layout, pages [][]stextChar) {
	t.Helper()
	lines := linesOf(pages)
	bodyLines := make([]map[int]bool, len(pages))
	for i := range bodyLines {
		bodyLines[i] = map[int]bool{}
	}
	for li, l := range lines {
		where := fmt.Sprintf("page %d line at %.2f %q", l.page+1, l.y, l.text())
		if math.Abs(l.y-spec.PageNumberBaseline()) < geomTol {
			// The page number: "— N —", 14 pt, odd pages one cell in from the right
			// edge, even pages one cell in from the left.
			n := lay.Pages[l.page].Number
			if n != l.page+1 {
				t.Errorf("page %d numbered %d", l.page+1, n)
			}
			if got, want := stripSpace(l.text()), stripSpace(spec.PageNumberText(n)); got != want {
				t.Errorf("%s: page number %q, want %q", where, got, want)
			}
			for _, c := range l.chars {
				if c.Size != spec.PageNumberSize || c.Font != psName[spec.RoleFace(spec.RoleSong)] {
					t.Errorf("%s: page number in %s %g", where, c.Font, c.Size)
				}
			}
			if n%2 == 1 {
				if r := l.right(); math.Abs(r-(spec.TypeRight-spec.Cell)) > geomTol {
					t.Errorf("%s: odd page number ends at %.2f, want %.2f", where, r, spec.TypeRight-spec.Cell)
				}
			} else if math.Abs(l.left()-(spec.TypeLeft+spec.Cell)) > geomTol {
				t.Errorf("%s: even page number starts at %.2f, want %.2f", where, l.left(), spec.TypeLeft+spec.Cell)
			}
			continue
		}
		// Everything else inside the type area, on the line grid.
		if l.left() < spec.TypeLeft-geomTol || l.right() > spec.TypeRight+geomTol {
			t.Errorf("%s: spans %.2f..%.2f, outside the type area %.2f..%.2f", where, l.left(), l.right(), spec.TypeLeft, spec.TypeRight)
		}
		top, bottom := l.y-spec.EmAscent*l.size, l.y+(1-spec.EmAscent)*l.size
		if top < spec.TypeTop-geomTol || bottom > spec.TypeBottom+geomTol {
			t.Errorf("%s: em box %.2f..%.2f outside the type area %.2f..%.2f", where, top, bottom, spec.TypeTop, spec.TypeBottom)
		}
		slot := (l.y - spec.TypeTop - spec.BaselineOffset(l.size)) / spec.LinePitch
		if math.Abs(slot-math.Round(slot)) > geomTol/spec.LinePitch*2 || slot < -geomTol || math.Round(slot) >= spec.GridLines {
			t.Errorf("%s: baseline off the %g pt grid (slot %.4f)", where, spec.LinePitch, slot)
		}
		bodyLines[l.page][int(math.Round(slot))] = true
		for _, c := range l.chars {
			if c.Size != l.size {
				t.Errorf("%s: mixed sizes %g and %g", where, c.Size, l.size)
			}
		}
		// A full line of CJK body text: 28 glyphs, one per cell, flush at both edges
		// (27 spread out when a 禁则 rule moved a character to the next line, fewer
		// when the next line starts with a Latin word or URL that did not fit, 29
		// when closing punctuation was squeezed in).
		allWide := l.size == spec.BodySize
		for _, c := range l.chars {
			allWide = allWide && wide(c.C)
		}
		if allWide && math.Abs(l.right()-spec.TypeRight) < geomTol && math.Abs(l.left()-spec.TypeLeft) < geomTol {
			n := len(l.chars)
			// The next text line, on this page or the next (not the page number).
			var next []stextChar
			for _, l2 := range lines[li+1:] {
				if math.Abs(l2.y-spec.PageNumberBaseline()) >= geomTol {
					next = l2.chars
					break
				}
			}
			switch {
			case n == spec.GridChars:
				for i, c := range l.chars {
					if x := spec.TypeLeft + float64(i)*spec.Cell; math.Abs(c.X-x) > geomTol {
						t.Errorf("%s: glyph %d at %.2f, not on its cell at %.2f", where, i, c.X, x)
						break
					}
				}
			case n < spec.GridChars && next != nil && !wide(next[0].C):
				// spread out because an unbreakable Latin word or URL did not fit
			case n < spec.GridChars && len(next) > 1 && strings.ContainsRune(spec.NoLineEnd, next[0].C) && !wide(next[1].C):
				// an opening mark went down with the number or word after it: "（2021-2025）"
			case n == spec.GridChars-1 && next != nil && kinsokuMoved(next):
			case n == spec.GridChars+1 && strings.ContainsRune(spec.NoLineStart, l.chars[n-1].C):
			case n == spec.GridChars+1 && marksTightened(l.chars):
				// a 29th character made room for by tightening adjacent marks
			default:
				t.Errorf("%s: full CJK line of %d glyphs, want %d", where, n, spec.GridChars)
			}
		}
	}
	for pi, slots := range bodyLines {
		if len(slots) > spec.GridLines {
			t.Errorf("page %d: %d lines, at most %d", pi+1, len(slots), spec.GridLines)
		}
	}

	// Justification: every line of a body paragraph but its last ends flush at the
	// type area's right edge. Lines come from the PDF; which paragraph a line belongs
	// to comes from the layout (Run.Para).
	kinds := textKinds(doc)
	type key struct {
		page int
		y    float64
	}
	paraOf := map[key]int{}
	breaksOf := map[key]int{} // forced breaks before the line
	var order []key
	for pi, p := range lay.Pages {
		for _, r := range p.Runs {
			k := key{pi, math.Round(r.Y * 100)}
			if _, ok := paraOf[k]; !ok {
				order = append(order, k)
				paraOf[k] = r.Para
				breaksOf[k] = r.Breaks
			}
		}
	}
	byKey := map[key]pdfLine{}
	for _, l := range lines {
		byKey[key{l.page, math.Round(l.y * 100)}] = l
	}
	for i, k := range order {
		p := paraOf[k]
		if p < 0 || (kinds[p] != compose.KindParagraph && kinds[p] != compose.KindHeading) {
			continue
		}
		last, forced := true, false
		for _, k2 := range order[i+1:] {
			if paraOf[k2] == p {
				last, forced = false, breaksOf[k2] > 0
				break
			}
		}
		l, ok := byKey[k]
		if !ok {
			t.Errorf("page %d: line at %.2f not found in the PDF", k.page+1, k.y/100)
			continue
		}
		// A line ending in a forced break is not justified.
		if !last && !forced && math.Abs(l.right()-spec.TypeRight) > 0.05 {
			t.Errorf("page %d line %q: ends at %.2f, not flush with %.2f", k.page+1, l.text(), l.right(), spec.TypeRight)
		}
	}

	// The title: 22 pt, title font, each line centred in the type area.
	for _, l := range lines {
		if l.page != 0 || l.size != spec.TitleSize {
			continue
		}
		if l.chars[0].Font != psName[spec.RoleFace(spec.RoleTitle)] {
			t.Errorf("title line %q in %s", l.text(), l.chars[0].Font)
		}
		c := l.chars[len(l.chars)-1]
		mid := (l.left() + c.X + c.W) / 2
		if math.Abs(mid-(spec.TypeLeft+spec.TypeRight)/2) > 0.1 {
			t.Errorf("title line %q centred at %.2f, want %.2f", l.text(), mid, (spec.TypeLeft+spec.TypeRight)/2)
		}
	}
}

// genReportJSON builds a random valid report: long URLs, runs of punctuation, numbers,
// Latin, dates, tables, run-in headings, forced breaks, attachments.
func genReportJSON(rng *rand.Rand, paras int) []byte {
	pieces := []string{
		"法治政府建设", "依法行政", "行政执法", "规范性文件", "全面落实", "政务公开",
		"。”）", "——", "……", "《〈规定〉》", "（试行）", "“三项制度”", "；", "，", "、", "：",
		"2023年", "10.88%", "1,560人次", "2024-01-15", "第277号", "ISO 9001", "Open Data", "PDF/A",
		"https://www.wuchuan.gov.cn/kgmj/gkmlpt/content/2/2851/post_2851234.html?id=7&lang=zh_CN",
		"http://example.gov.cn/a-b_c/d.e", "我局", "工作", "情况", "报告如下", "同比增长", "12", "3.5", "A", "x",
	}
	para := func() string {
		var b strings.Builder
		n := 3 + rng.Intn(25)
		for i := 0; i < n; i++ {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		b.WriteString("。")
		return b.String()
	}
	var sections []any
	for s := 0; s < 1+rng.Intn(3); s++ {
		var body []any
		for p := 0; p < 1+paras/3; p++ {
			body = append(body, para())
		}
		if rng.Intn(2) == 0 {
			rows := [][]string{}
			for r := 0; r < 1+rng.Intn(4); r++ {
				rows = append(rows, []string{pieces[rng.Intn(len(pieces))], fmt.Sprint(rng.Intn(1000)), fmt.Sprintf("%.2f%%", rng.Float64()*100)})
			}
			body = append(body, map[string]any{"table": map[string]any{
				"caption": "表" + fmt.Sprint(s+1) + " 统计", "header": []string{"项目", "数量", "占比"}, "rows": rows}})
		}
		sub := []any{
			map[string]any{"heading": "健全机制。", "runIn": true, "body": []any{para()}},
			map[string]any{"heading": "规范执法", "body": []any{para() + "\n" + para()}},
		}
		sections = append(sections, map[string]any{"heading": "主要工作" + pieces[rng.Intn(6)], "body": body, "sections": sub})
	}
	r := map[string]any{
		"title":       "测试市司法局" + fmt.Sprint(2000+rng.Intn(30)) + "年法治政府建设年度报告",
		"issuer":      "测试市司法局",
		"year":        2023,
		"date":        "2024-01-15",
		"addressee":   "市委、市政府：",
		"preamble":    []any{para()},
		"sections":    sections,
		"attachments": []string{"统计表", "名单"},
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

// TestRenderGenerated is the property test: random valid reports render, with every
// character printed exactly once, in order, on the grid.
func TestRenderGenerated(t *testing.T) {
	rng := rand.New(rand.NewSource(15834))
	n := 4
	if testing.Short() {
		n = 1
	}
	for i := 0; i < n; i++ {
		data := genReportJSON(rng, 3+rng.Intn(8))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			doc := docFromJSON(t, data)
			res, lay := render(t, doc)
			checkDocument(t, doc, lay, res.Bytes)
		})
	}
}

// FuzzRender: any report that passes validation renders without panic, and its
// every paragraph is printed exactly.
func FuzzRender(f *testing.F) {
	f.Add("根据《条例》规定——详见https://a.gov.cn/x_y?z=1……（一）", "表", "10.88%")
	f.Add("Open Data 2.0 (beta)。”）", "", "2024-01-15")
	set, err := fonts.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, para, cell, heading string) {
		in := map[string]any{
			"title": "测试报告", "issuer": "测试局", "year": 2023, "date": "2024-01-15",
			"sections": []any{map[string]any{"heading": "工作" + heading, "body": []any{
				para, map[string]any{"table": map[string]any{"header": []string{"甲", "乙"}, "rows": [][]string{{cell, para}}}}}}},
		}
		if len(heading)%2 == 1 {
			// The document form, its text from the fuzzer too.
			in["document"] = map[string]any{"organ": "测试局" + heading, "number": "测〔2024〕1号",
				"signers": []string{"甲" + cell}, "cc": []string{"乙" + heading, cell + "丙"}, "printer": "测试局", "printDate": "2024-01-16"}
			in["note"] = "注" + cell
			in["attachments"] = []any{map[string]any{"title": "附件" + heading, "body": []any{para}}}
		}
		data, _ := json.Marshal(in)
		r, _, err := report.Parse(data)
		if err != nil {
			return // invalid input is the validator's business
		}
		doc := compose.Compose(r)
		res, err := Render(doc, set)
		if err != nil {
			var mg *typeset.MissingGlyphsError
			if !errors.As(err, &mg) {
				t.Fatalf("render: %v", err)
			}
			return
		}
		lay, _ := typeset.Typeset(doc, set)
		if res.Pages != len(lay.Pages) {
			t.Fatalf("pages %d vs %d", res.Pages, len(lay.Pages))
		}
		assertParagraphs(t, doc, lay)
	})
}
