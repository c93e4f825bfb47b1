package typeset

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"gongwen/internal/compose"
	"gongwen/internal/report"
	"gongwen/internal/spec"
)

// fakeMetrics: CJK and full-width marks 1 em; digits 0.5; Latin letters vary
// (i l . , 0.28, m w 0.8, capitals 0.65, others 0.5); space 0.25. The title font lacks
// '%' and '@' (the fallback face draws them); runes in missing have no glyph.
type fakeMetrics struct{ missing map[rune]bool }

func (f fakeMetrics) Glyph(role spec.Role, r rune) (spec.Face, float64, bool) {
	font := spec.RoleFace(role)
	if f.missing[r] {
		return font, 0, false
	}
	if role == spec.RoleTitle && (r == '%' || r == '@') {
		font = spec.FaceFallback
	}
	switch {
	case isWide(r), strings.ContainsRune("—…“”‘’", r):
		return font, 1, true
	case r >= '0' && r <= '9':
		return font, 0.5, true
	case strings.ContainsRune("il.,;:!'|", r):
		return font, 0.28, true
	case strings.ContainsRune("mwMW", r):
		return font, 0.8, true
	case r >= 'A' && r <= 'Z':
		return font, 0.65, true
	case r == ' ':
		return font, 0.25, true
	}
	return font, 0.5, true
}

var fm = fakeMetrics{}

const tol = 0.01

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

// line is the glyphs of one printed line of one paragraph, in reading order.
type line struct {
	page   int
	y      float64
	para   int
	size   float64
	glyphs []Glyph
	runs   []Run
}

func (l line) text() string {
	var b strings.Builder
	for _, g := range l.glyphs {
		b.WriteRune(g.R)
	}
	return b.String()
}

// content is the line without trailing spaces.
func (l line) content() []Glyph {
	g := l.glyphs
	for len(g) > 0 && g[len(g)-1].R == ' ' {
		g = g[:len(g)-1]
	}
	return g
}

// lines groups the body runs (not page numbers, not repeated headers) into lines.
func lines(lay *Layout) []line {
	var out []line
	for pi, p := range lay.Pages {
		for _, r := range p.Runs {
			if r.Para < 0 || r.Repeat {
				continue
			}
			if n := len(out); n > 0 && out[n-1].page == pi && out[n-1].y == r.Y && out[n-1].para == r.Para && r.Breaks == 0 {
				out[n-1].glyphs = append(out[n-1].glyphs, r.Glyphs...)
				out[n-1].runs = append(out[n-1].runs, r)
				continue
			}
			out = append(out, line{page: pi, y: r.Y, para: r.Para, size: r.Size, glyphs: append([]Glyph(nil), r.Glyphs...), runs: []Run{r}})
		}
	}
	return out
}

// reconstruct is the printed text per Document.Text() entry, from the glyphs.
func reconstruct(lay *Layout, n int) []string {
	bs := make([]strings.Builder, n)
	for _, p := range lay.Pages {
		for _, r := range p.Runs {
			if r.Para < 0 || r.Repeat {
				continue
			}
			if r.Para >= n {
				bs[0].WriteString(fmt.Sprintf("<para %d out of range>", r.Para))
				continue
			}
			for range r.Breaks {
				bs[r.Para].WriteByte('\n')
			}
			for _, g := range r.Glyphs {
				bs[r.Para].WriteRune(g.R)
			}
		}
	}
	out := make([]string, n)
	for i := range bs {
		out[i] = bs[i].String()
	}
	return out
}

// checkInvariants asserts what must hold for every layout.
func checkInvariants(t *testing.T, doc *compose.Document, lay *Layout, kinsoku bool) {
	t.Helper()
	want := doc.Text()
	got := reconstruct(lay, len(want))
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	for pi, p := range lay.Pages {
		if p.Number != pi+1 {
			t.Errorf("page %d numbered %d", pi, p.Number)
		}
		folios := 0
		for _, r := range p.Runs {
			if r.Para < 0 {
				folios++
				continue
			}
			slot := (r.Y - spec.BaselineOffset(r.Size) - spec.TypeTop) / spec.LinePitch
			organ := pi == 0 && r.Size == spec.OrganSize // the 标志 is placed in mm, off the grid
			if !organ && math.Abs(slot-math.Round(slot)) > 1e-6 || slot < -1e-6 || math.Round(slot) > spec.GridLines-1 {
				t.Errorf("page %d: baseline %.3f off the grid (slot %.4f) for %q", pi+1, r.Y, slot, runText(r))
			}
			if r.Y-spec.EmAscent*r.Size < spec.TypeTop-tol || r.Y+(1-spec.EmAscent)*r.Size > spec.TypeBottom+tol {
				t.Errorf("page %d: run %q leaves the type area vertically (y %.2f)", pi+1, runText(r), r.Y)
			}
			for _, g := range r.Glyphs {
				if g.X < spec.TypeLeft-tol || g.X+float64(g.W) > spec.TypeRight+tol {
					t.Errorf("page %d: glyph %q at x %.3f w %.3f outside the type area", pi+1, g.R, g.X, float64(g.W))
				}
			}
		}
		if folios == 0 && p.Kind != RecordPage {
			t.Errorf("page %d has no page number", pi+1)
		}
		if folios > 0 && p.Kind == RecordPage {
			t.Errorf("page %d holds only the 版记 but has a page number", pi+1)
		}
		// Images (the seal) lie inside the type area.
		for _, im := range p.Images {
			if im.X < spec.TypeLeft-tol || im.X+im.W > spec.TypeRight+tol || im.Y < spec.TypeTop-tol || im.Y+im.H > spec.TypeBottom+tol {
				t.Errorf("page %d: image at %.2f,%.2f size %.2f×%.2f outside the type area", pi+1, im.X, im.Y, im.W, im.H)
			}
		}
		// Rules have butt caps: a rule's ink is its length by its width.
		for _, rl := range p.Rules {
			hx, hy := rl.Width/2, 0.0
			if rl.Y1 == rl.Y2 {
				hx, hy = 0, rl.Width/2
			}
			for _, x := range []float64{rl.X1, rl.X2} {
				if x-hx < spec.TypeLeft-tol || x+hx > spec.TypeRight+tol {
					t.Errorf("page %d: rule x %.2f outside", pi+1, x)
				}
			}
			for _, y := range []float64{rl.Y1, rl.Y2} {
				if y-hy < spec.TypeTop-tol || y+hy > spec.TypeBottom+tol {
					t.Errorf("page %d: rule y %.2f outside", pi+1, y)
				}
			}
		}
	}
	// Glyphs of a line follow each other: never overlapping more than a squeezed
	// gap allows (a tenth of a cell), or, between two adjacent marks where one has a
	// blank half facing the other, that half cell more.
	for _, l := range lines(lay) {
		c := l.content()
		for k := 1; k < len(c); k++ {
			allowed := 0.1 * cell
			if tightPair(c[k-1].R, c[k].R) {
				allowed += 0.5 * cell
			}
			if c[k].X < c[k-1].X+float64(c[k-1].W)-allowed-tol {
				t.Errorf("glyphs %q %q overlap (%.2f after %.2f+%.2f) in %q", c[k-1].R, c[k].R, c[k].X, c[k-1].X, float64(c[k-1].W), l.text())
				break
			}
		}
	}
	// A full line of CJK glyphs (justified to the right edge, every glyph one cell)
	// sits exactly on the cells.
	for _, l := range lines(lay) {
		g := l.glyphs
		if l.size != spec.BodySize || len(g) < 2 {
			continue
		}
		full := true
		for _, x := range g {
			full = full && near(float64(x.W), spec.Cell)
		}
		start := (g[0].X - spec.TypeLeft) / spec.Cell
		if !full || math.Abs(start-math.Round(start)) > 1e-6 || !near(g[len(g)-1].X+spec.Cell, spec.TypeRight) ||
			int(math.Round(start))+len(g) != spec.GridChars {
			continue
		}
		for k, x := range g {
			if !near(x.X, g[0].X+float64(k)*spec.Cell) {
				t.Errorf("full CJK line %q: glyph %d at %.3f off its cell", l.text(), k, x.X)
				break
			}
		}
	}
	if !kinsoku {
		return
	}
	ls := lines(lay)
	for i, l := range ls {
		c := l.content()
		if len(c) == 0 {
			continue
		}
		firstOfPara := i == 0 || ls[i-1].para != l.para
		lastOfPara := i == len(ls)-1 || ls[i+1].para != l.para
		if !firstOfPara && noLineStart.has(c[0].R) && l.runs[0].Breaks == 0 {
			t.Errorf("line starts with %q: %q", c[0].R, l.text())
		}
		if !lastOfPara && noLineEnd.has(c[len(c)-1].R) && (i+1 >= len(ls) || ls[i+1].runs[0].Breaks == 0) {
			t.Errorf("line ends with %q: %q", c[len(c)-1].R, l.text())
		}
		if !lastOfPara && ls[i+1].runs[0].Breaks == 0 && len(ls[i+1].glyphs) > 0 {
			// Digit groups, words, dates are never split; a URL only after a mark; as
			// a last resort, a long Latin or digit run between characters, three or
			// more from either end of the run.
			a, b := c[len(c)-1].R, ls[i+1].glyphs[0].R
			if len(c) == len(l.glyphs) && halfWord(a) && halfWord(b) && !strings.ContainsRune("/.-_?&=", a) &&
				!runSplit(l.glyphs, ls[i+1].glyphs) {
				t.Errorf("word split: %q / %q", l.text(), ls[i+1].text())
			}
		}
		if !lastOfPara {
			next := ls[i+1].content()
			for _, pair := range []rune{'—', '…'} {
				if c[len(c)-1].R == pair && len(next) > 0 && next[0].R == pair {
					t.Errorf("%c%c split across lines: %q / %q", pair, pair, l.text(), ls[i+1].text())
				}
			}
		}
	}
}

func runText(r Run) string {
	var b strings.Builder
	for _, g := range r.Glyphs {
		b.WriteRune(g.R)
	}
	return b.String()
}

// slotOf is the grid slot of a baseline.
func slotOf(y, size float64) int {
	return int(math.Round((y - spec.BaselineOffset(size) - spec.TypeTop) / spec.LinePitch))
}

// docOf composes a report built from simple parts.
func docOf(title, issuer string, paras ...string) *compose.Document {
	r := &report.Report{Title: title, Issuer: issuer, Year: 2023}
	sec := report.Section{Path: "/sections/0", Level: 1, Number: "一、", Heading: "总体情况"}
	for i, p := range paras {
		sec.Body = append(sec.Body, report.Block{Path: fmt.Sprintf("/sections/0/body/%d", i), Paragraph: p})
	}
	r.Sections = []report.Section{sec}
	return compose.Compose(r)
}

// bodyDoc is a document of plain paragraphs only (no title block checks needed).
func bodyDoc(paras ...string) *compose.Document {
	d := &compose.Document{Title: "标题", Author: "某局"}
	d.Blocks = append(d.Blocks, compose.Block{Kind: compose.KindTitle, Path: "/title",
		Runs: []compose.Run{{Text: "标题", Role: spec.RoleTitle, Path: "/title"}}})
	for i, p := range paras {
		path := fmt.Sprintf("/preamble/%d", i)
		d.Blocks = append(d.Blocks, compose.Block{Kind: compose.KindParagraph, Path: path,
			Runs: []compose.Run{{Text: p, Role: spec.RoleFangsong, Path: path}}})
	}
	return d
}

func mustSet(t testing.TB, doc *compose.Document) *Layout {
	t.Helper()
	lay, err := Typeset(doc, fm)
	if err != nil {
		t.Fatalf("Typeset: %v", err)
	}
	return lay
}

// paraLines returns the lines of Document.Text() entry para.
func paraLines(lay *Layout, para int) []line {
	var out []line
	for _, l := range lines(lay) {
		if l.para == para {
			out = append(out, l)
		}
	}
	return out
}

func cjk(n int) string {
	const src = "法治政府建设年度报告坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神深入推进依法行政"
	rs := []rune(src)
	var b strings.Builder
	for i := range n {
		b.WriteRune(rs[i%len(rs)])
	}
	return b.String()
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

var _ = sort.Ints

// cell is the grid cell from the literal standard: 156 mm / 28.
const cell = 156 / 25.4 * 72 / 28

// tightPair: adjacent marks whose gap may be tightened (GB/T 15834 closing and pausing
// marks have a blank right half, opening marks a blank left half).
func tightPair(a, b rune) bool {
	const right, left, marks = "，。、）》」』】〕〉”’", "（《「『【〔〈“‘", "，。、）》」』】〕〉”’（《「『【〔〈“‘；：？！"
	return strings.ContainsRune(right, a) && strings.ContainsRune(marks, b) ||
		strings.ContainsRune(left, b) && strings.ContainsRune(marks, a)
}

// runSplit: the line ends with three letters (or three digits) and the next starts
// with three more of the same kind.
func runSplit(end, start []Glyph) bool {
	if len(end) < 3 || len(start) < 3 {
		return false
	}
	class := func(r rune) int {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			return 1
		case r >= '0' && r <= '9':
			return 2
		}
		return 0
	}
	k := class(start[0].R)
	for _, g := range append(slices.Clone(end[len(end)-3:]), start[:3]...) {
		if class(g.R) != k || k == 0 {
			return false
		}
	}
	return true
}
