package docx

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
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

// fontconfig writes the stand-in fonts (every face: the roles' and the fallback face,
// which draws what a role's face lacks) and a fontconfig file that serves them under
// the official names the DOCX asks for.
func fontconfig(t *testing.T, dir string) string {
	t.Helper()
	fontDir := filepath.Join(dir, "fonts")
	if err := os.MkdirAll(fontDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range spec.Faces {
		data := fontfiles.File(f.Name())
		if data == nil {
			var err error
			if data, _, err = fontfiles.GPL(f.Name()); err != nil {
				t.Fatalf("no stand-in font for %s: %v", f, err)
			}
		}
		if err := os.WriteFile(filepath.Join(fontDir, f.Name()+".ttf"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var rules strings.Builder
	for _, r := range spec.Roles {
		family, weight := map[spec.Role][2]string{
			spec.RoleFangsong: {"FandolFang R", "regular"},
			spec.RoleTitle:    {"Noto Serif CJK SC", "bold"},
			spec.RoleHei:      {"Noto Sans CJK SC Medium", "regular"},
			spec.RoleKai:      {"FandolKai", "regular"},
			spec.RoleSong:     {"Noto Serif CJK SC", "regular"},
		}[r][0], map[spec.Role]string{spec.RoleTitle: "bold"}[r]
		fmt.Fprintf(&rules, `<match target="pattern"><test name="family"><string>%s</string></test>`+
			`<edit name="family" mode="assign" binding="strong"><string>%s</string></edit>`, r.OfficialFont(), family)
		if weight != "" {
			fmt.Fprintf(&rules, `<edit name="weight" mode="assign" binding="strong"><const>%s</const></edit>`, weight)
		}
		rules.WriteString("</match>\n")
	}
	conf := `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>` +
		"<dir>" + fontDir + "</dir><cachedir>" + filepath.Join(dir, "cache") + "</cachedir>\n" +
		rules.String() + "</fontconfig>"
	path := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// convert runs LibreOffice once over every file (it starts slowly) and returns the
// PDF paths.
func convert(t *testing.T, dir string, files map[string][]byte) map[string]string {
	t.Helper()
	soffice := testtool.Require(t, "soffice")
	testtool.Require(t, "mutool")
	testtool.Require(t, "pdftotext")
	conf := fontconfig(t, dir)
	args := []string{"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir}
	out := map[string]string{}
	for name, data := range files {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
		out[name] = filepath.Join(dir, name+".pdf")
	}
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "FONTCONFIG_FILE="+conf)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	for name, p := range out {
		if _, err := os.Stat(p); err != nil {
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
		"wuchuan":    example(t, "wuchuan-2023.json"),
		"all-fields": example(t, "all-fields.json"),
		"markup":     everything(`<w:t>注入</w:t> & "引号" ']]>' <!--注释-->`),
		"dated":      dated(example(t, "wuchuan-2023.json")),
		"long-table": longTable(),
		"tgh":        tghDoc(t),
	}
	files := map[string][]byte{}
	for name, doc := range docs {
		b, err := Render(doc, set)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = b
	}
	dir := t.TempDir()
	if keep := os.Getenv("GONGWEN_DOCX_KEEP"); keep != "" {
		dir = keep // keep the files for a look
	}
	pdfs := convert(t, dir, files)

	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			// Text: every character of the input plus numbering, in order.
			want := noSpace(strings.Join(wantText(doc), ""))
			got := printedText(t, pdfs[name])
			if name == "tgh" {
				// LibreOffice draws a line's fallback-face glyphs as separate portions
				// after the others: read the page by position, not in drawing order.
				got = printedText(t, pdfs[name], "-layout")
				// FandolFang draws what it has. For the rest LibreOffice picks its own
				// fallback through fontconfig (here Noto Serif CJK SC Regular, the
				// weight asked for, rather than our Light fallback face): a DOCX names
				// fonts and cannot choose the reader's fallback.
				fontList, err := exec.Command("pdffonts", pdfs[name]).Output()
				if err != nil {
					t.Fatalf("pdffonts: %v", err)
				}
				if !strings.Contains(string(fontList), "+FandolFang-Regular") {
					t.Errorf("LibreOffice's PDF has no FandolFang font:\n%s", fontList)
				}
			}
			if name == "long-table" {
				// The header row is printed again on every page the table continues on.
				header := noSpace(strings.Join(doc.Blocks[1].Table.Header, ""))
				if n := strings.Count(got, header); n < 2 {
					t.Errorf("table header printed %d times, want it repeated on the next page", n)
				}
				got = header + strings.ReplaceAll(got, header, "")
				want = header + strings.ReplaceAll(want, header, "")
			}
			if got != want {
				t.Errorf("LibreOffice prints other text:\n got %s\nwant %s", got, want)
			}
			lines, pages := readLines(t, pdfs[name])
			checkLayout(t, lines, pages)
			checkBlocks(t, doc, lines)
			ours, err := pdf.Render(doc, set)
			if err != nil {
				t.Fatalf("pdf: %v", err)
			}
			t.Logf("pages: LibreOffice %d, our PDF %d", pages, ours.Pages)
			if keep := os.Getenv("GONGWEN_DOCX_KEEP"); keep != "" {
				_ = os.WriteFile(filepath.Join(keep, name+".ours.pdf"), ours.Bytes, 0o644)
			}
			if name == "wuchuan" && pages != ours.Pages {
				t.Errorf("LibreOffice sets the Wuchuan report on %d pages, our PDF on %d", pages, ours.Pages)
			}
		})
	}
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

// longTable is a table longer than a page.
func longTable() *compose.Document {
	t := &report.Table{Header: []string{"序号", "事项名称", "办理数量", "办结率"}}
	for i := range 40 {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), "行政许可事项第" + strconv.Itoa(i+1) + "项", strconv.Itoa(100 + i), "99.5%"})
	}
	return &compose.Document{Title: "表格", Author: "某局", Blocks: []compose.Block{
		{Kind: compose.KindTitle, Runs: []compose.Run{{Text: "长表格测试", Role: spec.RoleTitle}}},
		{Kind: compose.KindTable, Path: "/sections/0/body/0", Table: t},
	}}
}

// checkLayout measures LibreOffice's rendering against the format: 28 characters on a
// full line of CJK text, nothing right of the type area but hanging punctuation, at
// most 22 body lines a page with every baseline on the 28.95 pt grid, and the page
// numbers where the standard puts them.
func checkLayout(t *testing.T, lines []line, pages int) {
	t.Helper()
	const tol = 1.0
	full, exact, hanging := 0, 0, 0
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
		hangs := l.x1 > spec.TypeRight+tol
		if hangs && !strings.ContainsRune(spec.NoLineStart, last) {
			t.Errorf("page %d: %q ends at %.2f, right of the type area (%.2f)", l.page, s, l.x1, spec.TypeRight)
		}
		// A full line of CJK text starting at the left edge.
		if l.size != spec.BodySize || l.x0 > spec.TypeLeft+tol || !allWide(l.text) || l.x1 < spec.TypeRight-tol {
			continue
		}
		full++
		n := len(l.text)
		if hangs {
			// LibreOffice hangs closing punctuation into the margin (it ignores
			// w:overflowPunct="0"); the characters inside must still be 28.
			hanging++
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
	t.Logf("LibreOffice: %d full CJK lines, %d of exactly 28 characters, %d with hanging punctuation", full, exact, hanging)
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
