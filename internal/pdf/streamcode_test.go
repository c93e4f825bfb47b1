package pdf

import (
	"bytes"
	stdzlib "compress/zlib"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongwen/internal/deflate"
	"gongwen/internal/deflate/deflatetest"
	"gongwen/internal/testtool"
)

var updateStreamCode = flag.Bool("update-stream-code", false, "rewrite streamcode.go from the examples' streams")

// stream is one compressed stream of a rendered example, decoded by compress/zlib.
type stream struct {
	doc  string
	num  int
	kind string // "page" (content), "cmap" (ToUnicode), "other" (CIDToGIDMap, image)
	raw  []byte
}

// streamHead finds the objects' stream dictionaries (gofpdf's and finish's own,
// each on one line).
var streamHead = regexp.MustCompile(`(?m)^(\d+) 0 obj\n<<([^\n]*)>>\nstream\n`)

// renderExamples renders every example, by file name.
func renderExamples(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("examples: %v %v", names, err)
	}
	pdfs := map[string][]byte{}
	for _, name := range names {
		res, err := Render(exampleDoc(t, filepath.Base(name)), defaultFonts(t))
		if err != nil {
			t.Fatal(err)
		}
		pdfs[filepath.Base(name)] = res.Bytes
	}
	return pdfs
}

// compressedStreams returns the FlateDecode streams of pdf but the font files,
// decoded by compress/zlib, in the file's order. It fails on a stream the stdlib
// cannot decode or whose /Length does not end at endstream.
func compressedStreams(t testing.TB, doc string, pdf []byte) []stream {
	t.Helper()
	var out []stream
	for _, m := range streamHead.FindAllSubmatchIndex(pdf, -1) {
		dict := string(pdf[m[4]:m[5]])
		if !strings.Contains(dict, "/FlateDecode") || strings.Contains(dict, "/Length1") {
			continue
		}
		num, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		lm := regexp.MustCompile(`/Length (\d+)`).FindStringSubmatch(dict)
		if lm == nil {
			t.Fatalf("%s: object %d: no /Length in %q", doc, num, dict)
		}
		n, _ := strconv.Atoi(lm[1])
		if m[1]+n > len(pdf) || !bytes.HasPrefix(pdf[m[1]+n:], []byte("\nendstream")) {
			t.Fatalf("%s: object %d: /Length %d does not end at endstream", doc, num, n)
		}
		r, err := stdzlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatalf("%s: object %d: %v", doc, num, err)
		}
		raw, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: object %d: %v", doc, num, err)
		}
		kind := "other"
		switch {
		case bytes.HasPrefix(raw, []byte("/CIDInit")):
			kind = "cmap"
		case strings.HasPrefix(dict, "/Filter /FlateDecode /Length"): // appendStream's pages
			kind = "page"
		}
		out = append(out, stream{doc, num, kind, raw})
	}
	return out
}

// exampleStreams is compressedStreams of every example, by kind.
func exampleStreams(t testing.TB) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	pdfs := renderExamples(t)
	for _, doc := range slices.Sorted(maps.Keys(pdfs)) {
		for _, s := range compressedStreams(t, doc, pdfs[doc]) {
			out[s.kind] = append(out[s.kind], s.raw)
		}
	}
	return out
}

// TestTextStreamsDecode: the examples' pages and ToUnicode maps, written with
// streamcode.go's codes, decode with compress/zlib to the very bytes that decode
// from them written by zipfile.Zlib (klauspost/compress) instead; qpdf finds no
// error in the files and its own inflater (zlib) reads every stream as the stdlib
// does.
func TestTextStreamsDecode(t *testing.T) {
	ours := renderExamples(t)
	p, c := pageCode, cmapCode
	pageCode = func() *deflate.Code { return nil }
	cmapCode = func() *deflate.Code { return nil }
	general := renderExamples(t)
	pageCode, cmapCode = p, c
	if pageCode() == nil || cmapCode() == nil {
		t.Fatal("streamcode.go's codes do not build")
	}
	for doc, pdf := range ours {
		a, b := compressedStreams(t, doc, pdf), compressedStreams(t, doc, general[doc])
		if len(a) != len(b) {
			t.Fatalf("%s: %d streams, %d through zipfile", doc, len(a), len(b))
		}
		kinds := map[string]int{}
		for i := range a {
			if a[i].num != b[i].num || a[i].kind != b[i].kind || !bytes.Equal(a[i].raw, b[i].raw) {
				t.Errorf("%s: object %d (%s): %d bytes, through zipfile object %d (%s) %d bytes, not the same",
					doc, a[i].num, a[i].kind, len(a[i].raw), b[i].num, b[i].kind, len(b[i].raw))
			}
			kinds[a[i].kind]++
		}
		if kinds["page"] == 0 || kinds["cmap"] == 0 {
			t.Errorf("%s: streams by kind %v", doc, kinds)
		}
		qpdfCheck(t, pdf)
		decoded := qpdfStreams(t, pdf)
		for _, s := range a {
			if q, ok := decoded[s.num]; !ok || !bytes.Equal(q, s.raw) {
				t.Errorf("%s: object %d (%s): qpdf reads %d bytes (found %v), compress/zlib %d, not the same", doc, s.num, s.kind, len(q), ok, len(s.raw))
			}
		}
	}
}

// qpdfStreams returns every stream of pdf as qpdf decodes it, by object number.
func qpdfStreams(t testing.TB, pdf []byte) map[int][]byte {
	t.Helper()
	tool := testtool.Require(t, "qpdf")
	out, err := exec.Command(tool, "--json=2", "--json-stream-data=inline", "--json-key=qpdf", writeTemp(t, pdf)).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var j struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &j); err != nil || len(j.Qpdf) != 2 {
		t.Fatalf("qpdf --json: %v (%d parts)", err, len(j.Qpdf))
	}
	var objs map[string]struct {
		Stream *struct {
			Data []byte `json:"data"` // base64, which encoding/json decodes
		} `json:"stream"`
	}
	if err := json.Unmarshal(j.Qpdf[1], &objs); err != nil {
		t.Fatalf("qpdf --json objects: %v", err)
	}
	streams := map[int][]byte{}
	for key, o := range objs {
		var num, gen int
		if _, err := fmt.Sscanf(key, "obj:%d %d R", &num, &gen); err == nil && o.Stream != nil {
			streams[num] = o.Stream.Data
		}
	}
	return streams
}

// TestStreamCodeIsTrained: streamcode.go holds codes that encode today's examples'
// pages and ToUnicode maps within 1 % of the codes deflate.Train derives from them
// (go test -run StreamCode -update-stream-code rewrites it). Not exact equality: a
// change of layout that moves a few bytes of the examples should not fail here,
// one that makes the code clearly worse should.
func TestStreamCodeIsTrained(t *testing.T) {
	streams := exampleStreams(t)
	type kind struct {
		name      string
		lit       [deflate.NumLit]uint8
		dist      [deflate.NumDist]uint8
		trainedLt [deflate.NumLit]uint8
		trainedDt [deflate.NumDist]uint8
	}
	kinds := []*kind{{name: "page", lit: pageLitLens, dist: pageDistLens}, {name: "cmap", lit: cmapLitLens, dist: cmapDistLens}}
	for _, k := range kinds {
		if len(streams[k.name]) < 5 {
			t.Fatalf("%d %s streams in the examples", len(streams[k.name]), k.name)
		}
		var err error
		if k.trainedLt, k.trainedDt, err = deflate.Train(streams[k.name]); err != nil {
			t.Fatal(err)
		}
	}
	if *updateStreamCode {
		f := deflatetest.File{Path: "streamcode.go", Package: "pdf", By: "TestStreamCodeIsTrained -update-stream-code",
			Imports: []string{"gongwen/internal/deflate"},
			Doc:     "The code lengths of the codes the page contents and the ToUnicode maps are\nwritten with (embed.go), trained on the examples' streams (streamcode_test.go)."}
		for _, k := range kinds {
			f.Codes = append(f.Codes, deflatetest.Lengths{Name: k.name, LitType: "[deflate.NumLit]uint8", DistType: "[deflate.NumDist]uint8",
				Lit: k.trainedLt[:], Dist: k.trainedDt[:]})
		}
		if err := f.Write(); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, k := range kinds {
		shipped, err := deflate.NewCode(k.lit, k.dist)
		if err != nil {
			t.Fatalf("%s code: %v", k.name, err)
		}
		trained, err := deflate.NewCode(k.trainedLt, k.trainedDt)
		if err != nil {
			t.Fatal(err)
		}
		deflatetest.CheckTrained(t, k.name+" streams", "rerun with -update-stream-code", shipped, trained, streams[k.name],
			func(c *deflate.Code, s []byte) int { return len(c.Zlib(nil, s)) })
	}
}

// TestDamagedStreamCode: code lengths that make no complete code give no code
// (and a warning), so that the streams go through zipfile rather than out wrong.
func TestDamagedStreamCode(t *testing.T) {
	lit := pageLitLens
	lit['0']++ // the code no longer complete
	if c := deflate.Shipped("page", lit, pageDistLens)(); c != nil {
		t.Error("a damaged page code was accepted")
	}
	if c := pageCode(); c == nil {
		t.Error("streamcode.go's page code was refused")
	}
}
