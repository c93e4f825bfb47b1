package ofd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/report"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
)

func defaultFonts(t testing.TB) *fonts.Set {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	return set
}

func docFromJSON(t testing.TB, data []byte) *compose.Document {
	t.Helper()
	r, _, err := report.Parse(data)
	if err != nil {
		t.Fatalf("parse report: %v", err)
	}
	return compose.Compose(r)
}

func exampleJSON(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// rendered is one document in both fixed-layout formats, from one layout.
type rendered struct {
	doc *compose.Document
	lay *typeset.Layout
	pdf []byte
	ofd []byte
}

func renderBoth(t testing.TB, doc *compose.Document) rendered {
	t.Helper()
	set := defaultFonts(t)
	lay, err := typeset.Typeset(doc, set)
	if err != nil {
		t.Fatalf("typeset: %v", err)
	}
	src := set
	p, err := pdf.Write(doc, lay, src)
	if err != nil {
		t.Fatalf("pdf: %v", err)
	}
	o, err := Write(lay, InfoOf(doc), src)
	if err != nil {
		t.Fatalf("ofd: %v", err)
	}
	return rendered{doc: doc, lay: lay, pdf: p.Bytes, ofd: o}
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText runs pdftotext in content-stream order and returns each page's text.
func pdfText(t testing.TB, b []byte) []string {
	t.Helper()
	tool := testtool.Require(t, "pdftotext")
	out, err := exec.Command(tool, "-raw", "-enc", "UTF-8", writeTemp(t, "x.pdf", b), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// schemaDir finds the standard's schemas at ../shared/ofd-xsd beside the repository:
// absent in a user's clone (skip), required under CI.
func schemaDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "ofd-xsd")
	if _, err := os.Stat(filepath.Join(dir, "OFD.xsd")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the OFD schemas are required under CI at %s: %v", dir, err)
		}
		t.Skipf("OFD schemas not found at %s (a clone without ../shared): %v", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// validate checks every XML part of the package against the standard's schema for it
// with xmllint.
func validate(t testing.TB, p *ofdPackage) {
	t.Helper()
	xsd := schemaDir(t)
	xmllint := testtool.Require(t, "xmllint")
	dir := t.TempDir()
	bySchema := map[xmlKind][]string{}
	for name, kind := range p.parts {
		f := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, p.files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		bySchema[kind] = append(bySchema[kind], f)
	}
	for kind, files := range bySchema {
		sort.Strings(files)
		args := append([]string{"--noout", "--nonet", "--schema", filepath.Join(xsd, string(kind))}, files...)
		out, err := exec.Command(xmllint, args...).CombinedOutput()
		if err != nil {
			t.Errorf("xmllint --schema %s: %v\n%.3000s", kind, err, out)
		}
	}
}

// fontCoverage reads each embedded font's character map with fontTools (python3) and
// checks that it maps every character the font's text objects draw to a real glyph.
func fontCoverage(t testing.TB, p *ofdPackage) {
	t.Helper()
	// Debian's python3 (python3-fonttools), not whatever python3 comes first in PATH.
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import fontTools.ttLib").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3-fonttools is required under CI: %v", err)
		}
		t.Logf("font coverage not checked: fontTools not installed: %v", err)
		return
	}
	dir := t.TempDir()
	var ids []int
	for id := range p.fonts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var files []string
	for _, id := range ids {
		f := filepath.Join(dir, fmt.Sprintf("%d.ttf", id))
		if err := os.WriteFile(f, p.files[p.fontLoc[id]], 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	script := `import sys, json
from fontTools.ttLib import TTFont
out = []
for f in sys.argv[1:]:
    font = TTFont(f)
    cmap = font.getBestCmap() or {}
    order = font.getGlyphOrder()
    out.append(sorted(c for c, g in cmap.items() if g != order[0]))
print(json.dumps(out))`
	out, err := exec.Command(py, append([]string{"-c", script}, files...)...).Output()
	if err != nil {
		t.Fatalf("fontTools: %v", err)
	}
	var maps [][]int
	if err := json.Unmarshal(out, &maps); err != nil {
		t.Fatalf("fontTools output: %v", err)
	}
	has := map[int]map[rune]bool{}
	for i, id := range ids {
		has[id] = map[rune]bool{}
		for _, c := range maps[i] {
			has[id][rune(c)] = true
		}
	}
	for pi, objs := range p.objects {
		for _, o := range objs {
			for _, r := range o.Text {
				if !has[o.Font][r] {
					t.Fatalf("page %d: font %d (%s) has no glyph for %q (U+%04X)", pi+1, o.Font, p.fonts[o.Font].FontName, r, r)
				}
			}
		}
	}
}

var pageNumberRE = regexp.MustCompile(`—\s*\d+\s*—`)

// checkAgainst is the structural check of one document: the package read back
// (references, IDs, DeltaX counts), every part valid by the schemas, the text equal
// to the PDF's page by page, every glyph where the typesetter put it, fonts covering
// their text, the outline and the document information.
func checkAgainst(t *testing.T, r rendered) *ofdPackage {
	t.Helper()
	p := readPackage(t, r.ofd)
	validate(t, p)
	fontCoverage(t, p)

	if got := len(p.pages); got != len(r.lay.Pages) {
		t.Fatalf("%d pages, layout has %d", got, len(r.lay.Pages))
	}
	if p.doc.PhysicalBox != "0 0 210 297" {
		t.Errorf("PhysicalBox %q, want A4 0 0 210 297", p.doc.PhysicalBox)
	}
	pdfPages := pdfText(t, r.pdf)
	if len(pdfPages) != len(p.pages) {
		t.Fatalf("pdftotext read %d pages, OFD has %d", len(pdfPages), len(p.pages))
	}
	var all strings.Builder
	for i := range p.pages {
		got := stripSpace(pageNumberRE.ReplaceAllString(p.pageText(i), ""))
		want := stripSpace(pageNumberRE.ReplaceAllString(pdfPages[i], ""))
		if got != want {
			j := 0
			for j < len(got) && j < len(want) && got[j] == want[j] {
				j++
			}
			lo := max(0, j-60)
			t.Errorf("page %d: OFD text differs from the PDF's at byte %d:\n ofd …%q\n pdf …%q", i+1, j, got[lo:min(len(got), j+60)], want[lo:min(len(want), j+60)])
		}
		all.WriteString(p.pageText(i))
	}
	_ = all

	// Every glyph at the typesetter's position: millimetres, y down, to 1 µm.
	const mmPerPt = 25.4 / 72
	for pi := range r.lay.Pages {
		var runs []typeset.Run
		for _, run := range r.lay.Pages[pi].Runs {
			if len(run.Glyphs) > 0 {
				runs = append(runs, run)
			}
		}
		objs := p.objects[pi]
		if len(objs) != len(runs) {
			t.Fatalf("page %d: %d text codes for %d runs", pi+1, len(objs), len(runs))
		}
		for k, run := range runs {
			o := objs[k]
			if math.Abs(o.Size-run.Size*mmPerPt) > 0.001 {
				t.Errorf("page %d run %d: size %g mm, want %g pt = %.3f mm", pi+1, k, o.Size, run.Size, run.Size*mmPerPt)
			}
			for g, gl := range run.Glyphs {
				// ±0.5 µm each from rounding the TextCode origin and the glyph.
				if dx, dy := o.X[g]-gl.X*mmPerPt, o.Y[g]-run.Y*mmPerPt; math.Abs(dx) > 0.0011 || math.Abs(dy) > 0.0006 {
					t.Fatalf("page %d run %d glyph %d %q at (%.4f, %.4f) mm, typeset at (%.4f, %.4f)", pi+1, k, g, gl.R, o.X[g], o.Y[g], gl.X*mmPerPt, run.Y*mmPerPt)
				}
			}
		}
	}

	// Document information from the report, never the clock.
	info := p.root.Bodies[0].Info
	in := InfoOf(r.doc)
	if info.Title != in.Title || info.Author != r.doc.Author || info.Subject != r.doc.Subject {
		t.Errorf("DocInfo %q / %q / %q, want %q / %q / %q", info.Title, info.Author, info.Subject, in.Title, r.doc.Author, r.doc.Subject)
	}
	wantDate := r.doc.Date
	if wantDate == "" {
		wantDate = fmt.Sprintf("%04d-12-31", r.doc.Year)
	}
	if info.CreationDate != wantDate {
		t.Errorf("CreationDate %q, want %q", info.CreationDate, wantDate)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(info.DocID) {
		t.Errorf("DocID %q is not 32 hex digits", info.DocID)
	}

	// The outline: every bookmark once, in order, nested by level, to its page.
	var flat []string
	var walk func(es []xOutline, depth int)
	walk = func(es []xOutline, depth int) {
		for _, e := range es {
			flat = append(flat, fmt.Sprintf("%d %s %d", depth, e.Title, e.Dest.PageID))
			walk(e.Children, depth+1)
		}
	}
	walk(p.doc.Outlines, 0)
	var want []string
	var open []int
	for _, b := range r.lay.Bookmarks {
		for len(open) > 0 && open[len(open)-1] >= b.Level {
			open = open[:len(open)-1]
		}
		want = append(want, fmt.Sprintf("%d %s %d", len(open), b.Title, p.pageIDs[b.Page]))
		open = append(open, b.Level)
	}
	if strings.Join(flat, "\n") != strings.Join(want, "\n") {
		t.Errorf("outline:\n%s\nwant:\n%s", strings.Join(flat, "\n"), strings.Join(want, "\n"))
	}
	return p
}

func TestExamples(t *testing.T) {
	for _, name := range []string{"wuchuan-2023.json", "all-fields.json"} {
		t.Run(name, func(t *testing.T) {
			doc := docFromJSON(t, exampleJSON(t, name))
			r := renderBoth(t, doc)
			checkAgainst(t, r)
			// The text, read in order, is the document's text.
			p := readPackage(t, r.ofd)
			var got strings.Builder
			for i := range p.pages {
				got.WriteString(pageNumberRE.ReplaceAllString(p.pageText(i), ""))
			}
			if g, w := stripSpace(got.String()), stripSpace(strings.Join(doc.Text(), "")); g != w && !hasRepeats(r.lay) {
				t.Errorf("OFD text is not the document's text")
			}
			// Size: at most 1.2 times the PDF.
			if ratio := float64(len(r.ofd)) / float64(len(r.pdf)); ratio > 1.2 {
				t.Errorf("OFD is %d bytes, %.2f times the PDF's %d", len(r.ofd), ratio, len(r.pdf))
			} else {
				t.Logf("OFD %d bytes, PDF %d bytes (%.3f)", len(r.ofd), len(r.pdf), ratio)
			}
			// Deterministic.
			again := renderBoth(t, docFromJSON(t, exampleJSON(t, name)))
			if !bytes.Equal(again.ofd, r.ofd) {
				t.Error("the same report gave different OFD bytes")
			}
		})
	}
}

func hasRepeats(lay *typeset.Layout) bool {
	for _, p := range lay.Pages {
		for _, r := range p.Runs {
			if r.Repeat {
				return true
			}
		}
	}
	return false
}

// genReportJSON builds a random valid report with long URLs, runs of punctuation that
// the 禁则 move, numbers, Latin, tables (some long enough to continue on another page),
// run-in headings and forced breaks.
func genReportJSON(rng *rand.Rand, paras int) []byte {
	pieces := []string{
		"法治政府建设", "依法行政", "行政执法", "规范性文件", "全面落实", "政务公开",
		"。”）", "——", "……", "《〈规定〉》", "（试行）", "“三项制度”", "；", "，", "、", "：",
		"2023年", "10.88%", "1,560人次", "2024-01-15", "第277号", "ISO 9001", "Open Data", "PDF/A",
		"https://www.wuchuan.gov.cn/kgmj/gkmlpt/content/2/2851/post_2851234.html?id=7&lang=zh_CN",
		"http://example.gov.cn/a-b_c/d.e", "我局", "工作", "情况", "报告如下", "同比增长", "12", "3.5", "A", "x",
		"a<b & c>d", "]]>", `"引号"`,
		"张𠮷", "𬌗", "𫚭鱼", // beyond the BMP: drawn by the fallback face in the body, by their own face in 黑体 and 宋体
	}
	para := func() string {
		var b strings.Builder
		for i, n := 0, 3+rng.Intn(25); i < n; i++ {
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
		rows := [][]string{}
		for r := 0; r < 1+rng.Intn(30); r++ {
			rows = append(rows, []string{pieces[rng.Intn(len(pieces))], fmt.Sprint(rng.Intn(1000)), fmt.Sprintf("%.2f%%", rng.Float64()*100)})
		}
		body = append(body, map[string]any{"table": map[string]any{
			"caption": "表" + fmt.Sprint(s+1) + " 统计", "header": []string{"项目", "数量", "占比"}, "rows": rows}})
		sub := []any{
			map[string]any{"heading": "健全机制。", "runIn": true, "body": []any{para()}},
			map[string]any{"heading": "规范执法", "body": []any{para() + "\n" + para()}},
		}
		sections = append(sections, map[string]any{"heading": "主要工作" + pieces[rng.Intn(6)], "body": body, "sections": sub})
	}
	b, err := json.Marshal(map[string]any{
		"title": "测试市司法局" + fmt.Sprint(2000+rng.Intn(30)) + "年法治政府建设年度报告", "issuer": "测试市<司法局> & ]]>",
		"year": 2023, "date": "2024-01-15", "addressee": "市委、市政府：", "preamble": []any{para()},
		"sections": sections, "attachments": []string{"统计表", "名单"},
	})
	if err != nil {
		panic(err)
	}
	return b
}

func TestGenerated(t *testing.T) {
	rng := rand.New(rand.NewSource(33190))
	n := 4
	if testing.Short() {
		n = 1
	}
	for i := 0; i < n; i++ {
		data := genReportJSON(rng, 3+rng.Intn(8))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkAgainst(t, renderBoth(t, docFromJSON(t, data)))
		})
	}
}
