package templates_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gongwen/internal/render"
	"gongwen/templates"
)

// xmlDocs are every part of the template and the document.xml and core.xml of both
// examples as they are rendered.
func xmlDocs(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	v := templates.NewValues()
	for _, name := range templates.Parts {
		b, err := templates.Part(name, v)
		if err != nil {
			t.Fatal(err)
		}
		docs["template "+name] = b
	}
	for _, ex := range []string{"wuchuan-2023.json", "all-fields.json"} {
		in, err := os.ReadFile(filepath.Join("..", "examples", ex))
		if err != nil {
			t.Fatal(err)
		}
		res, err := render.Render(context.Background(), in, []render.Format{render.DOCX})
		if err != nil {
			t.Fatal(err)
		}
		out := res.DOCX
		zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name != templates.DocumentPart && f.Name != templates.CorePart {
				continue
			}
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			docs[ex+" "+f.Name] = b
		}
	}
	return docs
}

// TestSimpleWellFormedTakesOurDocuments: the fast path accepts everything we write, so
// that encoding/xml is never the one that runs.
func TestSimpleWellFormedTakesOurDocuments(t *testing.T) {
	for name, b := range xmlDocs(t) {
		if !templates.SimpleWellFormed(b) {
			t.Errorf("%s: the fast path does not accept it (encoding/xml says %v)", name, templates.WellFormedXML(b))
		}
	}
}

// edits are put at every position of our documents: each breaks or keeps
// well-formedness in a way the scanner must judge as encoding/xml does.
var edits = []string{
	"", "<", ">", "&", "\"", "'", "/", "=", " ", "a", ":", "-", "!", "?", "]]>", "--", "-->",
	"<!--", "<!-- c -->", "<!---->", "<?x?>", "<![CDATA[x]]>", "<!DOCTYPE a>", "<a/>", "</a>", "<a>", "</w:p>",
	"&amp;", "&foo;", "&amp", "&#0;", "&#65;", "&#x41;", "&#xD800;", "&#x110000;", "&#4294967361;", "&#x100000041;",
	"\x00", "\x01", "\x7f", "é", "中", "\xff", "\xe4\xb8", "\xef\xbf\xbe", "\r\n", "\t",
	` x="1"`, ` x='1'`, ` x=1`, `x="1"`, ` x="<"`, ` x="&amp;"`, ` x="1" x="2"`, ` a:b:c="1"`, ` :x="1"`,
}

// editsOf applies every edit at about positions places spread over b (the offsets
// vary, so that the places fall on every kind of byte: tag, name, value, text).
func editsOf(b []byte, positions int, f func(what string, m []byte)) {
	step := max(1, len(b)/positions)
	for k, i := 0, 0; i <= len(b); k, i = k+1, i+step+k%5 {
		for _, e := range edits {
			// Insert e at i, and replace the byte at i with e.
			ins := append(append(append([]byte{}, b[:i]...), e...), b[i:]...)
			f(fmt.Sprintf("insert %q at %d", e, i), ins)
			if i < len(b) {
				rep := append(append(append([]byte{}, b[:i]...), e...), b[i+1:]...)
				f(fmt.Sprintf("replace byte %d with %q", i, e), rep)
			}
		}
	}
}

// TestSimpleWellFormedIsSound: whatever the fast path accepts, encoding/xml (with the
// tag matching and single root WellFormed adds) accepts too, so WellFormed answers as
// it did before the fast path, error messages included.
func TestSimpleWellFormedIsSound(t *testing.T) {
	docs := xmlDocs(t)
	accepted, rejected := 0, 0
	for name, b := range docs {
		// 40 places per document here (every byte of every document, 1.85 M edited
		// documents, when the scanner was written: all sound); the fuzz target goes on.
		editsOf(b, 40, func(what string, m []byte) {
			if templates.SimpleWellFormed(m) {
				accepted++
				if err := templates.WellFormedXML(m); err != nil {
					t.Errorf("%s, %s: the fast path accepts it, encoding/xml says %v", name, what, err)
				}
			} else {
				rejected++
			}
		})
	}
	t.Logf("%d edited documents accepted by the fast path, %d left to encoding/xml", accepted, rejected)
	if accepted < 5000 || rejected < 5000 {
		t.Errorf("the edits do not exercise both sides: %d accepted, %d rejected", accepted, rejected)
	}
}

// TestWellFormedErrorsUnchanged: a broken document gets encoding/xml's error.
func TestWellFormedErrorsUnchanged(t *testing.T) {
	for _, s := range []string{`<a><b></a>`, `<a>&foo;</a>`, `<a/><b/>`, "<a>\x01</a>", `<a>`} {
		got, want := templates.WellFormed([]byte(s)), templates.WellFormedXML([]byte(s))
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("WellFormed(%q) = %v, encoding/xml path %v", s, got, want)
		}
	}
}

func FuzzSimpleWellFormed(f *testing.F) {
	for _, b := range xmlDocs(f) {
		f.Add(b)
	}
	for _, s := range []string{`<a/>`, `<a x="1">t&amp;<!-- c --></a>`, `<?xml version="1.0" encoding="UTF-8"?><a:b c:d="&#x4E2D;"/>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if templates.SimpleWellFormed(b) {
			if err := templates.WellFormedXML(b); err != nil {
				t.Fatalf("the fast path accepts %q, encoding/xml says %v", b, err)
			}
		}
	})
}

func BenchmarkWellFormedDocument(b *testing.B) {
	doc := xmlDocs(b)["wuchuan-2023.json "+templates.DocumentPart]
	for _, c := range []struct {
		name string
		f    func([]byte) error
	}{{"WellFormed", templates.WellFormed}, {"encoding-xml", templates.WellFormedXML}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if err := c.f(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWellFormedStopsWhenCancelled: a cancelled check of a large document that the
// fast path would accept ends with ctx's error instead of scanning it all (or
// falling back to encoding/xml).
func TestWellFormedStopsWhenCancelled(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:document>")
	for range 20000 {
		b.WriteString(`<w:p><w:r><w:t xml:space="preserve">法治政府建设年度报告</w:t></w:r></w:p>`)
	}
	b.WriteString("</w:document>")
	if err := templates.WellFormed(b.Bytes()); err != nil {
		t.Fatalf("uncancelled: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := templates.WellFormedContext(ctx, b.Bytes()); err != context.Canceled {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}
