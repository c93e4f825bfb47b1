package pdf

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/typeset"
)

// The format's numbers, from the standard (GB/T 9704-2012 5.2.1, 7.1): a 156 mm type
// area 28 mm from the left edge, 28 characters a line; a justified line adds at most
// 1.5 cells of space (the format's loose-line rule). Literal here, never spec's.
const (
	looseTypeWidth = 156 / 25.4 * 72 // 442.20 pt
	looseTypeRight = (28 + 156) / 25.4 * 72
	looseCell      = looseTypeWidth / 28
	looseMax       = 1.5 * looseCell
)

// looseLine is one justified line as read back from the PDF.
type looseLine struct {
	page  int
	text  string
	space float64 // the line's width minus its glyphs' advances, in points
}

// justifiedLines measures every full justified line of body paragraphs and headings
// (every line but a paragraph's last and those ending at a forced break): the width
// from its first glyph to the type area's right edge minus the sum of its glyphs'
// advances (one cell for a full-width character of body text, the drawn advance for
// any other). Which paragraph a PDF line belongs to comes from the layout.
func justifiedLines(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) []looseLine {
	t.Helper()
	lines := linesOf(readStext(t, pdf))
	kinds := textKinds(doc)
	type key struct {
		page int
		y    float64
	}
	byKey := map[key]pdfLine{}
	for _, l := range lines {
		byKey[key{l.page, math.Round(l.y * 100)}] = l
	}
	type lineRef struct {
		k      key
		para   int
		breaks int
	}
	var order []lineRef
	seen := map[key]bool{}
	for pi, p := range lay.Pages {
		for _, r := range p.Runs {
			k := key{pi, math.Round(r.Y * 100)}
			if !seen[k] {
				seen[k] = true
				order = append(order, lineRef{k, r.Para, r.Breaks})
			}
		}
	}
	var out []looseLine
	for i, ref := range order {
		if ref.para < 0 || (kinds[ref.para] != compose.KindParagraph && kinds[ref.para] != compose.KindHeading) {
			continue
		}
		justified := false
		for _, next := range order[i+1:] {
			if next.para == ref.para {
				justified = next.breaks == 0
				break
			}
		}
		if !justified {
			continue
		}
		l, ok := byKey[ref.k]
		if !ok {
			t.Fatalf("page %d: line at %.2f not found in the PDF", ref.k.page+1, ref.k.y/100)
		}
		out = append(out, looseLine{page: l.page, text: l.text(), space: spaceLeft(l.chars)})
	}
	return out
}

// spaceLeft is the space a line leaves before the type area's right edge: from its
// first character, its characters (trailing spaces dropped) with every wide one in
// the body size taking a full cell.
func spaceLeft(chars []stextChar) float64 {
	for len(chars) > 1 && chars[len(chars)-1].C == ' ' {
		chars = chars[:len(chars)-1]
	}
	sum := 0.0
	for _, c := range chars {
		if wide(c.C) && c.Size == 16 {
			sum += looseCell
		} else {
			sum += c.W
		}
	}
	return looseTypeRight - chars[0].X - sum
}

// assertNoLooseLines fails on every justified line with more than 1.5 cells of
// space and logs the worst lines.
func assertNoLooseLines(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) {
	t.Helper()
	ls := justifiedLines(t, doc, lay, pdf)
	if len(ls) == 0 {
		t.Fatal("no justified line found: the test measures nothing")
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].space > ls[j].space })
	loose := 0
	for _, l := range ls {
		if l.space > looseMax+0.02 {
			loose++
			t.Errorf("page %d: loose line, %.2f cells of space: %q", l.page+1, l.space/looseCell, l.text)
		}
	}
	for _, l := range ls[:min(5, len(ls))] {
		t.Logf("worst: page %d, %+.2f cells: %q", l.page+1, l.space/looseCell, l.text)
	}
	t.Logf("%d justified lines, %d loose", len(ls), loose)
}

func TestNoLooseLinesExamples(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		t.Run(name, func(t *testing.T) {
			doc := exampleDoc(t, name)
			res, lay := render(t, doc)
			assertNoLooseLines(t, doc, lay, res.Bytes)
		})
	}
}

// denseReportJSON builds a report whose paragraphs are dense with what made loose
// lines: cited titles with year ranges, ranges in both dash forms, percentages and
// per-mille, URLs, digits and Latin words.
func denseReportJSON(rng *rand.Rand, paras int) []byte {
	dense := []string{
		"《福建省法治政府建设实施方案（2021-2025）》", "《福州市法治政府建设实施方案（2021-2025）》",
		"《法治政府建设实施纲要（2021—2025年）》", "《中华人民共和国行政复议法》", "《〈规定〉》",
		"（2021-2025）", "2021—2025年", "2021-2025年", "（2023—2024）", "10.88%", "0.5‰", "35％",
		"0.3个百分点", "98件", "12起（其中撤销3起）", "1,560人次", "第277号", "26℃",
		"https://www.fuzhou.gov.cn/zwgk/fzzfjs/2024/", "http://sfj.fuzhou.gov.cn/a-b_c/d.html",
		"GB/T 9704-2012", "Open Government Data", "PDF", "ISO 9001", "12345", "3.5",
	}
	words := []string{
		"依法行政", "行政执法", "规范性文件备案审查", "全面落实", "我局", "深入推进", "行政复议",
		"“三项制度”", "办理案件", "同比下降", "根据", "要求", "详见", "共计", "达到", "其中",
	}
	marks := []string{"，", "，", "；", "、", "：", "——", "……", "。"}
	// Clauses of words and dense items, each closed by a mark, as in a real report:
	// the dense items never touch each other ("20212025" is not text).
	para := func() string {
		var b strings.Builder
		for c := 4 + rng.Intn(8); c > 0; c-- {
			for k := 1 + rng.Intn(3); k > 0; k-- {
				b.WriteString(words[rng.Intn(len(words))])
				if rng.Intn(3) > 0 {
					b.WriteString(dense[rng.Intn(len(dense))])
				}
			}
			if c > 1 {
				b.WriteString(marks[rng.Intn(len(marks))])
			}
		}
		b.WriteString("。")
		return b.String()
	}
	var body []any
	for range paras {
		body = append(body, para())
	}
	r := map[string]any{
		"title": "福州市司法局2023年法治政府建设年度报告", "issuer": "福州市司法局", "year": 2023,
		"date": "2024-01-15",
		"sections": []any{
			map[string]any{"heading": "主要工作", "body": body[:paras/2]},
			map[string]any{"heading": "下一步工作", "body": body[paras/2:]},
		},
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return b
}

// paragraphLines returns the PDF lines of every body paragraph and heading without
// forced breaks, in order, by Document.Text index (which paragraph a line belongs to
// comes from the layout).
func paragraphLines(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) map[int][]pdfLine {
	t.Helper()
	kinds := textKinds(doc)
	byKey := map[[2]float64]pdfLine{}
	for _, l := range linesOf(readStext(t, pdf)) {
		byKey[[2]float64{float64(l.page), math.Round(l.y * 100)}] = l
	}
	out := map[int][]pdfLine{}
	forced := map[int]bool{}
	seen := map[[2]float64]bool{}
	for pi, p := range lay.Pages {
		for _, r := range p.Runs {
			if r.Para < 0 || (kinds[r.Para] != compose.KindParagraph && kinds[r.Para] != compose.KindHeading) {
				continue
			}
			forced[r.Para] = forced[r.Para] || r.Breaks > 0
			k := [2]float64{float64(pi), math.Round(r.Y * 100)}
			if l, ok := byKey[k]; ok && !seen[k] {
				seen[k] = true
				out[r.Para] = append(out[r.Para], l)
			}
		}
	}
	for p := range forced {
		if forced[p] {
			delete(out, p)
		}
	}
	return out
}

// The oracle's rules, literal from GB/T 15834-2011 (and the format's units and
// ranges). It may break only between two full-width characters or between a
// full-width and a half-width one, tightens a line by at most a tenth of a cell
// between full-width characters and one cell in all (a line of them only for a
// closing mark), and keeps full CJK lines whole as the format does: every line it
// sets the typesetter may set too, so the typesetter, searching more, never leaves
// more loose lines than the oracle's best.
const (
	oracleNoStart = "，。、；：？！）》」』】〕〉”’…" + ",.;:?!)]}％%‰℃"
	oracleNoEnd   = "（《「『【〔〈“‘([{<" + "－＋±￥"
)

func oracleBreak(prev, next rune, prev2, next2 rune) bool {
	switch {
	case !wide(prev) && !wide(next), prev == ' ', next == ' ':
		return false
	case strings.ContainsRune(oracleNoStart, next), strings.ContainsRune(oracleNoEnd, prev):
		return false
	case prev == next && (prev == '—' || prev == '…'):
		return false
	case next == '—' && prev >= '0' && prev <= '9', prev == '—' && next >= '0' && next <= '9' && prev2 >= '0' && prev2 <= '9':
		return false // a range 2021—2025
	}
	return true
}

// minLoose is the fewest loose justified lines any choice of the oracle's breaks
// gives a paragraph of these characters (its first line starting at firstX); ok is
// false when the oracle finds no choice at all.
func minLoose(cs []stextChar, firstX, spaceW float64) (int, bool) {
	n := len(cs)
	w := make([]float64, n)
	pre := make([]float64, n+1)
	wideAll := make([]int, n+1) // prefix count of characters that are not full-width
	for i, c := range cs {
		switch {
		case c.C == ' ':
			w[i] = spaceW
		case wide(c.C) && c.Size == 16:
			w[i] = looseCell
		default:
			w[i] = c.W
		}
		pre[i+1] = pre[i] + w[i]
		wideAll[i+1] = wideAll[i]
		if !wide(c.C) {
			wideAll[i+1]++
		}
	}
	legal := make([]bool, n+1)
	legal[n] = true
	for k := 1; k < n; k++ {
		var p2, n2 rune
		if k >= 2 {
			p2 = cs[k-2].C
		}
		if k+1 < n {
			n2 = cs[k+1].C
		}
		legal[k] = oracleBreak(cs[k-1].C, cs[k].C, p2, n2)
	}
	next := make([]int, n+1) // the first legal break after k
	next[n] = n
	for k := n - 1; k >= 0; k-- {
		next[k] = next[k+1]
		if legal[k+1] {
			next[k] = k + 1
		}
	}
	const inf = 1 << 30
	best := make([]int, n+1)
	for i := range best {
		best[i] = inf
	}
	best[0] = 0
	for i := 0; i < n; i++ {
		if best[i] == inf || (i > 0 && !legal[i]) {
			continue
		}
		width := looseTypeWidth
		if i == 0 {
			width = looseTypeRight - firstX
		}
		for k := i + 1; k <= n; k++ {
			if !legal[k] {
				continue
			}
			slack := width - (pre[k] - pre[i])
			if slack < -looseCell-0.01 {
				break
			}
			if slack < -0.01 {
				wides := (k - i) - (wideAll[k] - wideAll[i])
				if -slack > 0.1*looseCell*float64(wides-1)+0.01 ||
					(wideAll[k]-wideAll[i] == 0 && !strings.ContainsRune("，。、；：？！）》」』】〕〉”’…", cs[k-1].C)) {
					continue
				}
			}
			cost := 0
			if k < n {
				if wideAll[k]-wideAll[i] == 0 && slack > 0.01 && width-(pre[next[k]]-pre[i]) >= -0.01 {
					continue // a full CJK line keeps its cells unless what follows cannot fit
				}
				if slack > looseMax+0.02 {
					cost = 1
				}
			}
			best[k] = min(best[k], best[i]+cost)
		}
	}
	return best[n], best[n] < inf
}

// assertLooseAtMostOracle checks every paragraph: the typesetter's loose lines are no
// more than the oracle's fewest; it returns the loose lines no choice avoids.
func assertLooseAtMostOracle(t *testing.T, doc *compose.Document, lay *typeset.Layout, pdf []byte) int {
	t.Helper()
	pages := readStext(t, pdf)
	spaceW := 0.0
	for _, p := range pages {
		for _, c := range p {
			if c.C == ' ' && c.Size == 16 {
				spaceW = max(spaceW, c.W)
			}
		}
	}
	unavoidable, checked := 0, 0
	paras := paragraphLines(t, doc, lay, pdf)
	for _, p := range slices.Sorted(maps.Keys(paras)) {
		ls := paras[p]
		var cs []stextChar
		loose := 0
		for i, l := range ls {
			if i < len(ls)-1 && spaceLeft(l.chars) > looseMax+0.02 {
				loose++
			}
			cs = append(cs, l.chars...)
		}
		best, ok := minLoose(cs, ls[0].chars[0].X, spaceW)
		if !ok {
			continue
		}
		checked++
		if loose > best {
			t.Errorf("paragraph %d: %d loose lines where a search over plain breaks has %d:", p, loose, best)
			for _, l := range ls {
				t.Logf("  %q", l.text())
			}
		}
		unavoidable += min(loose, best)
	}
	if checked == 0 {
		t.Fatal("the oracle checked no paragraph")
	}
	return unavoidable
}

func TestNoLooseLinesDense(t *testing.T) {
	rng := rand.New(rand.NewSource(9704))
	for i := range 3 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			data := denseReportJSON(rng, 16)
			doc := docFromJSON(t, data)
			res, lay := render(t, doc)
			checkDocument(t, doc, lay, res.Bytes)
			ls := justifiedLines(t, doc, lay, res.Bytes)
			sort.SliceStable(ls, func(i, j int) bool { return ls[i].space > ls[j].space })
			loose := 0
			for _, l := range ls {
				if l.space > looseMax+0.02 {
					loose++
				}
			}
			for _, l := range ls[:min(5, len(ls))] {
				t.Logf("worst: page %d, %+.2f cells: %q", l.page+1, l.space/looseCell, l.text)
			}
			unavoidable := assertLooseAtMostOracle(t, doc, lay, res.Bytes)
			t.Logf("%d justified lines, %d loose, no choice of plain breaks avoids %d", len(ls), loose, unavoidable)
			// Every loose line is one the oracle cannot avoid either.
			if loose != unavoidable {
				t.Errorf("%d loose lines, %d of them shown unavoidable", loose, unavoidable)
			}
		})
	}
	// The issue's paragraph: cited titles with their ranges in a row; no loose line.
	issue := "根据《福建省法治政府建设实施方案（2021-2025）》《福州市法治政府建设实施方案（2021-2025）》" +
		"《福州市司法局法治政府建设规划（2021—2025年）》要求，全年办理行政复议案件98件，" +
		"纠正违法或不当行政行为12起（其中撤销3起）；行政诉讼败诉率0.5‰，同比下降10.88%。" +
		"详见https://www.fuzhou.gov.cn/zwgk/fzzfjs/2024/index.html，GB/T 9704-2012 Open Data。"
	data, _ := json.Marshal(map[string]any{"title": "福州市司法局2023年法治政府建设年度报告", "issuer": "福州市司法局",
		"year": 2023, "date": "2024-01-15", "sections": []any{map[string]any{"heading": "主要工作",
			"body": []any{issue, issue[len("根据"):], "全年" + issue}}}})
	doc := docFromJSON(t, data)
	res, lay := render(t, doc)
	assertNoLooseLines(t, doc, lay, res.Bytes)
	assertLooseAtMostOracle(t, doc, lay, res.Bytes)
	checkDocument(t, doc, lay, res.Bytes)
}
