package ofd

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"gongwen/internal/deflate"
	"gongwen/internal/deflate/deflatetest"
	"gongwen/internal/testtool"
)

var updateContentCode = flag.Bool("update-content-code", false, "rewrite contentcode.go from the examples' pages")

// pageContent matches a page's content part.
var pageContent = regexp.MustCompile(`^Doc_0/Pages/Page_\d+/Content\.xml$`)

// exampleParts renders every example as OFD and returns each package's parts as
// archive/zip reads them (decompressed by compress/flate), and how they are
// stored, by example; unzip -t (Info-ZIP's own inflater) must find no error.
func exampleParts(t testing.TB) map[string][]*zip.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("examples: %v %v", names, err)
	}
	out := map[string][]*zip.File{}
	for _, name := range names {
		b, err := Render(docFromJSON(t, exampleJSON(t, filepath.Base(name))), defaultFonts(t))
		if err != nil {
			t.Fatal(err)
		}
		r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tool := testtool.Require(t, "unzip")
		if out, err := exec.Command(tool, "-tq", writeTemp(t, "x.ofd", b)).CombinedOutput(); err != nil ||
			!bytes.Contains(out, []byte("No errors detected")) {
			t.Fatalf("%s: unzip -t: %v\n%s", name, err, out)
		}
		out[filepath.Base(name)] = r.File
	}
	return out
}

func readPart(t testing.TB, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc) // archive/zip checks the CRC-32 and the size at the end
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b
}

// examplePages is every example's page content parts.
func examplePages(t testing.TB) [][]byte {
	t.Helper()
	var pages [][]byte
	for _, files := range exampleParts(t) {
		for _, f := range files {
			if pageContent.MatchString(f.Name) {
				pages = append(pages, readPart(t, f))
			}
		}
	}
	return pages
}

// TestContentCodeIsTrained: contentcode.go holds a code that deflates today's
// examples' pages within 1 % of the code deflate.Train derives from them (go test
// -run ContentCode -update-content-code rewrites it); not exact equality, so that a
// layout change moving a few bytes does not fail here, one making the code clearly
// worse does.
func TestContentCodeIsTrained(t *testing.T) {
	pages := examplePages(t)
	if len(pages) < 5 {
		t.Fatalf("%d pages in the examples", len(pages))
	}
	lit, dist, err := deflate.Train(pages)
	if err != nil {
		t.Fatal(err)
	}
	if *updateContentCode {
		f := deflatetest.File{Path: "contentcode.go", Package: "ofd", By: "TestContentCodeIsTrained -update-content-code",
			Imports: []string{"gongwen/internal/deflate"},
			Doc:     "The code lengths of the code the pages' Content.xml are deflated with\n(writer.go), trained on the examples' pages (contentcode_test.go).",
			Codes: []deflatetest.Lengths{{Name: "content", LitType: "[deflate.NumLit]uint8", DistType: "[deflate.NumDist]uint8",
				Lit: lit[:], Dist: dist[:]}}}
		if err := f.Write(); err != nil {
			t.Fatal(err)
		}
		return
	}
	shipped, err := deflate.NewCode(contentLitLens, contentDistLens)
	if err != nil {
		t.Fatalf("contentcode.go: %v", err)
	}
	trained, err := deflate.NewCode(lit, dist)
	if err != nil {
		t.Fatal(err)
	}
	deflatetest.CheckTrained(t, "pages", "rerun with -update-content-code", shipped, trained, pages,
		func(c *deflate.Code, p []byte) int { return len(c.Deflate(nil, p)) })
}

// TestPagesDeflated: every example's parts read back through archive/zip
// (compress/flate, CRC-32 and size checked), the pages deflated with
// contentcode.go's code decode to the very bytes they decode to through zipfile's
// encoder instead, and every other part is as zipfile writes it.
func TestPagesDeflated(t *testing.T) {
	ours := exampleParts(t)
	c := contentCode
	contentCode = func() *deflate.Code { return nil }
	general := exampleParts(t)
	contentCode = c
	if contentCode() == nil {
		t.Fatal("contentcode.go's code does not build")
	}
	for doc, files := range ours {
		other := general[doc]
		if len(files) != len(other) {
			t.Fatalf("%s: %d parts, %d through zipfile", doc, len(files), len(other))
		}
		pages := 0
		for i, f := range files {
			g := other[i]
			a, b := readPart(t, f), readPart(t, g)
			if f.Name != g.Name || !bytes.Equal(a, b) {
				t.Errorf("%s: part %s (%d bytes), through zipfile %s (%d bytes): not the same", doc, f.Name, len(a), g.Name, len(b))
			}
			if pageContent.MatchString(f.Name) {
				pages++
				if f.Method != zip.Deflate {
					t.Errorf("%s: %s stored with method %d", doc, f.Name, f.Method)
				}
			} else if f.CompressedSize64 != g.CompressedSize64 {
				t.Errorf("%s: %s: %d bytes compressed, %d through zipfile", doc, f.Name, f.CompressedSize64, g.CompressedSize64)
			}
		}
		if pages == 0 {
			t.Errorf("%s: no page content parts", doc)
		}
	}
}
