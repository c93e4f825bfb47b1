package docx

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/report"
	"gongwen/internal/testtool"
	"gongwen/internal/typeset"
	"gongwen/templates"
)

// formExample is the document-form example with its run-in headings set as
// stand-alone headings: LibreOffice 7.4 ignores Word's style separator and sets a
// run-in heading on a line of its own (libreoffice_test.go: checkRunIns; README), which
// would shift its page starts for reasons that have nothing to do with the 版头,
// seal or 版记 measured here.
func formExample(t *testing.T) *compose.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "all-fields-document.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := report.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var standAlone func(ss []report.Section)
	standAlone = func(ss []report.Section) {
		for i := range ss {
			ss[i].RunIn = false
			standAlone(ss[i].Sections)
		}
	}
	standAlone(rep.Sections)
	return compose.Compose(rep)
}

// documentForms are the document-form reports the LibreOffice test converts: the
// example (版记 on a page of its own after an odd last page) and variants that put
// the 版记 on the last body page and behind a blank page.
func documentForms(t *testing.T) map[string]*compose.Document {
	t.Helper()
	docs := map[string]*compose.Document{"all-fields-document": formExample(t)}
	// Without the attachment pages the body ends on page 4: the 版记 fits under it.
	even := formExample(t)
	var kept []compose.Block
	skip := false
	for _, b := range even.Blocks {
		if b.Kind == compose.KindAttachmentPage {
			skip = true
		}
		if b.Kind == compose.KindRecord {
			skip = false
		}
		if !skip {
			kept = append(kept, b)
		}
	}
	even.Blocks = kept
	docs["record-on-last-page"] = even
	// Three signers (two lines of names), no 份号/密级/紧急程度, an unsealed
	// signature, only 抄送 in the 版记.
	three := formExample(t)
	for i := range three.Blocks {
		b := &three.Blocks[i]
		switch b.Kind {
		case compose.KindHeader:
			h := *b.Header
			h.Signers = []string{"张三", "李四", "王五"}
			h.CopyNumber, h.Secrecy, h.Urgency = "", "", ""
			b.Header = &h
		case compose.KindSignature:
			b.Seal = nil
		case compose.KindRecord:
			b.Record = &compose.Record{CC: b.Record.CC}
		}
	}
	docs["three-signers-unsealed"] = three
	// A downward document: no signers, the 发文字号 centred; a long organ name
	// narrowed to the type area.
	down := formExample(t)
	for i := range down.Blocks {
		if b := &down.Blocks[i]; b.Kind == compose.KindHeader {
			h := *b.Header
			h.Signers = nil
			h.Organ = "示例市司法局示例市人力资源和社会保障局联合文件"
			b.Header = &h
		}
	}
	docs["downward-long-organ"] = down
	return docs
}

// TestDocumentFormLibreOffice: LibreOffice sets the document form on as many pages
// as our PDF, each page starting with the same text, prints the same text (版头 and
// 版记 included), shows the seal, and numbers no 版记-only page.
func TestDocumentFormLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	set, err := fonts.Default()
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	docs := documentForms(t)
	files := map[string][]byte{}
	ours := map[string]*pdf.Result{}
	for name, doc := range docs {
		b, err := Render(doc, set)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = b
		if ours[name], err = pdf.Render(doc, set); err != nil {
			t.Fatalf("%s: pdf: %v", name, err)
		}
	}
	dir := t.TempDir()
	if keep := os.Getenv("GONGWEN_DOCX_KEEP"); keep != "" {
		dir = keep
	}
	pdfs := convert(t, dir, "", files)
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want := noSpace(strings.Join(wantText(doc), ""))
			if got := printedText(t, pdfs[name]); got != want {
				t.Errorf("LibreOffice prints other text:\n got %s\nwant %s", got, want)
			}
			ourPath := filepath.Join(dir, name+".ours.pdf")
			if err := os.WriteFile(ourPath, ours[name].Bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			lo, loPages := readLines(t, pdfs[name])
			us, usPages := readLines(t, ourPath)
			if loPages != usPages {
				t.Errorf("LibreOffice: %d pages, our PDF: %d", loPages, usPages)
			}
			loStarts, usStarts := formPageStarts(lo), formPageStarts(us)
			for p := 1; p <= min(loPages, usPages); p++ {
				if loStarts[p] != usStarts[p] {
					t.Errorf("page %d starts with %q in LibreOffice, %q in our PDF", p, loStarts[p], usStarts[p])
				}
			}
			// The 版头's lines and the title stand where our PDF puts them.
			for _, u := range us {
				if u.page != 1 || len(u.text) == 0 || u.size < 16 || pageNumberRE.MatchString(string(u.text)) {
					continue
				}
				if u.size > 16 && u.size < 23 {
					continue // the title: LibreOffice measures it from another em box
				}
				found := false
				for _, l := range lo {
					if l.page == 1 && string(l.text) == string(u.text) {
						found = true
						if d := l.y - u.y; d < -2 || d > 2 {
							t.Errorf("page 1 %q: baseline %.2f in LibreOffice, %.2f in our PDF", string(u.text), l.y, u.y)
						}
					}
				}
				if !found && len(u.text) > 1 {
					t.Logf("page 1 %q: not one line in LibreOffice", string(u.text))
				}
			}
			// The red separator and the 版记's rules where our PDF draws them.
			loRules, usRules := strokes(t, pdfs[name]), strokes(t, ourPath)
			for _, page := range []int{1, usPages} {
				l, u := loRules[page], usRules[page]
				if page == usPages {
					n := 0 // the 版记's rules: one above each element, one under the last
					for _, b := range doc.Blocks {
						if b.Kind == compose.KindRecord {
							n = b.Record.Lines() + 1
						}
					}
					l, u = l[len(l)-min(n, len(l)):], u[len(u)-min(n, len(u)):] // after any table's
				}
				if len(l) == 0 || len(l) != len(u) {
					t.Errorf("page %d: LibreOffice draws %d rules, our PDF %d", page, len(l), len(u))
					continue
				}
				for i := range l {
					if l[i].color != u[i].color || math.Abs(l[i].y-u[i].y) > 1 || math.Abs(l[i].width-u[i].width) > 0.1 {
						t.Errorf("page %d rule %d: LibreOffice %+v, our PDF %+v", page, i, l[i], u[i])
					}
				}
			}
			// The seal where our PDF puts it, at its size.
			loImg, usImg := imagePlaces(t, pdfs[name]), imagePlaces(t, ourPath)
			if len(loImg) != len(usImg) {
				t.Errorf("LibreOffice draws %d images, our PDF %d", len(loImg), len(usImg))
			}
			for i := range min(len(loImg), len(usImg)) {
				for k := range loImg[i] {
					if math.Abs(loImg[i][k]-usImg[i][k]) > 1 {
						t.Errorf("image %d: LibreOffice at %v, our PDF at %v (page, x, y, size)", i, loImg[i], usImg[i])
						break
					}
				}
			}
			// No page number on a 版记-only page; one on every other page.
			for p := 1; p <= loPages; p++ {
				numbered := false
				for _, l := range lo {
					if l.page == p && pageNumberRE.MatchString(string(l.text)) {
						numbered = true
					}
				}
				if wantNum := p <= usPages && hasFolio(us, p); numbered != wantNum {
					t.Errorf("page %d: LibreOffice prints a page number %v, our PDF %v", p, numbered, wantNum)
				}
			}
		})
	}
	// The seal: one media part, one relationship, one picture.
	zr, err := zip.NewReader(bytes.NewReader(files["all-fields-document"]), int64(len(files["all-fields-document"])))
	if err != nil {
		t.Fatal(err)
	}
	media := 0
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "word/media/") {
			media++
		}
	}
	doc, _ := readPart(zr, templates.DocumentPart)
	rels, _ := readPart(zr, relsPart)
	if media != 1 || bytes.Count(doc, []byte(`r:embed="`+sealRel+`"`)) != 1 || bytes.Count(rels, []byte(`Id="`+sealRel+`"`)) != 1 ||
		!bytes.Contains(doc, []byte(`behindDoc="1"`)) {
		t.Errorf("seal: %d media parts, %d pictures, %d relationships, behind the text %v", media,
			bytes.Count(doc, []byte(`r:embed="`+sealRel+`"`)), bytes.Count(rels, []byte(`Id="`+sealRel+`"`)), bytes.Contains(doc, []byte(`behindDoc="1"`)))
	}
	if tool := testtool.Require(t, "pdfimages"); tool != "" {
		out := pdfImagesList(t, tool, pdfs["all-fields-document"])
		if !strings.Contains(out, "image") {
			t.Errorf("LibreOffice's PDF shows no seal image:\n%s", out)
		}
	}
}

// pageStarts is the first line's text of each page, page numbers aside.
func formPageStarts(lines []line) map[int]string {
	out := map[int]string{}
	for _, l := range lines {
		s := string(l.text)
		if _, ok := out[l.page]; ok || pageNumberRE.MatchString(s) {
			continue
		}
		out[l.page] = s
	}
	return out
}

func hasFolio(lines []line, page int) bool {
	for _, l := range lines {
		if l.page == page && pageNumberRE.MatchString(string(l.text)) {
			return true
		}
	}
	return false
}

func pdfImagesList(t *testing.T, tool, path string) string {
	t.Helper()
	out, err := exec.Command(tool, "-list", path).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	return string(out)
}

type rule struct {
	color    string
	y, width float64
}

var strokeRE = regexp.MustCompile(`<stroke_path linewidth="([0-9.]+)"[^>]*color="([^"]*)"[^>]*>\s*<moveto x="[0-9.]+" y="([0-9.]+)"/>\s*<lineto x="[0-9.]+" y="([0-9.]+)"/>\s*</stroke_path>`)

// strokes lists each page's horizontal rules, top to bottom as drawn, from mutool
// trace (y from the page's top).
func strokes(t *testing.T, path string) map[int][]rule {
	t.Helper()
	out, err := exec.Command("mutool", "trace", path).Output()
	if err != nil {
		t.Fatalf("mutool trace: %v", err)
	}
	res := map[int][]rule{}
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range strokeRE.FindAllStringSubmatch(page, -1) {
			if m[3] != m[4] {
				continue // vertical
			}
			w, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[3], 64)
			c := m[2]
			if c == "0" || c == "1" { // grey: as RGB
				c = c + " " + c + " " + c
			}
			r := rule{color: c, y: 841.89 - y, width: w}
			if k := len(res[i+1]); k > 0 && res[i+1][k-1] == r {
				continue // LibreOffice draws a border twice where two paragraphs meet
			}
			res[i+1] = append(res[i+1], r)
		}
		slices.SortStableFunc(res[i+1], func(a, b rule) int { return cmp.Compare(a.y, b.y) })
	}
	return res
}

// BenchmarkRenderDocumentForm: the DOCX of the examples, the document-form one
// alone (which typesets the report once more to place the 版记 where the PDF does)
// and given the paging of render's layout (-paged).
func BenchmarkRenderDocumentForm(b *testing.B) {
	set, err := fonts.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"all-fields.json", "all-fields-document.json"} {
		doc := example(b, name)
		b.Run(name, func(b *testing.B) {
			benchDocx(b, func() ([]byte, error) { return Render(doc, set) })
		})
	}
	doc := example(b, "all-fields-document.json")
	lay, err := typeset.Typeset(doc, set)
	if err != nil {
		b.Fatal(err)
	}
	p := PagingOf(lay)
	b.Run("all-fields-document.json-paged", func(b *testing.B) {
		benchDocx(b, func() ([]byte, error) { return RenderPaged(context.Background(), doc, set, p) })
	})
}

var imageRE = regexp.MustCompile(`<fill_image [^>]*transform="([-0-9.]+) [-0-9.]+ [-0-9.]+ ([-0-9.]+) ([-0-9.]+) ([-0-9.]+)"`)

// imagePlaces lists the images mutool trace finds: page, x, y and width of each.
func imagePlaces(t *testing.T, path string) [][4]float64 {
	t.Helper()
	out, err := exec.Command("mutool", "trace", path).Output()
	if err != nil {
		t.Fatalf("mutool trace: %v", err)
	}
	var res [][4]float64
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range imageRE.FindAllStringSubmatch(page, -1) {
			w, _ := strconv.ParseFloat(m[1], 64)
			x, _ := strconv.ParseFloat(m[3], 64)
			y, _ := strconv.ParseFloat(m[4], 64)
			res = append(res, [4]float64{float64(i + 1), x, y, w})
		}
	}
	return res
}
