package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	"gongwen/internal/fonts"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
)

var testDate = time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)

var testInfo = info{Title: "吴川市科工贸和信息化局2023年法治政府建设年度报告", Author: "吴川市科工贸和信息化局",
	Subject: "吴川市科工贸和信息化局 2023年度报告", Date: testDate}

// setLine places text from x0 on baseline y the way a typesetter would: each glyph
// after its predecessor's advance plus gap(i) (the spacing before glyph i).
func setLine(t testing.TB, role spec.Role, size, y, x0 float64, text string, gap func(i int) float64) typeset.Run {
	t.Helper()
	run := typeset.Run{Font: spec.RoleFace(role), Size: size, Y: y}
	x := x0
	for i, r := range []rune(text) {
		if i > 0 {
			x += gap(i)
		}
		run.Glyphs = append(run.Glyphs, typeset.Glyph{R: r, X: x})
		x += advanceOf(t, role, r) * size
	}
	return run
}

// cells places CJK text on the grid: one glyph per 15.79 pt cell.
func cells(t testing.TB, role spec.Role, y float64, col int, text string) typeset.Run {
	return setLine(t, role, spec.BodySize, y, spec.TypeLeft+float64(col)*spec.Cell, text,
		func(int) float64 { return spec.Cell - spec.BodySize })
}

func baseline(line int) float64 {
	return spec.TypeTop + float64(line)*spec.LinePitch + spec.BodySize*0.88
}

// sampleLayout is a hand-made two-page layout with every kind of content the
// typesetter produces: title, justified CJK lines, headings in each font, Latin,
// digits, a URL, runs of punctuation, table rules, page numbers and bookmarks.
func sampleLayout(t testing.TB) *typeset.Layout {
	t.Helper()
	irregular := func(i int) float64 { return float64(i%5) * 0.37 }
	p1 := typeset.Page{Number: 1, Runs: []typeset.Run{
		setLine(t, spec.RoleTitle, spec.TitleSize, baseline(0), 140, "吴川市科工贸和信息化局", func(int) float64 { return 0 }),
		setLine(t, spec.RoleTitle, spec.TitleSize, baseline(1), 120, "2023年法治政府建设年度报告", func(int) float64 { return 0 }),
		cells(t, spec.RoleFangsong, baseline(3), 2, "根据《中华人民共和国政府信息公开条例》规定，现将本局"),
		cells(t, spec.RoleFangsong, baseline(4), 0, "二零二三年法治政府建设情况报告如下：“依法行政”、“放管服”改革"),
		cells(t, spec.RoleHei, baseline(5), 2, "一、深入学习贯彻习近平法治思想的情况"),
		cells(t, spec.RoleKai, baseline(6), 2, "（一）健全清单化履职机制。"),
		setLine(t, spec.RoleFangsong, spec.BodySize, baseline(7), spec.TypeLeft, "共办理行政复议案件12件，同比增长10.88%，详见", irregular),
		setLine(t, spec.RoleFangsong, spec.BodySize, baseline(8), spec.TypeLeft, "https://www.gov.cn/zhengce/2024-01-15/a_b?x=1&y=2", irregular),
		cells(t, spec.RoleFangsong, baseline(10), 0, "。”）——……《〈〉》（“‘’”）"),
		setLine(t, spec.RoleFangsong, spec.BodySize, baseline(11), spec.TypeLeft, "Open Data Index 2.0 (beta) [v1] {x} \\ path (a) back\\slash", irregular),
		setLine(t, spec.RoleSong, spec.PageNumberSize, spec.TypeBottom+spec.PageNumberGap+10, 430, spec.PageNumberText(1), func(int) float64 { return 0 }),
	}}
	var rules []typeset.Rule
	for i := 0; i <= 3; i++ {
		y := spec.TypeTop + float64(12+i)*spec.LinePitch
		rules = append(rules, typeset.Rule{X1: spec.TypeLeft, Y1: y, X2: spec.TypeRight, Y2: y, Width: 0.75})
	}
	rules = append(rules, typeset.Rule{X1: spec.TypeLeft, Y1: spec.TypeTop + 12*spec.LinePitch, X2: spec.TypeLeft, Y2: spec.TypeTop + 15*spec.LinePitch, Width: 0.5})
	p2 := typeset.Page{Number: 2, Rules: rules, Runs: []typeset.Run{
		cells(t, spec.RoleKai, baseline(0), 2, "（二）完善行政执法程序。"),
		cells(t, spec.RoleFangsong, baseline(1), 0, "1.高度重视，加强组织领导。"),
		cells(t, spec.RoleFangsong, baseline(2), 0, "（1）ＡＢＣ全角字母与１２３全角数字"),
		cells(t, spec.RoleFangsong, baseline(12), 1, "项目"),
		cells(t, spec.RoleFangsong, baseline(12), 10, "数量"),
		setLine(t, spec.RoleSong, spec.PageNumberSize, spec.TypeBottom+spec.PageNumberGap+10, spec.TypeLeft+spec.Cell, spec.PageNumberText(2), func(int) float64 { return 0 }),
	}}
	return &typeset.Layout{
		Pages: []typeset.Page{p1, p2},
		Bookmarks: []typeset.Bookmark{
			{Level: 1, Title: "一、深入学习贯彻习近平法治思想的情况", Page: 0, Y: baseline(5) - 14},
			{Level: 2, Title: "（一）健全清单化履职机制。", Page: 0, Y: baseline(6) - 14},
			{Level: 2, Title: "（二）完善行政执法程序。", Page: 1, Y: baseline(0) - 14},
			{Level: 3, Title: "1.高度重视，加强组织领导。", Page: 1, Y: baseline(1) - 14},
			{Level: 4, Title: "（1）ＡＢＣ(x)\\y", Page: 1, Y: baseline(2) - 14},
			{Level: 1, Title: "二、Latin & <xml> “quotes”", Page: 1, Y: baseline(3) - 14},
		},
	}
}

func mustWrite(t testing.TB, lay *typeset.Layout) []byte {
	t.Helper()
	b, err := write(lay, testInfo, testSource)
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return b
}

// layoutGlyphs flattens a layout page's glyphs in drawing order.
func layoutGlyphs(p *typeset.Page) []stextChar {
	var out []stextChar
	for _, r := range p.Runs {
		for _, g := range r.Glyphs {
			out = append(out, stextChar{C: g.R, X: g.X, Y: r.Y, Font: psName[r.Font], Size: r.Size})
		}
	}
	return out
}

func sortChars(cs []stextChar) {
	slices.SortStableFunc(cs, func(a, b stextChar) int {
		if math.Abs(a.Y-b.Y) > 0.05 {
			if a.Y < b.Y {
				return -1
			}
			return 1
		}
		switch {
		case a.X < b.X-0.005:
			return -1
		case a.X > b.X+0.005:
			return 1
		}
		return 0
	})
}

// assertGlyphs checks that every glyph of the layout, and nothing else, is in the
// PDF at its place, in its font and size.
func assertGlyphs(t *testing.T, lay *typeset.Layout, pdf []byte) {
	t.Helper()
	got := readStext(t, pdf)
	if len(got) != len(lay.Pages) {
		t.Fatalf("PDF has %d pages, layout %d", len(got), len(lay.Pages))
	}
	for pi := range lay.Pages {
		// mutool reads an ideographic space (U+3000) as nothing: compare the other
		// characters (assertParagraphs and pdftotext cover the spaces).
		want := slices.DeleteFunc(layoutGlyphs(&lay.Pages[pi]), func(c stextChar) bool { return c.C != ' ' && unicode.IsSpace(c.C) })
		have := dropSyntheticSpaces(got[pi], want)
		sortChars(want)
		sortChars(have)
		if len(have) != len(want) {
			t.Fatalf("page %d: %d characters read back, %d drawn; extra %s; lost %s", pi+1, len(have), len(want), charDiff(have, want), charDiff(want, have))
		}
		for i := range want {
			w, h := want[i], have[i]
			if h.C != w.C || math.Abs(h.X-w.X) > 0.02 || math.Abs(h.Y-w.Y) > 0.02 || h.Font != w.Font || h.Size != w.Size {
				t.Fatalf("page %d char %d: got %q at (%.3f, %.3f) %s %g, want %q at (%.3f, %.3f) %s %g",
					pi+1, i, h.C, h.X, h.Y, h.Font, h.Size, w.C, w.X, w.Y, w.Font, w.Size)
			}
		}
	}
}

// dropSyntheticSpaces removes the spaces mutool adds where glyphs are far apart
// (the layout's own spaces, drawn glyphs, stay).
func dropSyntheticSpaces(got, drawn []stextChar) []stextChar {
	var out []stextChar
next:
	for _, c := range got {
		if c.C == ' ' {
			for _, d := range drawn {
				if d.C == ' ' && math.Abs(d.X-c.X) < 0.02 && math.Abs(d.Y-c.Y) < 0.02 {
					out = append(out, c)
					continue next
				}
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// charDiff lists the characters of a that b lacks, with their positions.
func charDiff(a, b []stextChar) string {
	n := map[rune]int{}
	for _, c := range b {
		n[c.C]++
	}
	var out []string
	for _, c := range a {
		if n[c.C] > 0 {
			n[c.C]--
			continue
		}
		out = append(out, fmt.Sprintf("%q@(%.2f,%.2f)", c.C, c.X, c.Y))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func charString(cs []stextChar) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.C)
	}
	return b.String()
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// assertText checks pdftotext's reading of each page (in content-stream order)
// against the layout's glyphs in drawing order (white space aside: pdftotext turns
// line ends into newlines and wide gaps into spaces).
func assertText(t *testing.T, lay *typeset.Layout, pdf []byte) {
	t.Helper()
	pages := pdfText(t, pdf)
	if len(pages) != len(lay.Pages) {
		t.Fatalf("pdftotext found %d pages, layout has %d", len(pages), len(lay.Pages))
	}
	for pi := range lay.Pages {
		want := layoutGlyphs(&lay.Pages[pi])
		if g, w := stripSpace(pages[pi]), stripSpace(charString(want)); g != w {
			t.Errorf("page %d text:\n got %q\nwant %q", pi+1, g, w)
		}
	}
}

func TestWriteSample(t *testing.T) {
	requireFonts(t)
	lay := sampleLayout(t)
	pdf := mustWrite(t, lay)
	t.Logf("sample: %d bytes", len(pdf))

	t.Run("qpdf", func(t *testing.T) { qpdfCheck(t, pdf) })
	t.Run("glyphs", func(t *testing.T) { assertGlyphs(t, lay, pdf) })
	t.Run("text", func(t *testing.T) { assertText(t, lay, pdf) })
	t.Run("fonts", func(t *testing.T) {
		rows := pdfFonts(t, pdf)
		if len(rows) != int(spec.NumRoles) {
			t.Fatalf("pdffonts lists %d fonts, want one per role's face (%d): %q", len(rows), spec.NumRoles, rows)
		}
		seen := map[string]bool{}
		for _, r := range rows {
			// name type... encoding emb sub uni objID gen: the flags are the 5th-3rd from the end
			n := len(r)
			if n < 6 {
				t.Fatalf("pdffonts row %q", r)
			}
			name, emb, sub, uni := r[0], r[n-5], r[n-4], r[n-3]
			tag, role, ok := strings.Cut(name, "+")
			if !ok || len(tag) != 6 || strings.ToUpper(tag) != tag {
				t.Errorf("font %s: no subset tag", name)
			}
			seen[role] = true
			if emb != "yes" || sub != "yes" || uni != "yes" {
				t.Errorf("font %s: emb %s sub %s uni %s, want yes yes yes", name, emb, sub, uni)
			}
			if r[n-6] != "Identity-H" {
				t.Errorf("font %s: encoding %s", name, r[n-6])
			}
		}
		for _, role := range spec.Roles {
			if !seen[psName[spec.RoleFace(role)]] {
				t.Errorf("face of role %s (%s) missing from %q", role, psName[spec.RoleFace(role)], rows)
			}
		}
	})
	t.Run("info", func(t *testing.T) {
		m := pdfInfo(t, pdf)
		for k, v := range map[string]string{"Title": testInfo.Title, "Author": testInfo.Author,
			"Subject": testInfo.Subject, "Creator": "Gongwen", "Pages": "2",
			"Page size": "595.28 x 841.89 pts (A4)"} {
			if m[k] != v {
				t.Errorf("pdfinfo %s = %q, want %q", k, m[k], v)
			}
		}
		if !bytes.Contains(pdf, []byte("/CreationDate (D:20240115000000)")) || !bytes.Contains(pdf, []byte("/ModDate (D:20240115000000)")) {
			t.Errorf("creation and modification dates are not the document's date")
		}
	})
	t.Run("outline", func(t *testing.T) {
		got := outline(t, pdf)
		want := []string{
			"+\t\"一、深入学习贯彻习近平法治思想的情况\"\t#page=1",
			"|\t\t\"（一）健全清单化履职机制。\"\t#page=1",
			"|\t\t\"（二）完善行政执法程序。\"\t#page=2",
			"|\t\t\t\"1.高度重视，加强组织领导。\"\t#page=2",
			"|\t\t\t\t\"（1）ＡＢＣ(x)\\\\y\"\t#page=2", // mutool escapes the backslash
			"|\t\"二、Latin & <xml> “quotes”\"\t#page=2",
		}
		if len(got) != len(want) {
			t.Fatalf("outline:\n%s", strings.Join(got, "\n"))
		}
		for i := range want {
			// mutool: open flag, tabs by depth, "title", then #page=N&zoom=...
			if !strings.HasPrefix(got[i][1:], want[i][1:]) {
				t.Errorf("outline entry %d:\n got %q\nwant prefix %q", i, got[i], want[i])
			}
		}
		// A reader opens the document with its outline shown.
		mode, err := exec.Command(testtool.Require(t, "mutool"), "show", writeTemp(t, pdf), "trailer/Root/PageMode").Output()
		if err != nil || strings.TrimSpace(string(mode)) != "/UseOutlines" {
			t.Errorf("catalogue /PageMode = %q (%v), want /UseOutlines", mode, err)
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		again := mustWrite(t, sampleLayout(t))
		if !bytes.Equal(pdf, again) {
			t.Fatal("two renders of the same layout differ")
		}
	})
	t.Run("rules", func(t *testing.T) {
		// The table rules are stroked lines in page 2's content: read them back as
		// mutool's trace of the drawing operations.
		mutool := testtool.Require(t, "mutool")
		out, err := exec.Command(mutool, "draw", "-q", "-F", "trace", "-o", "-", writeTemp(t, pdf), "2").Output()
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(out), "<stroke_path"); n != 5 {
			t.Errorf("page 2 strokes %d paths, want 5 rules", n)
		}
	})
}

func TestWriteErrors(t *testing.T) {
	requireFonts(t)
	good := func() *typeset.Layout { return sampleLayout(t) }
	tests := []struct {
		name string
		lay  func() *typeset.Layout
		src  fontSource
		info info
		want string
	}{
		{"subset lacks a character", good, dropRune{testSource, '局'}, testInfo, "lacks 1 requested characters"},
		{"subset error", good, failing{}, testInfo, "subset fangsong face: boom"},
		{"inconsistent subset", good, garbage{}, testInfo, "subset has"},
		{"no pages", func() *typeset.Layout { return &typeset.Layout{} }, testSource, testInfo, "no pages"},
		{"no date", good, testSource, info{Title: "x"}, "no document date"},
		{"beyond Unicode", func() *typeset.Layout {
			l := good()
			l.Pages[0].Runs[2].Glyphs[0].R = 0x110000
			return l
		}, testSource, testInfo, "U+110000 cannot be drawn"},
		{"surrogate", func() *typeset.Layout {
			l := good()
			l.Pages[0].Runs[2].Glyphs[0].R = 0xD842
			return l
		}, testSource, testInfo, "U+D842 cannot be drawn"},
		{"beyond the BMP, not in the face", func() *typeset.Layout {
			l := good()
			l.Pages[0].Runs[2].Glyphs[0].R = '𠀀' // FandolFang has no Extension B
			return l
		}, testSource, testInfo, "U+20000"},
		{"control character", func() *typeset.Layout {
			l := good()
			l.Pages[0].Runs[2].Glyphs[0].R = '\n'
			return l
		}, testSource, testInfo, "U+000A cannot be drawn"},
		{"bookmark on missing page", func() *typeset.Layout {
			l := good()
			l.Bookmarks[0].Page = 7
			return l
		}, testSource, testInfo, "page index 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := write(tt.lay(), tt.info, tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if b != nil {
				t.Fatal("bytes returned with an error")
			}
		})
	}
}

type dropRune struct {
	fontSource
	r rune
}

func (d dropRune) Cut(role spec.Face, runes []rune) (*fonts.Subset, error) {
	return d.fontSource.Cut(role, slices.DeleteFunc(slices.Clone(runes), func(r rune) bool { return r == d.r }))
}

type failing struct{}

func (failing) Cut(spec.Face, []rune) (*fonts.Subset, error) { return nil, errors.New("boom") }

type garbage struct{}

func (garbage) Cut(_ spec.Face, runes []rune) (*fonts.Subset, error) {
	s := fonts.RawSubset([]byte("not a font"))
	s.Runes, s.UnitsPerEm = runes, 1000
	return s, nil
}

// TestWriteRandom is a property test: random lines of CJK, punctuation, Latin,
// digits and symbols at random positions and gaps come back from the PDF exactly,
// character for character and position for position.
func TestWriteRandom(t *testing.T) {
	requireFonts(t)
	rng := rand.New(rand.NewSource(9704))
	pool := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理各成制度；：？！、。“”‘’（）《》〈〉【】——……0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%.-/_?&=:@#()[]{}<>\\'\"+*,;~|")
	roles := spec.Roles
	const cases = 6
	for c := 0; c < cases; c++ {
		lay := &typeset.Layout{}
		pages := 1 + rng.Intn(3)
		for p := 0; p < pages; p++ {
			page := typeset.Page{Number: p + 1}
			for line := 0; line < 22; line++ {
				if rng.Intn(4) == 0 {
					continue
				}
				role := roles[rng.Intn(len(roles))]
				size := []float64{spec.BodySize, spec.TitleSize, spec.PageNumberSize}[rng.Intn(3)]
				rs := make([]rune, 1+rng.Intn(28))
				for i := range rs {
					rs[i] = pool[rng.Intn(len(pool))]
				}
				uniform := rng.Intn(2) == 0
				g := rng.Float64()*2 - 0.5
				page.Runs = append(page.Runs, setLine(t, role, size, baseline(line), spec.TypeLeft+float64(rng.Intn(4))*spec.Cell, string(rs),
					func(int) float64 {
						if uniform {
							return g
						}
						return rng.Float64()*3 - 0.3
					}))
			}
			for i := range page.Runs { // keep the lines on the page
				r := &page.Runs[i]
				for len(r.Glyphs) > 1 && r.Glyphs[len(r.Glyphs)-1].X > spec.TypeRight-spec.TitleSize {
					r.Glyphs = r.Glyphs[:len(r.Glyphs)-1]
				}
			}
			if len(page.Runs) == 0 {
				page.Runs = append(page.Runs, cells(t, spec.RoleFangsong, baseline(0), 0, "空"))
			}
			lay.Pages = append(lay.Pages, page)
			lay.Bookmarks = append(lay.Bookmarks, typeset.Bookmark{Level: 1 + rng.Intn(4), Title: fmt.Sprintf("第%d页", p+1), Page: p, Y: 120})
		}
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			pdf := mustWrite(t, lay)
			assertGlyphs(t, lay, pdf)
			qpdfCheck(t, pdf)
		})
	}
}

func TestOutlineLevels(t *testing.T) {
	bs := func(levels ...int) []typeset.Bookmark {
		var out []typeset.Bookmark
		for _, l := range levels {
			out = append(out, typeset.Bookmark{Level: l})
		}
		return out
	}
	tests := []struct {
		in   []typeset.Bookmark
		want []int
	}{
		{bs(1, 2, 3, 4, 1), []int{0, 1, 2, 3, 0}},
		{bs(2, 2, 1), []int{0, 0, 0}},       // a document starting below level 1
		{bs(1, 3, 4, 2), []int{0, 1, 2, 1}}, // a skipped level never orphans an entry
		{bs(1, 3, 3, 2, 3), []int{0, 1, 1, 1, 2}},
		{bs(0, 1), []int{0, 1}},
	}
	for _, tt := range tests {
		if got := outlineLevels(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("outlineLevels(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNewSubsetFont(t *testing.T) {
	requireFonts(t)
	rs := []rune("abc府政")
	sub, err := testSource.Cut(spec.RoleFace(spec.RoleFangsong), rs)
	if err != nil {
		t.Fatal(err)
	}
	f, err := newSubsetFont(spec.RoleFace(spec.RoleFangsong), sub, rs)
	if err != nil {
		t.Fatalf("complete subset: %v", err)
	}
	for _, r := range rs {
		if f.runes[f.cidOf(r)-1] != r || f.gids[f.cidOf(r)-1] == 0 {
			t.Errorf("%q: cid %d gid %d", r, f.cidOf(r), f.gids[f.cidOf(r)-1])
		}
		if w := advanceOf(t, spec.RoleFangsong, r); math.Abs(f.advance(r)-w) > 0.0005 {
			t.Errorf("%q: advance %v, the font set says %v", r, f.advance(r), w)
		}
	}
	if _, err := newSubsetFont(spec.RoleFace(spec.RoleFangsong), sub, []rune("abc报府政")); err == nil || !strings.Contains(err.Error(), "报") {
		t.Errorf("missing 报: err = %v", err)
	}
	for name, bad := range map[string]*fonts.Subset{
		"no glyphs": {Runes: rs, UnitsPerEm: 1000},
		"glyph 0":   {Runes: rs, GIDs: make([]uint16, len(rs)), Advances: make([]int, len(rs)), UnitsPerEm: 1000},
		"no em":     {Runes: rs, GIDs: sub.GIDs, Advances: sub.Advances},
	} {
		if _, err := newSubsetFont(spec.RoleFace(spec.RoleFangsong), bad, rs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTextString checks the UTF-16BE text strings against the standard library's
// encoder: BMP, beyond the BMP (a surrogate pair), invalid UTF-8 (U+FFFD).
func TestTextString(t *testing.T) {
	for _, s := range []string{"", "Gongwen", "吴川市2023年", "𠮷野家", "a\xffb\xe4\xb8", "\u00e9\U0010FFFF"} {
		want := []byte{0xFE, 0xFF}
		for _, u := range utf16.Encode([]rune(s)) {
			want = append(want, byte(u>>8), byte(u))
		}
		if got := textString(s); got != string(want) {
			t.Errorf("textString(%q) = % X, want % X", s, got, want)
		}
	}
}
