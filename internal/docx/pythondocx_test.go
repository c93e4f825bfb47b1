package docx

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/testtool"
)

// readBack is a python-docx program that prints, as JSON, what a Python user of the
// DOCX sees: every paragraph's text and style (body and table cells in order), the
// colour of each run of the 标志's style, the styles' names, and the image parts.
const readBack = `
import json, sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
paras, red = [], []
body = d.element.body
for el in body.iter(qn('w:p')):
    p = docx.text.paragraph.Paragraph(el, d)
    paras.append({"text": p.text, "style": p.style.name if p.style is not None else ""})
    if p.style is not None and p.style.name == "发文机关标志":
        for r in p.runs:
            c = r.font.color
            red.append(str(c.rgb) if c is not None and c.type is not None else "")
images = [p.partname for p in d.part.package.parts if p.content_type == "image/png"]
styles = {s.name: s.style_id for s in d.styles}
json.dump({"paras": paras, "red": red, "images": images, "styles": styles}, sys.stdout, ensure_ascii=False)
`

// TestDocumentFormPythonDocx: python-docx opens the document form and reads back
// the document's text paragraph by paragraph (版头, body, attachment page, 版记),
// the 标志 in red, the form's styles by their Chinese names and one seal image.
func TestDocumentFormPythonDocx(t *testing.T) {
	py := testtool.Require(t, "/usr/bin/python3") // Debian's, with python3-docx
	if err := exec.Command(py, "-c", "import docx").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python-docx is required under CI: %v", err)
		}
		t.Skipf("python-docx not installed: %v", err)
	}
	doc := example(t, "all-fields-document.json")
	path := filepath.Join(t.TempDir(), "d.docx")
	if err := os.WriteFile(path, render(t, doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", readBack, path).Output()
	if err != nil {
		t.Fatalf("python-docx: %v", err)
	}
	var got struct {
		Paras  []struct{ Text, Style string }
		Red    []string
		Images []string
		Styles map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var text strings.Builder
	for _, p := range got.Paras {
		text.WriteString(p.Text)
	}
	want := strings.Join(wantText(doc), "")
	// Tabs position the 发文字号, the 签发人 block and the print date; the title's
	// line breaks are the title shaper's.
	norm := func(s string) string { return strings.NewReplacer("\t", "", "\n", "").Replace(s) }
	if norm(text.String()) != norm(want) {
		t.Errorf("python-docx reads:\n%s\nwant:\n%s", norm(text.String()), norm(want))
	}
	if len(got.Red) == 0 || strings.Join(got.Red, "") != strings.Repeat("FF0000", len(got.Red)) {
		t.Errorf("标志 runs' colours %v, want FF0000", got.Red)
	}
	if len(got.Images) != 1 {
		t.Errorf("image parts %v, want the seal once", got.Images)
	}
	for name, id := range map[string]string{"发文机关标志": styleOrgan, "发文字号": styleNumber, "附注": styleNote,
		"附件标识": styleAttachPage, "抄送": styleCopyTo, "印发机关和印发日期": stylePrintLine, "版头项目": styleHeaderLine} {
		if got.Styles[name] != id {
			t.Errorf("style %q has id %q, want %q", name, got.Styles[name], id)
		}
	}
}
