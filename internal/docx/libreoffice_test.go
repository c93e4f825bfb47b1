package docx

import (
	"encoding/json"
	"encoding/xml"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	fontfiles "gongwen/fonts"
	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/report"
	"gongwen/internal/spec"
	"gongwen/internal/testtool"
	"gongwen/templates"
)

// The DOCX is read back the way a reader's office suite shows it: LibreOffice
// (headless) converts it to PDF, with the PDF's own embedded stand-in fonts standing
// in for the official names (a private fontconfig), and the PDF is measured with
// mutool and pdftotext.

// stextChar is one glyph of `mutool draw -F stext`.
type stextChar struct {
	C    string  `xml:"c,attr"`
	X    float64 `xml:"x,attr"`
	Y    float64 `xml:"y,attr"`
	Quad string  `xml:"quad,attr"`
}

type stextLine struct {
	Fonts []struct {
		Name  string      `xml:"name,attr"`
		Size  float64     `xml:"size,attr"`
		Chars []stextChar `xml:"char"`
	} `xml:"font"`
}

type stextPage struct {
	Blocks []struct {
		Lines []stextLine `xml:"line"`
	} `xml:"block"`
}

// line is one printed line: its glyphs, size, baseline and extent.
type line struct {
	page   int
	size   float64
	y      float64
	x0, x1 float64
	text   []rune
}

func readLines(t *testing.T, pdfPath string) (lines []line, pages int) {
	t.Helper()
	out, err := exec.Command("mutool", "draw", "-q", "-F", "stext", "-o", "-", pdfPath).Output()
	if err != nil {
		t.Fatalf("mutool draw: %v", err)
	}
	var doc struct {
		Pages []stextPage `xml:"page"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("stext: %v", err)
	}
	for pi, p := range doc.Pages {
		for _, b := range p.Blocks {
			for _, l := range b.Lines {
				var ln line
				ln.page = pi + 1
				for _, f := range l.Fonts {
					for _, c := range f.Chars {
						q := strings.Fields(c.Quad)
						if len(q) < 3 {
							continue
						}
						x1, _ := strconv.ParseFloat(q[2], 64)
						r := []rune(c.C)
						if len(r) != 1 || r[0] == ' ' {
							continue
						}
						if len(ln.text) == 0 {
							ln.x0, ln.y, ln.size = c.X, c.Y, f.Size
						}
						ln.text = append(ln.text, r[0])
						ln.x1 = x1
					}
				}
				if len(ln.text) > 0 {
					lines = append(lines, ln)
				}
			}
		}
	}
	return lines, len(doc.Pages)
}

// The reader's machine has no official fonts: LibreOffice runs with the system's
// fonts (on Debian often Noto Sans CJK, which it used for every role before the DOCX
// embedded its fonts) and a private profile. officialConf adds, for one test, a font
// installed under an official name, as on a machine with the official fonts: the kai
// stand-in's file renamed 仿宋_GB2312 (PostScript name OfficialFangsongStandIn) by
// fontTools.
func officialConf(t *testing.T, dir string) string {
	t.Helper()
	py := testtool.Require(t, "/usr/bin/python3")
	fontDir := filepath.Join(dir, "official")
	if err := os.MkdirAll(fontDir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "kai.ttf")
	kai, _, err := fontfiles.GPL(spec.RoleKai.Name()) // FandolKai, a file beside the code
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, kai, 0o644); err != nil {
		t.Fatal(err)
	}
	const rename = `
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
n = f['name']
n.names = [r for r in n.names if r.nameID not in (1, 2, 4, 6, 16, 17)]
n.setName(sys.argv[3], 1, 3, 1, 0x409)
n.setName('Regular', 2, 3, 1, 0x409)
n.setName(sys.argv[3], 4, 3, 1, 0x409)
n.setName('OfficialFangsongStandIn', 6, 3, 1, 0x409)
f.save(sys.argv[2])
`
	dst := filepath.Join(fontDir, "official-fangsong.ttf")
	if out, err := exec.Command(py, "-c", rename, src, dst, spec.RoleFangsong.OfficialFont()).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "true" && strings.Contains(string(out), "fontTools") {
			t.Skipf("fontTools is missing: %s", out)
		}
		t.Fatalf("rename the font: %v\n%s", err, out)
	}
	conf := `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>` +
		`<include ignore_missing="yes">/etc/fonts/fonts.conf</include>` +
		"<dir>" + fontDir + "</dir><cachedir>" + filepath.Join(dir, "cache") + "</cachedir></fontconfig>"
	path := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// convert runs LibreOffice over every file and returns the PDF paths. Each file gets
// a LibreOffice process of its own: LibreOffice registers a document's embedded fonts
// by name for the whole session, so a second document embedding other subsets under
// the same names would be set with the first one's (measured: its other characters
// fell back to DejaVu). fontsConf is a fontconfig file, or "" for the system's.
func convert(t *testing.T, dir, fontsConf string, files map[string][]byte) map[string]string {
	t.Helper()
	soffice := testtool.Require(t, "soffice")
	testtool.Require(t, "mutool")
	testtool.Require(t, "pdftotext")
	testtool.Require(t, "pdffonts")
	out := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, p)
		cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home-"+name))
		if fontsConf != "" {
			cmd.Env = append(cmd.Env, "FONTCONFIG_FILE="+fontsConf)
		}
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice %s: %v\n%s", name, err, msg)
		}
		out[name] = filepath.Join(dir, name+".pdf")
		if _, err := os.Stat(out[name]); err != nil {
			t.Fatalf("LibreOffice did not convert %s: %v", name, err)
		}
	}
	return out
}

var pageNumberRE = regexp.MustCompile(`—\s*\d+\s*—`)

// printedText is a PDF's text without white space and page numbers.
func printedText(t *testing.T, pdfPath string, mode ...string) string {
	t.Helper()
	if len(mode) == 0 {
		mode = []string{"-raw"}
	}
	out, err := exec.Command("pdftotext", append(mode, "-enc", "UTF-8", pdfPath, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return noSpace(pageNumberRE.ReplaceAllString(string(out), ""))
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	docs := map[string]*compose.Document{
		"wuchuan":     example(t, "wuchuan-2023.json"),
		"all-fields":  example(t, "all-fields.json"),
		"markup":      everything(`<w:t>注入</w:t> & "引号" ']]>' <!--注释-->`),
		"dated":       dated(example(t, "wuchuan-2023.json")),
		"long-table":  longTable(40),
		"table-pages": longTable(400),
		"generated":   generated(t),
		"wuchuan-x10": repeated(t, 10),
		"tgh":         tghDoc(t),
	}
	dir := t.TempDir()
	if keep := os.Getenv("GONGWEN_DOCX_KEEP"); keep != "" {
		dir = keep // keep the files for a look
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	equalDocs, totalDocs := 0, 0
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		doc := docs[name]
		t.Run(name, func(t *testing.T) {
			docx, err := Render(doc, set)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{name: docx}
			pdfs := convert(t, dir, "", files)
			// Text: every character of the input plus numbering, in order.
			want := noSpace(strings.Join(wantText(doc), ""))
			got := printedText(t, pdfs[name])
			if name == "tgh" {
				// LibreOffice draws a line's fallback-face glyphs as separate portions
				// after the others: read the page by position, not in drawing order.
				got = printedText(t, pdfs[name], "-layout")
				if names := pdfFonts(t, pdfs[name]); !slices.Contains(names, "FandolFang-Regular") {
					t.Errorf("LibreOffice's PDF has no FandolFang font: %q", names)
				}
			}
			for _, b := range doc.Blocks {
				if b.Table != nil && len(b.Table.Header) > 0 {
					// The header row is printed again on every page the table
					// continues on.
					header := noSpace(strings.Join(b.Table.Header, ""))
					got = strings.ReplaceAll(got, header, "")
					want = strings.ReplaceAll(want, header, "")
				}
			}
			if got != want {
				g, w := []rune(got), []rune(want)
				i := 0
				for i < len(g) && i < len(w) && g[i] == w[i] {
					i++
				}
				t.Errorf("LibreOffice prints other text from character %d:\n got …%s\nwant …%s", i,
					string(g[max(0, i-20):min(len(g), i+40)]), string(w[max(0, i-20):min(len(w), i+40)]))
			}
			lines, pages := readLines(t, pdfs[name])
			hanging := checkLayout(t, lines, pages)
			checkBlocks(t, doc, lines)
			if name == "tgh" {
				// The DOCX cannot name our fallback face (no run asks for it), so for
				// the characters FandolFang lacks LibreOffice picks a system face
				// (measured: NotoSansCJKjp-Regular); the role's own face must still
				// be the embedded FandolFang (checked above).
				t.Logf("LibreOffice's fonts for 通用规范汉字表: %q", pdfFonts(t, pdfs[name]))
			} else {
				checkFonts(t, pdfs[name], files[name])
			}
			runIns := checkRunIns(t, doc, lines)
			ours, err := pdf.Render(doc, set)
			if err != nil {
				t.Fatalf("pdf: %v", err)
			}
			ourPath := filepath.Join(dir, name+".ours.pdf")
			if err := os.WriteFile(ourPath, ours.Bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			ourLines, ourPages := readLines(t, ourPath)
			a, b := pageStarts(lines, pages), pageStarts(ourLines, ourPages)
			if name == "tgh" {
				// LibreOffice draws a line's fallback glyphs after the others, so
				// its reading order differs there: compare the pages' starts in the
				// characters FandolFang draws itself.
				own := func(ls []line) []line {
					out := make([]line, 0, len(ls))
					for _, l := range ls {
						var rs []rune
						for _, r := range l.text {
							if set.Has(spec.RoleFangsong, r) || unicode.IsDigit(r) || r == '—' {
								rs = append(rs, r)
							}
						}
						if len(rs) > 0 {
							l.text = rs
							out = append(out, l)
						}
					}
					return out
				}
				a, b = pageStarts(own(lines), pages), pageStarts(own(ourLines), ourPages)
			}
			if last := doc.Blocks[len(doc.Blocks)-1]; last.Kind == compose.KindTable && pages > ourPages && a[pages-1] == "" {
				// The paragraph Word needs after a final table is hidden and one twip
				// high, so Word sets no empty page after a table that fills its page;
				// LibreOffice does (README).
				t.Logf("LibreOffice adds an empty page after the final table")
				pages--
				a = a[:pages]
			}
			equal := 0
			for i := range min(len(a), len(b)) {
				if a[i] == b[i] {
					equal++
				}
			}
			t.Logf("pages: LibreOffice %d, our PDF %d; page starts equal: %d of %d; LibreOffice hangs punctuation on %d lines, sets %d run-in headings on lines of their own",
				pages, ourPages, equal, ourPages, hanging, runIns)
			totalDocs++
			if pages == ourPages && equal == ourPages {
				equalDocs++
			}
			// LibreOffice 7.4 departs from our PDF (and Word) in two measured ways, both
			// left to Word's meaning (README: DOCX in LibreOffice): it hangs closing
			// punctuation past the margin where w:overflowPunct="0" forbids it, and sets
			// a style-separated heading on a line of its own. Where neither happens, it
			// must break every page where our PDF does.
			if hanging == 0 && runIns == 0 && (pages != ourPages || equal != ourPages) {
				t.Errorf("LibreOffice sets %d pages, our PDF %d; page starts equal on %d", pages, ourPages, equal)
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Logf("page %d: LibreOffice starts %q, our PDF %q", i+1, a[i], b[i])
					}
				}
			}
		})
	}
	t.Logf("LibreOffice breaks every page where our PDF does on %d of %d documents", equalDocs, totalDocs)
}

// TestLibreOfficeOfficialFonts: on a machine with an official font installed,
// LibreOffice sets the text asking for it in that font, not the embedded stand-in.
func TestLibreOfficeOfficialFonts(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	b, err := Render(example(t, "wuchuan-2023.json"), set)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdfs := convert(t, dir, officialConf(t, dir), map[string][]byte{"wuchuan": b})
	names := pdfFonts(t, pdfs["wuchuan"])
	if !slices.Contains(names, "OfficialFangsongStandIn") {
		t.Errorf("LibreOffice's PDF uses %q, not the installed 仿宋_GB2312", names)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "FandolFang") {
			t.Errorf("the fangsong stand-in %s is used though 仿宋_GB2312 is installed", n)
		}
	}
}

// pdfFonts lists the base names (without subset prefix) pdffonts reads from a PDF.
func pdfFonts(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	var names []string
	for i, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if i < 2 || len(f) == 0 {
			continue
		}
		n := f[0]
		if k := strings.IndexByte(n, '+'); k == 6 {
			n = n[k+1:]
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// checkFonts: every font in LibreOffice's PDF is one of the fonts embedded in the DOCX
// (their PostScript names read back with fc-scan after undoing the obfuscation), never
// a system face such as Noto Sans CJK JP.
func checkFonts(t *testing.T, pdfPath string, docx []byte) {
	t.Helper()
	fcScan := testtool.Require(t, "fc-scan")
	var embedded []string
	dir := t.TempDir()
	for _, f := range embeddedFonts(t, docx) {
		p := filepath.Join(dir, "f.ttf")
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(fcScan, "--format", "%{postscriptname}", p).Output()
		if err != nil {
			t.Fatalf("fc-scan: %v", err)
		}
		embedded = append(embedded, string(out))
	}
	if len(embedded) == 0 {
		t.Fatal("the DOCX embeds no fonts")
	}
	for _, n := range pdfFonts(t, pdfPath) {
		if !slices.Contains(embedded, n) {
			t.Errorf("LibreOffice's PDF uses %s, not one of the embedded stand-ins %q", n, embedded)
		}
	}
}

// checkRunIns: LibreOffice 7.4 ignores the style separator and sets every run-in
// heading alone on its line (measured; README). The test fails when that changes, so
// that the README and the page-start comparison can be brought up to date. It returns
// the number of run-in headings.
func checkRunIns(t *testing.T, doc *compose.Document, lines []line) int {
	t.Helper()
	n := 0
	for _, b := range doc.Blocks {
		if b.Kind != compose.KindParagraph || b.Level == 0 || len(b.Runs) < 2 {
			continue
		}
		n++
		h := noSpace(b.Runs[0].Text)
		if !slices.ContainsFunc(lines, func(l line) bool { return string(l.text) == h }) {
			t.Errorf("LibreOffice no longer sets the run-in heading %q on a line of its own: update the README and the page-start check", h)
		}
	}
	return n
}

// pageStarts is the first eight characters of body text on each page.
func pageStarts(lines []line, pages int) []string {
	out := make([]string, pages)
	for _, l := range lines {
		if pageNumberRE.MatchString(string(l.text)) && l.size == spec.PageNumberSize {
			continue
		}
		if i := l.page - 1; len([]rune(out[i])) < 8 {
			out[i] += string(l.text)
			if r := []rune(out[i]); len(r) > 8 {
				out[i] = string(r[:8])
			}
		}
	}
	return out
}

// generated is a report of more than 60 pages without run-in headings: the Wuchuan
// text in numbered sections with stand-alone headings of every level, and a table in
// every section.
func generated(t *testing.T) *compose.Document {
	t.Helper()
	src := wuchuan(t)
	var paras []string
	for _, b := range src.Blocks {
		if b.Kind == compose.KindParagraph && b.Level == 0 {
			paras = append(paras, b.Runs[0].Text)
		}
	}
	nums := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	doc := &compose.Document{Title: "生成的长报告", Author: src.Author, Year: 2023, Date: "2024-01-15"}
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindTitle, Path: "/title",
		Runs: []compose.Run{{Text: "吴川市科工贸和信息化局2023年法治政府建设年度报告（长篇）", Role: spec.RoleTitle}}})
	k := 0
	heading := func(level int, text string) {
		doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindHeading, Level: level, Path: "/h" + strconv.Itoa(k),
			Bookmark: text, Runs: []compose.Run{{Text: text, Role: spec.HeadingRole(level)}}})
	}
	for s := range 10 {
		heading(1, nums[s]+"、第"+nums[s]+"部分工作情况")
		for sub := range 3 {
			heading(2, "（"+nums[sub]+"）分项工作")
			heading(3, strconv.Itoa(sub+1)+".具体措施")
			for range 4 {
				k++
				doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindParagraph, Path: "/p" + strconv.Itoa(k),
					Runs: []compose.Run{{Text: paras[k%len(paras)], Role: spec.RoleFangsong}}})
			}
		}
		tb := longTable(6).Blocks[1]
		tb.Table.Caption = "表" + strconv.Itoa(s+1) + "　事项办理情况"
		doc.Blocks = append(doc.Blocks, tb)
	}
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindSignature, Path: "/date",
		Issuer: src.Author, Date: "2024年1月15日"})
	return doc
}

// repeated is the Wuchuan example with its sections repeated n times (n = 10: 69 pages).
func repeated(t testing.TB, n int) *compose.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "wuchuan-2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := report.Parse(testtool.RepeatSections(t, data, n))
	if err != nil {
		t.Fatal(err)
	}
	return compose.Compose(rep)
}

// tghDoc prints every character of 通用规范汉字表 (Unihan kTGH, all 8,105, the 196
// beyond the BMP included) in body paragraphs: the DOCX carries them, and LibreOffice
// (with the stand-ins, the fallback face among them) prints each one, which the text
// check reads back with pdftotext.
func tghDoc(t *testing.T) *compose.Document {
	var paras []any
	var line []rune
	tgh := testtool.TGH(t)
	for i, c := range tgh {
		line = append(line, c.R)
		if len(line) == 500 || i == len(tgh)-1 {
			paras = append(paras, string(line))
			line = nil
		}
	}
	data, err := json.Marshal(map[string]any{"title": "通用规范汉字表", "issuer": "测试局", "year": 2023,
		"sections": []any{map[string]any{"heading": "全部字符", "body": paras}}})
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := report.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return compose.Compose(rep)
}

// dated gives a report a date, hence a signature block whose date is shorter than the
// issuer's name.
func dated(doc *compose.Document) *compose.Document {
	doc.Date = "2024-01-15"
	doc.Blocks = append(doc.Blocks, compose.Block{Kind: compose.KindSignature, Path: "/date",
		Issuer: doc.Author, Date: "2024年1月15日"})
	return doc
}

// longTable is a table of n rows (40: longer than a page).
func longTable(n int) *compose.Document {
	t := &report.Table{Header: []string{"序号", "事项名称", "办理数量", "办结率"}}
	for i := range n {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), "行政许可事项第" + strconv.Itoa(i+1) + "项", strconv.Itoa(100 + i), "99.5%"})
	}
	return &compose.Document{Title: "表格", Author: "某局", Blocks: []compose.Block{
		{Kind: compose.KindTitle, Runs: []compose.Run{{Text: "长表格测试", Role: spec.RoleTitle}}},
		{Kind: compose.KindTable, Path: "/sections/0/body/0", Table: t},
	}}
}

// checkLayout measures LibreOffice's rendering against the format: 28 characters on a
// full line of CJK text; every glyph but the page numbers inside the type area, except
// the closing punctuation LibreOffice hangs into the right margin (one mark, ending a
// line, within one character of the edge), whose lines it counts and returns; at most
// 22 body lines a page with every baseline on the 28.95 pt grid; the page numbers
// where the standard puts them.
func checkLayout(t *testing.T, lines []line, pages int) (hanging int) {
	t.Helper()
	const tol = 1.0
	// The type area, literally (GB/T 9704: 156 x 225 mm, top margin 37 mm, left 28 mm).
	const left, right, top, bottom = 79.37, 521.57, 104.88, 742.68
	full, exact := 0, 0
	baselines := map[int]map[float64]bool{}
	numbers := map[int]line{}
	for _, l := range lines {
		s := string(l.text)
		if pageNumberRE.MatchString(s) && l.size == spec.PageNumberSize {
			numbers[l.page] = l
			continue
		}
		if l.size == spec.BodySize {
			if baselines[l.page] == nil {
				baselines[l.page] = map[float64]bool{}
			}
			baselines[l.page][float64(int(l.y*10+0.5))/10] = true
		}
		last := l.text[len(l.text)-1]
		hangs := l.x1 > right+tol
		if hangs {
			hanging++
			if !strings.ContainsRune("，。、；：？！）》」』】〕〉”’", last) || l.x1 > right+l.size+tol {
				t.Errorf("page %d: %q ends at %.2f, right of the type area (%.2f)", l.page, s, l.x1, right)
			}
		}
		// Glyph boxes: CJK faces rise about 0.88 em above the baseline and sink 0.12.
		if l.x0 < left-tol || l.y-0.88*l.size < top-tol || l.y+0.12*l.size > bottom+tol {
			t.Errorf("page %d: %q at x %.2f, baseline %.2f: outside the type area", l.page, s, l.x0, l.y)
		}
		// A full line of CJK text starting at the left edge.
		if l.size != spec.BodySize || l.x0 > spec.TypeLeft+tol || !allWide(l.text) || l.x1 < spec.TypeRight-tol {
			continue
		}
		full++
		n := len(l.text)
		if hangs {
			// LibreOffice hangs closing punctuation into the margin (it reads
			// w:overflowPunct="0" inverted); the characters inside must still be 28.
			n--
		}
		switch {
		case n == spec.GridChars:
			exact++
		case n > spec.GridChars:
			t.Errorf("page %d: %d characters on a line, want %d: %q", l.page, n, spec.GridChars, s)
		}
		// Fewer characters, spread to the edge: a line-break rule moved one on.
	}
	t.Logf("LibreOffice: %d full CJK lines, %d of exactly 28 characters; %d lines with hanging punctuation", full, exact, hanging)
	if full >= 10 && exact*10 < full*9 {
		t.Errorf("only %d of %d full CJK lines hold 28 characters", exact, full)
	}
	for p := 1; p <= pages; p++ {
		if n := len(baselines[p]); n > spec.GridLines {
			t.Errorf("page %d has %d body lines, want at most %d", p, n, spec.GridLines)
		}
		// Consecutive baselines are whole grid lines apart. LibreOffice adds each
		// table row's rule width (0.5 pt) to the row's height, hence the tolerance.
		ys := slices.Sorted(maps.Keys(baselines[p]))
		for i := 1; i < len(ys); i++ {
			k := (ys[i] - ys[i-1]) / spec.LinePitch
			if off := abs(k-math.Round(k)) * spec.LinePitch; off > spec.TableRuleWidth+0.2 || math.Round(k) < 1 {
				t.Errorf("page %d: baselines %.2f and %.2f are not whole grid lines apart", p, ys[i-1], ys[i])
			}
		}
		n, ok := numbers[p]
		if !ok {
			t.Errorf("page %d has no page number", p)
			continue
		}
		if string(n.text) != strings.ReplaceAll(spec.PageNumberText(p), " ", "") {
			t.Errorf("page %d numbered %q", p, string(n.text))
		}
		if p%2 == 1 && abs(n.x1-(spec.TypeRight-spec.Cell)) > tol {
			t.Errorf("odd page %d: number ends at %.2f, want %.2f", p, n.x1, spec.TypeRight-spec.Cell)
		}
		if p%2 == 0 && abs(n.x0-(spec.TypeLeft+spec.Cell)) > tol {
			t.Errorf("even page %d: number starts at %.2f, want %.2f", p, n.x0, spec.TypeLeft+spec.Cell)
		}
		if abs(n.y-spec.PageNumberBaseline()) > 1.5 {
			t.Errorf("page %d: number's baseline at %.2f, want %.2f", p, n.y, spec.PageNumberBaseline())
		}
	}
	return hanging
}

// checkBlocks measures the title, attachment note and signature in LibreOffice's
// rendering.
func checkBlocks(t *testing.T, doc *compose.Document, lines []line) {
	t.Helper()
	const tol = 1.5
	// find returns the last body line that reads text.
	find := func(text string) (found line, ok bool) {
		for _, l := range lines {
			if l.size == spec.BodySize && string(l.text) == noSpace(text) {
				found, ok = l, true
			}
		}
		return found, ok
	}
	mid := (spec.TypeLeft + spec.TypeRight) / 2
	for _, l := range lines {
		if l.size == spec.TitleSize && abs((l.x0+l.x1)/2-mid) > tol {
			t.Errorf("title line %q centred at %.2f, want %.2f", string(l.text), (l.x0+l.x1)/2, mid)
		}
	}
	for _, b := range doc.Blocks {
		switch b.Kind {
		case compose.KindAttachments:
			var first line
			for i, it := range b.Items {
				if i == 0 {
					it = spec.AttachmentLabel + it
				}
				l, ok := find(it)
				if !ok {
					t.Errorf("attachment line %q not found on one line", it)
					continue
				}
				label := float64(len([]rune(spec.AttachmentLabel))) * (spec.BodySize + bodyTracking)
				switch {
				case i == 0:
					first = l
					if abs(l.x0-(spec.TypeLeft+spec.IndentCells*spec.BodySize)) > tol {
						t.Errorf("attachment note starts at %.2f, want two characters in", l.x0)
					}
				case abs(l.x0-(first.x0+label)) > tol:
					t.Errorf("attachment %q starts at %.2f, want %.2f (under the first name)", it, l.x0, first.x0+label)
				}
			}
		case compose.KindSignature:
			name, ok1 := find(b.Issuer)
			date, ok2 := find(b.Date)
			if !ok1 || !ok2 {
				t.Errorf("signature lines %q / %q not found", b.Issuer, b.Date)
				continue
			}
			gap := spec.SignatureRightGapCells * spec.BodySize
			offset := date.x0 - name.x0
			// LibreOffice puts extra space between CJK and digits (it ignores
			// w:autoSpaceDN="0", which Word honours), so text with digits comes out
			// wider than Word and the PDF set it: allow for it where the layout
			// depends on the date's width.
			slack := float64(transitions(b.Date)) * 3.5
			if date.x1 <= name.x1+tol {
				// The date fits under the name: the name keeps the right gap and the
				// date starts two characters right of the name's start.
				if r := spec.TypeRight - name.x1; abs(r-gap) > tol {
					t.Errorf("name ends %.2f pt from the right edge, want %.2f", r, gap)
				}
				if abs(offset-spec.DateOffsetCells*spec.Cell) > tol {
					t.Errorf("date starts %.2f pt right of the name, want %.2f", offset, spec.DateOffsetCells*spec.Cell)
				}
			} else {
				// The date is longer: it keeps the right gap, the name moves left.
				if r := spec.TypeRight - date.x1; abs(r-gap) > tol {
					t.Errorf("date ends %.2f pt from the right edge, want %.2f", r, gap)
				}
				if offset < spec.DateOffsetCells*spec.Cell-tol-slack || offset > spec.DateOffsetCells*spec.Cell+tol {
					t.Errorf("date starts %.2f pt right of the name, want %.2f (LibreOffice slack %.1f)", offset, spec.DateOffsetCells*spec.Cell, slack)
				}
			}
			if name.y >= date.y || abs(date.y-name.y-spec.LinePitch) > tol {
				t.Errorf("date not on the line after the name: %.2f, %.2f", name.y, date.y)
			}
		}
	}
}

// transitions counts the places where digits or Latin meet CJK text.
func transitions(s string) int {
	n, prev := 0, -1
	for _, r := range s {
		wide := 0
		if fallbackAdvance(r) == 1 {
			wide = 1
		}
		if prev >= 0 && wide != prev {
			n++
		}
		prev = wide
	}
	return n
}

func allWide(rs []rune) bool {
	for _, r := range rs {
		if fallbackAdvance(r) != 1 {
			return false
		}
	}
	return true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestLibreOfficeRoundTrip: a DOCX that LibreOffice opens and saves again as DOCX keeps
// the style names (before: "Addressee" came back as "Envelope Address" and
// "RunInHeading2" as "RuninHeading2"), and the paragraphs keep their styles.
func TestLibreOfficeRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	soffice := testtool.Require(t, "soffice")
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	b, err := Render(example(t, "all-fields.json"), set)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in", "report.docx")
	if err := os.MkdirAll(filepath.Dir(in), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	out, err := os.ReadFile(filepath.Join(dir, "report.docx"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no DOCX: %v", err)
	}
	names := func(docx []byte) (byID map[string]string, used map[string]int) {
		parts, _ := unzip(t, docx)
		byID = map[string]string{}
		for _, st := range parseXML(t, parts["word/styles.xml"]).all("style") {
			byID[st.attrs["styleId"]] = st.child("name").attrs["val"]
		}
		used = map[string]int{}
		for _, p := range parseXML(t, parts[templates.DocumentPart]).all("pStyle") {
			used[byID[p.attrs["val"]]]++
		}
		return byID, used
	}
	before, usedBefore := names(b)
	after, usedAfter := names(out)
	kept := map[string]bool{}
	for _, n := range after {
		kept[n] = true
	}
	for id, n := range before {
		switch id {
		case "Normal", "DefaultParagraphFont", "TableNormal":
			continue // LibreOffice writes its own defaults
		}
		if !kept[n] && !kept[strings.ToUpper(n[:1])+n[1:]] {
			t.Errorf("style %q (%s) did not survive the round trip", n, id)
		}
	}
	for n, c := range usedBefore {
		if n == "Normal" {
			continue
		}
		if usedAfter[n] != c && usedAfter[strings.ToUpper(n[:1])+n[1:]] != c {
			t.Errorf("%d paragraphs in style %q before the round trip, %d after", c, n, usedAfter[n])
		}
	}
}
