package templates_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

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

// TestSimpleWellFormedThreeByteCharacters: every three-byte sequence led by E0-EF,
// alone as an element's text and as an attribute value, is accepted by the fast path
// exactly when encoding/xml accepts it (valid UTF-8 naming a character XML allows), so
// checking CJK bytes without decoding them loses nothing.
func TestSimpleWellFormedThreeByteCharacters(t *testing.T) {
	accepted := 0
	doc := []byte("<a>...</a>")
	attr := []byte(`<a b="..."/>`)
	for lead := 0xE0; lead <= 0xEF; lead++ {
		for c1 := range 256 {
			for c2 := range 256 {
				seq := [3]byte{byte(lead), byte(c1), byte(c2)}
				copy(doc[3:], seq[:])
				copy(attr[6:], seq[:])
				if seq[1] == '"' || seq[2] == '"' {
					continue // would end the attribute value; the text case covers it
				}
				// Both must match a byte-level oracle: the sequence alone is one
				// character, valid UTF-8, outside the surrogates, U+FFFE and U+FFFF.
				r := rune(lead&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
				want := c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && r >= 0x800 && (r < 0xD800 || r > 0xDFFF) && r != 0xFFFE && r != 0xFFFF
				for _, m := range [][]byte{doc, attr} {
					if got := templates.SimpleWellFormed(m); got != want {
						t.Fatalf("%q: fast path %v, want %v", m, got, want)
					}
				}
				if want {
					accepted++
				}
				if c1&0xF0 == 0x80 && c2&0x0F == 0x0F || c1 >= 0xB0 && c2 >= 0xBE || c1 < 0x81 {
					// A sample (about one in eight) also against encoding/xml itself.
					if xmlOK := templates.WellFormedXML(doc) == nil; xmlOK != want {
						t.Fatalf("%q: encoding/xml %v, the oracle %v", doc, xmlOK, want)
					}
				}
			}
		}
	}
	if accepted != 16*64*64-2*32*64-2 { // all, less E0's overlong 80-9F, ED's surrogates A0-BF, U+FFFE/F
		t.Errorf("%d sequences accepted", accepted)
	}
}

// TestSimpleWellFormedRandom: documents built at random from valid pieces are all
// taken by the fast path; the same documents with random bytes put in are taken only
// when encoding/xml takes them too.
func TestSimpleWellFormedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	texts := []string{"法治政府建设", "a", " ", "\n", "\t", "\r\n", "&amp;", "&lt;", "&#x4E2D;", "&#20013;", "]]", "]", "é",
		"\U0001F600", "\uE000", "\uFFFD", "\u1000", "\uEFFF", "\u0800", "\uD7FF", "——", "“", "”", "\u007f", "&gt;"}
	values := []string{"1", "", "宋体", "a&amp;b", "x y", "&#9;", "'", "]]>", "\uFFFD"}
	names := []string{"w:p", "w:r", "w:t", "a", "x:y_z-1.2"}
	junk := []string{"\xe4", "\xe4\xb8", "\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xe0\x80\x80", "\xc0\xaf",
		"\xf4\x90\x80\x80", "\xbf", "\x00", "\x01", "<", "&", "&x;", "]]>", "--", "\"", "'", "=", "/", ">", "<!--", "-->",
		"\xe9\xbf\xbf", "\xe1\x80\x80", "\xee\x80\x80", "\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xff"}
	var build func(b *bytes.Buffer, depth int)
	build = func(b *bytes.Buffer, depth int) {
		name := names[rng.IntN(len(names))]
		b.WriteString("<" + name)
		for range rng.IntN(3) {
			q := `"`
			v := values[rng.IntN(len(values))]
			if v == "'" || rng.IntN(3) == 0 {
				q = `'`
				if v == "'" {
					q = `"`
				}
			}
			fmt.Fprintf(b, " k%d=%s%s%s", rng.IntN(1000), q, v, q)
		}
		if depth > 3 || rng.IntN(4) == 0 {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for range rng.IntN(6) {
			switch rng.IntN(3) {
			case 0:
				build(b, depth+1)
			case 1:
				b.WriteString("<!-- " + texts[rng.IntN(len(texts))] + " -->")
			default:
				for range 1 + rng.IntN(8) {
					b.WriteString(texts[rng.IntN(len(texts))])
				}
			}
		}
		b.WriteString("</" + name + ">")
	}
	accepted, rejected := 0, 0
	for range 3000 {
		var b bytes.Buffer
		if rng.IntN(2) == 0 {
			b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
		}
		build(&b, 0)
		doc := b.Bytes()
		if err := templates.WellFormedXML(doc); err != nil {
			t.Fatalf("generated %q is not well-formed: %v", doc, err)
		}
		if !templates.SimpleWellFormed(doc) {
			t.Fatalf("the fast path refuses %q", doc)
		}
		for range 10 {
			m := bytes.Clone(doc)
			for range 1 + rng.IntN(3) {
				at := rng.IntN(len(m) + 1)
				m = append(m[:at], append([]byte(junk[rng.IntN(len(junk))]), m[at:]...)...)
			}
			if templates.SimpleWellFormed(m) {
				accepted++
				if err := templates.WellFormedXML(m); err != nil {
					t.Fatalf("the fast path accepts %q, encoding/xml says %v", m, err)
				}
			} else {
				rejected++
			}
		}
	}
	t.Logf("random edits: %d accepted by the fast path, %d left to encoding/xml", accepted, rejected)
	if accepted < 500 || rejected < 500 {
		t.Errorf("the edits do not exercise both sides: %d accepted, %d rejected", accepted, rejected)
	}
}

// TestChar3AsDecoder: for every three bytes (and their prefixes), Char3 holds exactly
// when a Lead3 byte starts a character utf8 decodes from all three that XML allows.
func TestChar3AsDecoder(t *testing.T) {
	b := make([]byte, 4)
	for x := 0; x < 1<<24; x++ {
		b[1], b[2], b[3] = byte(x>>16), byte(x>>8), byte(x)
		r, n := utf8.DecodeRune(b[1:])
		want := templates.Lead3(b[1]) && n == 3 && r != 0xFFFE && r != 0xFFFF
		if got := templates.Char3(b, 1); got != want {
			t.Fatalf("% X: Char3 %v, want %v", b[1:], got, want)
		}
		if got := templates.Char3(string(b[1:]), 0); got != want {
			t.Fatalf("% X as a string: Char3 %v, want %v", b[1:], got, want)
		}
		if templates.Char3(b[:3], 1) {
			t.Fatalf("% X: Char3 past the end", b[1:])
		}
	}
}

// TestContentWellFormedIsSound: the body of our document.xml (between <w:body> and
// the last section properties) passes ContentWellFormed, and whatever edit of it
// ContentWellFormed accepts, encoding/xml accepts in the whole document; random
// sequences of elements likewise, between a root's tags.
func TestContentWellFormedIsSound(t *testing.T) {
	check := func(name string, head, body, tail []byte) (accepted, rejected int) {
		if !templates.ContentWellFormed(context.Background(), body) {
			t.Fatalf("%s: the body is not accepted", name)
		}
		editsOf(body, 40, func(what string, m []byte) {
			if !templates.ContentWellFormed(context.Background(), m) {
				rejected++
				return
			}
			accepted++
			doc := append(append(append([]byte{}, head...), m...), tail...)
			if err := templates.WellFormedXML(doc); err != nil {
				t.Errorf("%s, %s: the body is accepted, encoding/xml says %v of the document", name, what, err)
			}
		})
		return accepted, rejected
	}
	accepted, rejected, bodies := 0, 0, 0
	for name, b := range xmlDocs(t) {
		i := bytes.Index(b, []byte("<w:body>"))
		j := bytes.LastIndex(b, []byte("<w:sectPr"))
		if !strings.HasSuffix(name, templates.DocumentPart) || strings.HasPrefix(name, "template ") || i < 0 || j < i {
			continue
		}
		i += len("<w:body>")
		a, r := check(name, b[:i], b[i:j], b[j:])
		accepted, rejected, bodies = accepted+a, rejected+r, bodies+1
	}
	if bodies < 2 {
		t.Fatalf("%d rendered bodies", bodies)
	}
	rng := rand.New(rand.NewPCG(3, 2026))
	elems := []string{"<w:p/>", "<w:p><w:r><w:t>法治</w:t></w:r></w:p>", "<!-- c -->", " ", "\n",
		`<w:tbl w:x="1"><w:tr/></w:tbl>`, "<a>&amp;&#x4E2D;</a>"}
	for range 200 {
		var b bytes.Buffer
		for range 1 + rng.IntN(6) {
			b.WriteString(elems[rng.IntN(len(elems))])
		}
		a, r := check(fmt.Sprintf("%q", b.Bytes()), []byte("<root>"), b.Bytes(), []byte("</root>"))
		accepted, rejected = accepted+a, rejected+r
	}
	t.Logf("%d edited bodies accepted, %d rejected", accepted, rejected)
	if accepted < 5000 || rejected < 5000 {
		t.Errorf("the edits do not exercise both sides: %d accepted, %d rejected", accepted, rejected)
	}
}

// TestRun3AsChar3: Run3, which takes four characters at a time, ends runs where
// stepping with Char3 one character at a time ends them, on random strings of
// three-byte characters (E1-EE, EF with U+FFFE/FFFF and full-width forms, ED, E0)
// with broken sequences and ASCII among them, from every start.
func TestRun3AsChar3(t *testing.T) {
	atoms := []string{"法", "治", "\u1000", "\uE000", "\uFF0C", "\uFFE5", "\uFFFD", "\uFFFE", "\uFFFF", "\uD7FF", "\u0800",
		"\uF8FF", "\uFFBF", "\uFFC0", "\xef\xbc", "\xef\xbf",
		"a", "\xe4\xb8", "\xe4", "\xbf", "\xe9\x3f\x80", "\xe9\x80\xc0", "𠀀"}
	rng := rand.New(rand.NewPCG(9, 2026))
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(30) {
			if rng.IntN(4) == 0 {
				sb.WriteString(atoms[rng.IntN(len(atoms))])
			} else {
				sb.WriteString(atoms[rng.IntN(2)])
			}
		}
		s := sb.String()
		for i := 0; i <= len(s); i++ {
			want := i
			for templates.Char3(s, want) {
				want += 3
			}
			if got := templates.Run3(s, i); got != want {
				t.Fatalf("%q from %d: Run3 %d, Char3 steps to %d", s, i, got, want)
			}
			if got := templates.Run3([]byte(s), i); got != want {
				t.Fatalf("%q from %d as bytes: Run3 %d, Char3 steps to %d", s, i, got, want)
			}
		}
	}
}
