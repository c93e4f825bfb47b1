package typeset

import (
	"strings"
	"testing"

	"gongwen/internal/spec"
)

// In bodyDoc, Document.Text() entry 0 is the title, entry i the i-th paragraph.

func TestPureCJKLinesSitOnCells(t *testing.T) {
	for _, n := range []int{26, 27, 26 + 28, 26 + 28*3 + 10, 500} {
		doc := bodyDoc(cjk(n))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		for i, l := range ls {
			start := 0
			if i == 0 {
				start = spec.IndentCells
			}
			last := i == len(ls)-1
			if !last && len(l.glyphs) != spec.GridChars-start {
				t.Errorf("n=%d line %d: %d glyphs, want %d", n, i, len(l.glyphs), spec.GridChars-start)
			}
			for k, g := range l.glyphs {
				want := spec.TypeLeft + float64(start+k)*spec.Cell
				if !near(g.X, want) || !near(float64(g.W), spec.Cell) {
					t.Errorf("n=%d line %d glyph %d at %.3f w %.3f, want %.3f w %.3f", n, i, k, g.X, float64(g.W), want, spec.Cell)
				}
			}
			if !last {
				g := l.glyphs[len(l.glyphs)-1]
				if !near(g.X+float64(g.W), spec.TypeRight) {
					t.Errorf("n=%d line %d right edge %.3f, want %.3f", n, i, g.X+float64(g.W), spec.TypeRight)
				}
			}
		}
	}
}

func TestJustification(t *testing.T) {
	cases := []string{
		strings.Repeat("全年办结率达到10.88%，较上年提高2.5个百分点，GB/T 9704-2012 applies here；", 6),
		strings.Repeat("Latin words mixed with 中文 text and 2024-01-15 dates 以及2021-2025年规划。", 5),
		wuchuanParas[0], wuchuanParas[5],
	}
	for ci, text := range cases {
		doc := bodyDoc(text)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		if len(ls) < 3 {
			t.Fatalf("case %d: %d lines", ci, len(ls))
		}
		for i, l := range ls {
			c := l.content()
			left := spec.TypeLeft
			if i == 0 {
				left += spec.IndentCells * spec.Cell
			}
			if !near(c[0].X, left) {
				t.Errorf("case %d line %d starts at %.3f, want %.3f", ci, i, c[0].X, left)
			}
			end := c[len(c)-1].X + float64(c[len(c)-1].W)
			if i < len(ls)-1 {
				if !near(end, spec.TypeRight) {
					t.Errorf("case %d line %d %q ends at %.3f, want %.3f", ci, i, l.text(), end, spec.TypeRight)
				}
				continue
			}
			// The last line is set at natural width: each glyph follows the previous.
			for k := 1; k < len(c); k++ {
				if !near(c[k].X, c[k-1].X+float64(c[k-1].W)) {
					t.Errorf("case %d last line justified: glyph %d at %.3f after %.3f+%.3f", ci, k, c[k].X, c[k-1].X, float64(c[k-1].W))
					break
				}
			}
		}
	}
}

// Justification never spreads the letters of a word or the digits of a number.
func TestWordsKeepNaturalSpacing(t *testing.T) {
	doc := bodyDoc(strings.Repeat("比例为10.88%，日期2024-01-15，范围2021-2025年，Lambda函数；", 8))
	lay := mustSet(t, doc)
	for _, l := range paraLines(lay, 1) {
		c := l.content()
		for k := 1; k < len(c); k++ {
			a, b := c[k-1], c[k]
			if halfWord(a.R) && halfWord(b.R) && !near(b.X, a.X+float64(a.W)) {
				t.Errorf("word spread: %q %q at %.3f, %.3f in %q", a.R, b.R, a.X, b.X, l.text())
			}
		}
	}
}

func halfWord(r rune) bool { return r < 0x2000 && r != ' ' }

func TestKinsoku(t *testing.T) {
	cases := []struct {
		name, text string
		unsplit    []string // must appear whole on one line
	}{
		{"period at line start", cjk(26) + "。" + cjk(40), nil},
		{"close quote after period", cjk(25) + "“" + cjk(1) + "。”" + cjk(30), []string{"。”"}},
		{"open book title at line end", cjk(25) + "《" + cjk(6) + "》" + cjk(30), nil},
		{"open paren at line end", cjk(25) + "（" + cjk(4) + "）" + cjk(30), nil},
		{"dash pair across the edge", cjk(25) + "——" + cjk(40), []string{"——"}},
		{"ellipsis across the edge", cjk(25) + "……" + cjk(40), []string{"……"}},
		{"ellipsis at line start", cjk(26) + "……" + cjk(40), []string{"……"}},
		{"date across the edge", cjk(24) + "2024-01-15" + cjk(40), []string{"2024-01-15"}},
		{"percent across the edge", cjk(24) + "10.88%" + cjk(40), []string{"10.88%"}},
		{"range across the edge", cjk(21) + "（2021-2025年）" + cjk(40), []string{"2021-2025"}},
		{"full-width percent", cjk(25) + "35％" + cjk(40), []string{"35％"}},
		{"punctuation run", cjk(24) + "。”）》，" + cjk(40), nil},
		{"all closing", strings.Repeat("。", 80), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := bodyDoc(c.text)
			lay := mustSet(t, doc)
			// The all-closing case has no legal break: it may break against the
			// rules, but nothing else may give.
			checkInvariants(t, doc, lay, c.name != "all closing")
			ls := paraLines(lay, 1)
			for _, u := range c.unsplit {
				found := false
				for _, l := range ls {
					if strings.Contains(l.text(), u) {
						found = true
					}
				}
				if !found {
					t.Errorf("%q split across lines", u)
				}
			}
			for i, l := range ls[:len(ls)-1] {
				c := l.content()
				end := c[len(c)-1].X + float64(c[len(c)-1].W)
				if !near(end, spec.TypeRight) {
					t.Errorf("line %d %q ends at %.3f", i, l.text(), end)
				}
				// Tightened by at most one cell: no more than one extra cell of glyphs.
				w := 0.0
				for _, g := range c {
					w += float64(g.W)
				}
				avail := spec.TypeWidth
				if i == 0 {
					avail -= spec.IndentCells * spec.Cell
				}
				if w > avail+spec.Cell+tol {
					t.Errorf("line %d squeezed by %.2f pt > one cell", i, w-avail)
				}
			}
		})
	}
}

func TestLongURLBreaksOnlyAtMarks(t *testing.T) {
	url := "https://www.wuchuan.gov.cn/kgmj/gkmlpt/content/2/2851/post_2851234_detail-view.html?from=search&id=1234567890&lang=zh_CN"
	doc := bodyDoc("详见" + url + "公开内容。")
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	ls := paraLines(lay, 1)
	if len(ls) < 2 {
		t.Fatalf("URL not broken: %d lines", len(ls))
	}
	for i := 0; i < len(ls)-1; i++ {
		c := ls[i].content()
		last := c[len(c)-1].R
		next := ls[i+1].glyphs[0].R
		if halfWord(last) && halfWord(next) && !strings.ContainsRune("/.-_?&=", last) && !runSplit(ls[i].glyphs, ls[i+1].glyphs) {
			t.Errorf("URL broken after %q (line %q)", last, ls[i].text())
		}
	}
	// A URL shorter than a line is not broken where moving it whole to the next line
	// leaves at most 1.5 cells of space (here 1 cell)...
	short := "https://www.gov.cn/zhengce/2024-01/15/content_123.htm"
	doc = bodyDoc(cjk(25) + short + cjk(60))
	lay = mustSet(t, doc)
	found := false
	for _, l := range paraLines(lay, 1) {
		found = found || strings.Contains(l.text(), short)
	}
	if !found {
		t.Errorf("short URL split")
	}
	// ...but is, after one of its marks, where that would leave 6 cells.
	doc = bodyDoc(cjk(20) + short + cjk(60))
	lay = mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	ls = paraLines(lay, 1)
	if c := ls[0].content(); !strings.ContainsRune("/.-_?&=", c[len(c)-1].R) || !strings.HasPrefix(short, strings.TrimPrefix(ls[0].text(), cjk(20))) {
		t.Errorf("first line %q: want the URL cut after a mark", ls[0].text())
	}
}

func TestForcedBreaks(t *testing.T) {
	text := "第一行\n第二行" + cjk(40) + "\n\n第四行"
	doc := bodyDoc(text)
	lay := mustSet(t, doc)
	checkInvariants(t, doc, lay, true)
	ls := paraLines(lay, 1)
	if ls[0].text() != "第一行" {
		t.Fatalf("first line %q", ls[0].text())
	}
	// The line before a forced break is not justified; the next starts at the edge.
	if g := ls[0].glyphs; !near(g[1].X, g[0].X+spec.Cell) {
		t.Errorf("forced line justified")
	}
	if !near(ls[1].glyphs[0].X, spec.TypeLeft) {
		t.Errorf("line after a forced break at %.2f, want the left edge", ls[1].glyphs[0].X)
	}
	// The empty line takes a grid line of its own.
	last := ls[len(ls)-1]
	prev := ls[len(ls)-2]
	if slotOf(last.y, last.size)-slotOf(prev.y, prev.size) != 2 {
		t.Errorf("empty line not kept: slots %d then %d", slotOf(prev.y, prev.size), slotOf(last.y, last.size))
	}
}

// The fast paths of isFullWidth agree with the East Asian Width table.
func TestFullWidthFastPath(t *testing.T) {
	for _, rg := range [][2]rune{{0, 0x7f}, {0x3000, 0x303e}, {0x4e00, 0x9fff}, {0xff01, 0xff60}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if got, want := isFullWidth(r, 0.5), isWide(r); got != want {
				t.Errorf("U+%04X: fast path %v, table %v", r, got, want)
			}
		}
	}
}

// A cut URL that shares a line with other text takes none of the justification
// space: its pieces stay adjacent, so it reads (and copies) without gaps. Lines made
// only of URL pieces are spread at the break marks, the only gaps they have.
func TestCutURLNotSpreadOnMixedLines(t *testing.T) {
	url := "https://www.example.gov.cn/zwgk/fdzdgknr/fzzfjs/2024/content_post_1234567890_abcdefghijklmnopqrstuvwxyz.html?from=timeline&isappinstalled=0"
	for _, lead := range []int{3, 11, 19, 25} {
		doc := bodyDoc(cjk(lead) + "，详见" + url + "。" + cjk(30))
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		mixedCut := 0
		for i, l := range ls {
			c := l.content()
			hasWide := false
			for _, g := range c {
				hasWide = hasWide || !halfWord(g.R)
			}
			for k := 1; k < len(c); k++ {
				a, b := c[k-1], c[k]
				if !halfWord(a.R) || !halfWord(b.R) {
					continue
				}
				if hasWide {
					if strings.ContainsRune(urlBreakAfter, a.R) && i < len(ls)-1 {
						mixedCut++
					}
					if !near(b.X, a.X+float64(a.W)) {
						t.Errorf("lead %d: URL spread between %q and %q (%.3f after %.3f+%.3f) in %q", lead, a.R, b.R, b.X, a.X, float64(a.W), l.text())
					}
				}
			}
			// Lines mixing text with the URL are flush; a line of URL pieces alone may be
			// ragged (TestURLOnlyLineLetterSpaced).
			if i < len(ls)-1 && hasWide && !near(c[len(c)-1].X+float64(c[len(c)-1].W), spec.TypeRight) {
				t.Errorf("lead %d: line %q not flush", lead, l.text())
			}
		}
		if mixedCut == 0 {
			t.Errorf("lead %d: no line mixes text with a cut URL; the test checks nothing", lead)
		}
	}
}

// A line made only of a URL's pieces stays flush, with the slack spread evenly over
// every character, never concentrated at the break marks where a text extractor
// would read a space; when that spacing would itself read as spaces, the line is left
// ragged instead (the URL must copy intact).
func TestURLOnlyLineLetterSpaced(t *testing.T) {
	// Runs of letters and digits shorter than six: the last resort of breaking inside
	// a long run does not apply; the search spreads the slack over the lines.
	url := "https://www.exa.gov.cn/" + strings.Repeat("zwgk/fdzdg_", 12) + "end.html" +
		"/2024/cont_post_12345_abcde_fghij_klmno_pqrst_uvwxy_zabcd_efghi_jklmn_opq/x.html"
	// A 25-cell piece with no break inside (no mark, no run of six letters or
	// digits) after a short head: nothing fills the head's line, which is ragged.
	ragURL := "https://x.cn/" + strings.Repeat("a1", 25) + "/" + strings.Repeat("b2", 25) + ".html"
	flush, ragged := 0, 0
	for _, url := range []string{url, ragURL} {
		doc := bodyDoc(url)
		lay := mustSet(t, doc)
		checkInvariants(t, doc, lay, true)
		ls := paraLines(lay, 1)
		if len(ls) < 3 {
			t.Fatalf("URL of %d characters set on %d lines", len(url), len(ls))
		}
		for i, l := range ls[:len(ls)-1] {
			c := l.content()
			left := spec.TypeLeft
			if i == 0 {
				left += 2 * cell
			}
			var gaps []float64
			for k := 1; k < len(c); k++ {
				gaps = append(gaps, c[k].X-(c[k-1].X+float64(c[k-1].W)))
			}
			for _, g := range gaps {
				if !near(g, gaps[0]) || g > maxLetterSpacingEm*spec.BodySize+tol {
					t.Errorf("line %q: uneven or too wide letter-spacing %.3f vs %.3f", l.text(), g, gaps[0])
					break
				}
			}
			last := c[len(c)-1]
			switch {
			case near(last.X+float64(last.W), spec.TypeRight):
				flush++
			case near(gaps[0], 0) && near(c[0].X, left):
				ragged++
			default:
				t.Errorf("line %q: neither flush nor set solid from the left edge", l.text())
			}
		}
	}
	if flush == 0 || ragged == 0 {
		t.Errorf("%d flush and %d ragged lines: the test should see both", flush, ragged)
	}
}
