package docx

import (
	"bytes"
	"flag"
	"testing"

	"gongwen/internal/deflate"
	"gongwen/internal/deflate/deflatetest"
	"gongwen/templates"
)

var updateBodyCode = flag.Bool("update-body-code", false, "rewrite bodycode.go from the examples' bodies")

// bodyExamples are the examples whose document.xml bodies the code is trained on.
var bodyExamples = []string{"wuchuan-2023.json", "all-fields.json", "all-fields-document.json"}

// exampleBodies renders every example and returns each document.xml's body (the text
// between the template's head and tail, what is compressed per render), read back
// from the archive by archive/zip.
func exampleBodies(t testing.TB) [][]byte {
	t.Helper()
	tm, err := loadTemplate()
	if err != nil {
		t.Fatal(err)
	}
	unnumbered, err := tm.tailUnnumbered()
	if err != nil {
		t.Fatal(err)
	}
	m := metrics(t)
	var bodies [][]byte
	for _, name := range bodyExamples {
		b, err := Render(example(t, name), m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		parts, _ := unzip(t, b)
		x := parts[templates.DocumentPart]
		if !bytes.HasPrefix(x, tm.head.text) {
			t.Fatalf("%s: document.xml does not start with the template's head", name)
		}
		tail := tm.tail.text
		if !bytes.HasSuffix(x, tail) {
			tail = unnumbered.text
		}
		if !bytes.HasSuffix(x, tail) || len(x) < len(tm.head.text)+len(tail) {
			t.Fatalf("%s: document.xml does not end with the template's tail", name)
		}
		bodies = append(bodies, x[len(tm.head.text):len(x)-len(tail)])
	}
	return bodies
}

// TestBodyCodeIsTrained: bodycode.go holds a code that deflates today's examples'
// bodies within 1 % of the code deflate.Train derives from them (go test -run
// BodyCode -update-body-code rewrites it); not exact equality, so that a template
// or layout change moving a few bytes does not fail here, one making the code
// clearly worse does.
func TestBodyCodeIsTrained(t *testing.T) {
	bodies := exampleBodies(t)
	lit, dist, err := deflate.Train(bodies)
	if err != nil {
		t.Fatal(err)
	}
	if *updateBodyCode {
		f := deflatetest.File{Path: "bodycode.go", Package: "docx", By: "TestBodyCodeIsTrained -update-body-code",
			Imports: []string{"gongwen/internal/deflate"},
			Doc:     "The code lengths of the code document.xml's body is deflated with\n(deflate.go), trained on the examples' bodies (bodycode_test.go).",
			Codes: []deflatetest.Lengths{{Name: "body", LitType: "[deflate.NumLit]uint8", DistType: "[deflate.NumDist]uint8",
				Lit: lit[:], Dist: dist[:]}}}
		if err := f.Write(); err != nil {
			t.Fatal(err)
		}
		return
	}
	shipped, err := deflate.NewCode(bodyLitLens, bodyDistLens)
	if err != nil {
		t.Fatalf("bodycode.go: %v", err)
	}
	trained, err := deflate.NewCode(lit, dist)
	if err != nil {
		t.Fatal(err)
	}
	deflatetest.CheckTrained(t, "bodies", "rerun with -update-body-code", shipped, trained, bodies,
		func(c *deflate.Code, p []byte) int { return len(c.Deflate(nil, p)) })
}

// TestBodyDeflated: every example's parts, read back through archive/zip
// (compress/flate, CRC-32 and size checked), decode to the very bytes they decode
// to when the body goes through zipfile's encoder instead (bodyCode nil, as when
// bodycode.go's table is damaged).
func TestBodyDeflated(t *testing.T) {
	m := metrics(t)
	renderAll := func() []map[string][]byte {
		var out []map[string][]byte
		for _, name := range bodyExamples {
			b, err := Render(example(t, name), m)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			parts, _ := unzip(t, b)
			out = append(out, parts)
		}
		return out
	}
	ours := renderAll()
	c := bodyCode
	bodyCode = func() *deflate.Code { return nil }
	general := renderAll()
	bodyCode = c
	if bodyCode() == nil {
		t.Fatal("bodycode.go's code does not build")
	}
	for i, parts := range ours {
		if len(parts) != len(general[i]) {
			t.Fatalf("%s: %d parts, %d through zipfile", bodyExamples[i], len(parts), len(general[i]))
		}
		for name, a := range parts {
			if b, ok := general[i][name]; !ok || !bytes.Equal(a, b) {
				t.Errorf("%s: part %s (%d bytes), through zipfile %d bytes: not the same", bodyExamples[i], name, len(a), len(b))
			}
		}
	}
}
