package docx

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/compose"
	"gongwen/internal/fonts"
	"gongwen/internal/pdf"
	"gongwen/internal/testtool"
	"gongwen/templates"
)

// documentForms are the document-form reports the LibreOffice test converts: the
// example (版记 on a page of its own after an odd last page) and variants that put
// the 版记 on the last body page and behind a blank page.
func documentForms(t *testing.T) map[string]*compose.Document {
	t.Helper()
	docs := map[string]*compose.Document{"all-fields-document": example(t, "all-fields-document.json")}
	// Without the attachment pages the body ends on page 4: the 版记 fits under it.
	even := example(t, "all-fields-document.json")
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
	pdfs := convert(t, dir, files)
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
			loStarts, usStarts := pageStarts(lo), pageStarts(us)
			for p := 1; p <= min(loPages, usPages); p++ {
				if loStarts[p] != usStarts[p] {
					t.Errorf("page %d starts with %q in LibreOffice, %q in our PDF", p, loStarts[p], usStarts[p])
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
func pageStarts(lines []line) map[int]string {
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
